"""Partners and agreements by API: create, list, validation and scope; alerts list."""
from datetime import date, timedelta

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import AlertRun, Depot, DepotMinimum, Item, utcnow
from inventory.services import users

PROBLEM = "application/problem+json"
CREDIT = "91150603MA0N1RXK1W"  # check character computed per GB 32100


def partner(client, headers, code="P1", **extra):
    body = {"code": code, "name": "内蒙古应急物资有限公司", "credit_code": CREDIT,
            "contact": "王经理", "address": "康巴什区", **extra}
    return client.post("/api/v1/partners", json=body, headers=headers)


def agreement_body(**extra):
    today = date.today()
    return {"partner_code": "P1", "code": "AG-1", "mode": "stock",
            "valid_from": (today - timedelta(days=10)).isoformat(),
            "valid_to": (today + timedelta(days=365)).isoformat(), "lead_time_hours": 6,
            "owner_code": "D1", "lines": [{"item_code": "1010101", "quantity": 500}], **extra}


def test_credit_code_example_is_valid():
    from inventory.services.agreements import is_valid_credit_code
    assert is_valid_credit_code(CREDIT)
    assert not is_valid_credit_code(CREDIT[:-1] + "0")


def test_create_and_list_partners(client, world, token_for):
    headers = token_for("bureau")
    created = partner(client, headers)
    assert created.status_code == 201 and created.json["credit_code"] == CREDIT
    listed = client.get("/api/v1/partners?q=应急", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["code"] == "P1"
    assert client.get("/api/v1/partners?q=nothing", headers=headers).json["total"] == 0


def test_partner_validation_is_422_naming_fields(client, world, token_for):
    response = partner(client, token_for("bureau"), code="bad code", credit_code="123",
                       name="")
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert {"code", "credit_code", "name"} <= set(response.json["errors"])
    partner(client, token_for("bureau"))
    taken = partner(client, token_for("bureau"))
    assert taken.status_code == 422 and "code" in taken.json["errors"]


def test_viewer_and_keeper_cannot_create(client, world, token_for):
    for user in ("viewer", "keeper"):
        response = partner(client, token_for(user))
        assert response.status_code == 403 and response.mimetype == PROBLEM


def test_create_and_list_agreements(client, world, token_for):
    headers = token_for("bureau")
    partner(client, headers)
    created = client.post("/api/v1/agreements", json=agreement_body(), headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["lines"] == [{"item_code": "1010101", "quantity": 500}]
    assert (created.json["partner_code"], created.json["owner_code"]) == ("P1", "D1")
    listed = client.get("/api/v1/agreements?mode=stock&state=valid", headers=headers).json
    assert [a["code"] for a in listed["items"]] == ["AG-1"]
    assert client.get("/api/v1/agreements", headers=token_for("keeper2")).json["total"] == 0
    readiness = client.get("/api/v1/readiness?unit=D1", headers=headers).json
    tent = {i["item_code"]: i for i in readiness["items"]}["1010101"]
    assert tent["agreement"] == 500 and tent["usable"] == 600


def test_agreement_validation(client, world, token_for):
    headers = token_for("bureau")
    partner(client, headers)
    bad = agreement_body(mode="loan", lines=[{"item_code": "9999999", "quantity": 0}],
                         lead_time_hours=-1)
    response = client.post("/api/v1/agreements", json=bad, headers=headers)
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert {"mode", "lines", "lead_time_hours"} <= set(response.json["errors"])
    unknown = client.post("/api/v1/agreements", headers=headers,
                          json=agreement_body(lines=[{"item_code": "9999999", "quantity": 1}]))
    assert unknown.status_code == 422 and "lines.0.item_code" in unknown.json["errors"]
    backwards = agreement_body(valid_to="2000-01-01")
    response = client.post("/api/v1/agreements", json=backwards, headers=headers)
    assert response.status_code == 422 and "valid_to" in response.json["errors"]
    empty = client.post("/api/v1/agreements", json=agreement_body(lines=[]), headers=headers)
    assert empty.status_code == 422 and "lines" in empty.json["errors"]


def test_agreement_outside_the_area_or_unknown_partner(client, world, token_for):
    headers = token_for("bureau")
    partner(client, headers)
    outside = client.post("/api/v1/agreements", json=agreement_body(owner_code="D2"),
                          headers=headers)
    assert outside.status_code == 403 and outside.mimetype == PROBLEM
    unknown = client.post("/api/v1/agreements", json=agreement_body(partner_code="NOPE"),
                          headers=headers)
    assert unknown.status_code == 404


def test_alerts_list_refreshes_and_filters(client, world, token_for):
    headers = token_for("bureau")
    body = client.get("/api/v1/alerts?state=open", headers=headers).json
    assert body["total"] > 0
    first = body["items"][0]
    for key in ("kind", "severity", "state", "unit_code", "first_seen_at", "last_seen_at",
                "message"):
        assert key in first
    assert first["severity"] == "critical" and first["state"] == "open"
    kinds = client.get("/api/v1/alerts?kind=shortfall&unit=S1", headers=headers).json
    assert all(a["kind"] == "shortfall" and a["unit_code"] in ("S1", "S1C1")
               for a in kinds["items"])
    assert client.get("/api/v1/alerts?state=maybe", headers=headers).status_code == 422


def test_acknowledge_and_resolve_by_api(client, world, token_for):
    headers = token_for("bureau")
    alert = client.get("/api/v1/alerts?state=open", headers=headers).json["items"][0]
    acked = client.post(f"/api/v1/alerts/{alert['id']}/acknowledge", headers=headers)
    assert acked.status_code == 200 and acked.json["state"] == "acknowledged"
    assert acked.json["acknowledged_by"] == "bureau"
    again = client.post(f"/api/v1/alerts/{alert['id']}/acknowledge", headers=headers)
    assert again.status_code == 409 and again.mimetype == PROBLEM
    resolved = client.post(f"/api/v1/alerts/{alert['id']}/resolve", headers=headers)
    assert resolved.json["state"] == "resolved" and resolved.json["resolved_by"] == "bureau"
    assert client.post(f"/api/v1/alerts/{alert['id']}/resolve",
                       headers=token_for("viewer")).status_code == 403
    assert client.post("/api/v1/alerts/999999/resolve", headers=headers).status_code == 404


def test_alerts_refresh_after_a_booking_without_the_booking_evaluating(world_app):
    app = world_app(ALERT_REFRESH_SECONDS=0)
    with app.app_context():
        depot = db.session.scalar(sa.select(Depot).where(Depot.code == "DEP-D1"))
        tent = db.session.scalar(sa.select(Item).where(Item.code == "1010101"))
        db.session.add(DepotMinimum(depot_id=depot.id, item_id=tent.id, minimum_quantity=120))
        token = users.create_token(db.session, user=users.get_user(db.session, "bureau"),
                                   now=utcnow())
        db.session.commit()
    client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    below = client.get("/api/v1/alerts?kind=below_minimum&state=open", headers=headers).json
    assert [a["depot_code"] for a in below["items"]] == ["DEP-D1"]
    with app.app_context():
        runs = db.session.scalar(sa.select(sa.func.count(AlertRun.id)))
    booked = client.post("/api/v1/movements", headers=headers, json={
        "request_id": "alert-refresh-1", "kind": "receive", "lot_code": "T1",
        "depot_code": "DEP-D1", "quantity": 30})
    assert booked.status_code == 201
    with app.app_context():  # the booking itself evaluated nothing
        assert db.session.scalar(sa.select(sa.func.count(AlertRun.id))) == runs
    after = client.get("/api/v1/alerts?kind=below_minimum&state=resolved", headers=headers).json
    assert [a["depot_code"] for a in after["items"]] == ["DEP-D1"]


def test_an_alert_page_reads_units_depots_and_items_once(app, client, world, token_for):
    """The unit, depot and item each alert shows are loaded for the whole page, not one
    query per alert."""
    headers = token_for("bureau")
    client.get("/api/v1/alerts", headers=headers)  # evaluates the alerts first
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_):
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        items = client.get("/api/v1/alerts?per_page=100", headers=headers).json["items"]
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert len(items) > 5 and len({a["unit_code"] for a in items}) > 2
    for table in ("unit", "depot", "item"):
        reads = [s for s in statements if s.startswith(f"SELECT {table}.id") and
                 f" FROM {table} WHERE" in s]
        assert len(reads) <= 1, (table, len(reads))
