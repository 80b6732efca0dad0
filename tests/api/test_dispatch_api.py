"""The events and dispatch-orders API (contract.md): shapes, statuses, problems."""
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import (Agreement, AgreementLine, AgreementMode, DisasterEvent, Item,
                              Partner, Unit, User, utcnow)
from inventory.services import events, ledger
from tests import factories
from tests.conftest import login

PROBLEM = "application/problem+json"


@pytest.fixture
def api(app, world, token_for):
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "S1C1"))
        factories.make_depot(db.session, "DEP-S1C1", unit)
        db.session.commit()
    return {name: token_for(name) for name in ("admin", "bureau", "dispatcher", "keeper",
                                               "viewer")}


def event(client, headers, **extra):
    response = client.post("/api/v1/events", headers=headers, json={
        "name": "Flood", "type": "flood", "unit_code": "D1", "affected_people": 1200,
        "started_at": "2026-07-01T06:00:00+08:00", **extra})
    assert response.status_code == 201, response.json
    return response.json


def order(client, headers, event_code, **body):
    response = client.post("/api/v1/dispatch-orders", headers=headers, json={
        "event_code": event_code, "to_unit_code": "S1C1", "to_depot_code": "DEP-S1C1", **body})
    assert response.status_code == 201, response.json
    return response.json


def test_events_create_list_and_detail(client, api):
    created = event(client, api["dispatcher"], code="EV-FLOOD-1", area_codes=["S1"])
    assert {k: created[k] for k in ("code", "name", "type", "unit_code", "affected_people",
                                    "status", "area_codes")} == {
        "code": "EV-FLOOD-1", "name": "Flood", "type": "flood", "unit_code": "D1",
        "affected_people": 1200, "status": "active", "area_codes": ["S1"]}
    assert created["started_at"].startswith("2026-06-30T22:00:00")  # stored in UTC
    body = client.get("/api/v1/events", headers=api["viewer"]).json
    assert (body["total"], body["items"][0]["code"]) == (1, "EV-FLOOD-1")
    assert client.get("/api/v1/events/EV-FLOOD-1", headers=api["viewer"]).status_code == 200
    again = client.post("/api/v1/events", headers=api["dispatcher"],
                        json={"code": "EV-FLOOD-1", "name": "x", "unit_code": "D1"})
    assert again.status_code == 422 and "code" in again.json["errors"]


def test_event_lists_filter_by_status_and_text(app, client, api):
    event(client, api["dispatcher"], code="EV-FLOOD-2", name="Flood in Kangbashi")
    event(client, api["dispatcher"], code="EV-QUAKE-1", name="Quake")
    with app.app_context():
        quake = db.session.scalar(sa.select(DisasterEvent).where(DisasterEvent.code == "EV-QUAKE-1"))
        dispatcher = db.session.scalar(sa.select(User).where(User.username == "dispatcher"))
        events.close_event(db.session, dispatcher, quake, now=utcnow())
        db.session.commit()

    def codes(query):
        body = client.get(f"/api/v1/events?{query}", headers=api["viewer"]).json
        return sorted(e["code"] for e in body["items"])

    assert codes("") == ["EV-FLOOD-2", "EV-QUAKE-1"]
    assert codes("status=closed") == ["EV-QUAKE-1"]
    assert codes("status=active&q=kangbashi") == ["EV-FLOOD-2"]
    assert codes("q=quake-1") == ["EV-QUAKE-1"]
    assert codes("status=active&q=quake") == []
    login(client, "viewer")
    page = client.get("/events?status=closed").get_data(as_text=True)
    assert "EV-QUAKE-1" in page and "EV-FLOOD-2" not in page


def test_event_problems(client, api):
    response = client.post("/api/v1/events", headers=api["keeper"], json={
        "name": "x", "unit_code": "D1"})
    assert response.status_code == 403 and response.mimetype == PROBLEM
    response = client.post("/api/v1/events", headers=api["dispatcher"], json={
        "name": "", "unit_code": "D1", "response_level": 7, "colour": "red"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "response_level", "colour"}
    response = client.post("/api/v1/events", headers=api["dispatcher"], json={
        "name": "x", "unit_code": "D2"})  # outside the dispatcher's district
    assert response.status_code == 403
    assert client.get("/api/v1/events/NOPE", headers=api["admin"]).status_code == 404


def test_create_order_returns_the_proposal(client, api):
    ev = event(client, api["dispatcher"])
    body = order(client, api["dispatcher"], ev["code"],
                 lines=[{"item_code": "1010101", "quantity": 105},
                        {"item_code": "1060101", "quantity": 3}])
    assert body["status"] == "draft" and body["code"].startswith("DO")
    allocations = sorted(body["allocations"], key=lambda a: a["depot_code"])
    assert [{k: a[k] for k in ("depot_code", "lot_code", "owner_code", "item_code", "quantity")}
            for a in allocations] == [
        {"depot_code": "DEP-D1", "lot_code": "T1", "owner_code": "D1", "item_code": "1010101",
         "quantity": 100},
        {"depot_code": "DEP-D2", "lot_code": "T2", "owner_code": "D2", "item_code": "1010101",
         "quantity": 5}]
    assert allocations[1]["needs_owner_approval"] is True
    assert body["unmet"] == [{"item_code": "1060101", "quantity": 3}]
    people = order(client, api["dispatcher"], ev["code"], people=10)
    assert {line["item_code"]: line["quantity"] for line in people["lines"]} == {
        "1010101": 3, "1020101": 10, "1040101": 30, "1060101": 4}


def test_create_order_validation(client, api):
    ev = event(client, api["dispatcher"])
    url = "/api/v1/dispatch-orders"
    both = client.post(url, headers=api["dispatcher"], json={
        "event_code": ev["code"], "to_unit_code": "S1C1", "people": 5,
        "lines": [{"item_code": "1010101", "quantity": 1}]})
    assert both.status_code == 422 and "lines" in both.json["errors"]
    bad = client.post(url, headers=api["dispatcher"], json={
        "event_code": ev["code"], "to_unit_code": "S1C1",
        "lines": [{"item_code": "abc", "quantity": 0}]})
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
    unknown = client.post(url, headers=api["dispatcher"], json={
        "event_code": "NOPE", "to_unit_code": "S1C1", "people": 5})
    assert unknown.status_code == 404
    for body, field in (({"to_unit_code": "NOPE", "people": 5}, "to_unit_code"),
                        ({"to_unit_code": "S1C1", "to_depot_code": "NOPE", "people": 5},
                         "to_depot_code"),
                        ({"to_unit_code": "S1C1",
                          "lines": [{"item_code": "9999999", "quantity": 1}]}, "lines")):
        refused = client.post(url, headers=api["dispatcher"], json={"event_code": ev["code"],
                                                                    **body})
        assert refused.status_code == 422 and list(refused.json["errors"]) == [field], body
    assert refused.json["errors"]["lines"] == {"0": {"item_code": ["未找到物资 9999999。"]}}
    wrong_depot = client.post(url, headers=api["dispatcher"], json={
        "event_code": ev["code"], "to_unit_code": "S1C1", "to_depot_code": "DEP-S2", "people": 5})
    assert wrong_depot.status_code == 422 and "to_depot_code" in wrong_depot.json["errors"]
    assert client.post(url, headers=api["dispatcher"], data="{",
                       content_type="application/json").status_code == 400


def test_approve_cancel_and_illegal_transitions(client, api):
    ev = event(client, api["dispatcher"])
    code = order(client, api["dispatcher"], ev["code"],
                 lines=[{"item_code": "1020101", "quantity": 10}])["code"]
    url = f"/api/v1/dispatch-orders/{code}"
    assert client.post(f"{url}/approve", headers=api["dispatcher"]).status_code == 403
    approved = client.post(f"{url}/approve", headers=api["bureau"])
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    stock = client.get("/api/v1/stock?lot=Q1", headers=api["admin"]).json["items"][0]
    assert stock["reserved"] == 10
    again = client.post(f"{url}/approve", headers=api["bureau"])
    assert again.status_code == 409 and again.json["type"].endswith("/invalid-transition")
    early = client.post(f"{url}/receive", headers=api["admin"], json={})
    assert early.status_code == 409
    cancelled = client.post(f"{url}/cancel", headers=api["dispatcher"], json={"reason": "dup"})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert client.get("/api/v1/stock?lot=Q1", headers=api["admin"]).json["items"][0][
        "reserved"] == 0
    assert client.post(f"{url}/cancel", headers=api["dispatcher"]).status_code == 409


def test_stock_promised_to_one_order_cannot_be_approved_for_another(client, api):
    ev = event(client, api["dispatcher"])
    first = order(client, api["dispatcher"], ev["code"],
                  lines=[{"item_code": "1020101", "quantity": 40}])["code"]
    second = order(client, api["dispatcher"], ev["code"],
                   lines=[{"item_code": "1020101", "quantity": 40}])["code"]
    assert client.post(f"/api/v1/dispatch-orders/{first}/approve",
                       headers=api["bureau"]).status_code == 200
    refused = client.post(f"/api/v1/dispatch-orders/{second}/approve", headers=api["bureau"])
    assert refused.status_code == 409 and refused.json["type"].endswith("/insufficient-stock")
    assert client.get(f"/api/v1/dispatch-orders/{second}",
                      headers=api["bureau"]).json["status"] == "draft"


def test_pick_by_scan_dispatch_and_receive_through_the_api(client, app, api):
    ev = event(client, api["dispatcher"])
    code = order(client, api["dispatcher"], ev["code"],
                 lines=[{"item_code": "1020101", "quantity": 10}])["code"]
    client.post(f"/api/v1/dispatch-orders/{code}/approve", headers=api["bureau"])
    scanned = client.post("/api/v1/scans", headers=api["keeper"], json={
        "payload": f"http://10.0.0.5/q/O/{code}", "depot_code": "DEP-S1"})
    assert scanned.status_code == 200, scanned.json
    assert scanned.json["kind"] == "order" and scanned.json["order"]["action"] == "pick"
    assert scanned.json["url"].endswith(f"/dispatch/orders/{code}/pick/DEP-S1")
    assert scanned.json["order"]["pick"] == [{"item_code": "1020101", "lot_code": "Q1",
                                              "quantity": 10, "picked": 0}]

    def pick(quantity, **extra):
        return client.post("/api/v1/movements", headers=api["keeper"], json={
            "request_id": str(uuid.uuid4()), "kind": "issue", "depot_code": "DEP-S1",
            "lot_code": "Q1", "quantity": quantity, "order_code": code, **extra})
    first = pick(6)
    assert first.status_code == 201 and first.json["movements"][0]["order_code"] == code
    over = pick(5)
    assert over.status_code == 409 and over.json["type"].endswith("/pick-refused")
    assert pick(4).status_code == 201
    shipped = client.post(f"/api/v1/dispatch-orders/{code}/dispatch", headers=api["keeper"],
                          json={"vehicle": "蒙K1", "driver": "王", "eta": "2099-07-01T12:00"})
    assert shipped.status_code == 200 and shipped.json["status"] == "dispatched"
    too_many = client.post(f"/api/v1/dispatch-orders/{code}/receive", headers=api["admin"],
                           json={"lines": [{"item_code": "1020101", "quantity": 11}]})
    assert too_many.status_code == 422
    received = client.post(f"/api/v1/dispatch-orders/{code}/receive", headers=api["admin"],
                           json={"lines": [{"item_code": "1020101", "quantity": 9}]})
    assert received.status_code == 200, received.json
    body = received.json
    assert body["status"] == "received" and body["on_time"] is True
    assert [(a["received"], a["lost"]) for a in body["allocations"]] == [(9, 1)]
    listed = client.get("/api/v1/dispatch-orders?status=received", headers=api["viewer"]).json
    assert listed["total"] == 1 and listed["items"][0]["code"] == code
    with app.app_context():
        assert ledger.verify(db.session) == []


def test_openapi_documents_the_dispatch_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/events", "/api/v1/dispatch-orders",
                 "/api/v1/dispatch-orders/{code}/approve", "/api/v1/dispatch-orders/{code}/cancel",
                 "/api/v1/dispatch-orders/{code}/receive"):
        assert path in paths
    assert "requestBody" in paths["/api/v1/dispatch-orders"]["post"]


def test_refusals_name_statuses_and_items_in_the_users_language(client, api):
    ev = event(client, api["dispatcher"])
    code = order(client, api["dispatcher"], ev["code"],
                 lines=[{"item_code": "1020101", "quantity": 10}])["code"]
    url = f"/api/v1/dispatch-orders/{code}"
    client.post(f"{url}/approve", headers=api["bureau"])
    again = client.post(f"{url}/approve", headers=api["bureau"])
    assert again.status_code == 409
    assert again.json["detail"] == f"调拨单 {code} 当前为 已批准，只有草稿可以修改。"
    english = {**api["bureau"], "Accept-Language": "en"}
    again = client.post(f"{url}/approve", headers=english)
    assert again.json["detail"] == (f"Order {code} is Approved for dispatch; only a draft can "
                                    "be changed.")
    over = client.post("/api/v1/movements", headers={**api["keeper"], "Accept-Language": "en"},
                       json={"request_id": str(uuid.uuid4()), "kind": "issue",
                             "depot_code": "DEP-S1", "lot_code": "Q1", "quantity": 11,
                             "order_code": code})
    assert over.status_code == 409
    assert "of Quilt are still to pick" in over.json["detail"] and "棉被" not in over.json["detail"]
    client.post(f"{url}/cancel", headers=api["dispatcher"])
    cancelled = client.post(f"{url}/cancel", headers=api["dispatcher"])
    assert cancelled.status_code == 409 and "已取消" in cancelled.json["detail"]
    assert "cancelled" not in cancelled.json["detail"]


def test_times_out_of_range_are_a_422_naming_the_field(client, api):
    for value in ("0001-01-01T00:00:00", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-05:00"):
        response = client.post("/api/v1/events", headers=api["dispatcher"], json={
            "name": "x", "unit_code": "D1", "started_at": value})
        assert response.status_code == 422 and "started_at" in response.json["errors"], value
    ev = event(client, api["dispatcher"])
    response = client.post("/api/v1/dispatch-orders", headers=api["dispatcher"], json={
        "event_code": ev["code"], "to_unit_code": "S1C1", "people": 5,
        "needed_by": "0001-01-01T00:00:00"})
    assert response.status_code == 422 and "needed_by" in response.json["errors"]
    code = order(client, api["dispatcher"], ev["code"],
                 lines=[{"item_code": "1020101", "quantity": 1}])["code"]
    client.post(f"/api/v1/dispatch-orders/{code}/approve", headers=api["bureau"])
    client.post("/api/v1/movements", headers=api["keeper"], json={
        "request_id": str(uuid.uuid4()), "kind": "issue", "depot_code": "DEP-S1",
        "lot_code": "Q1", "quantity": 1, "order_code": code})
    for name in ("departed_at", "eta"):
        response = client.post(f"/api/v1/dispatch-orders/{code}/dispatch",
                               headers=api["keeper"], json={name: "0001-01-01T00:00:00"})
        assert response.status_code == 422 and name in response.json["errors"]


def test_call_off_receipt_refuses_more_than_called_off_and_records_a_shortfall(client, app, api):
    with app.app_context():
        item = db.session.scalar(sa.select(Item).where(Item.code == "1060101"))  # in no depot
        agreement = Agreement(code="AG-L", partner=Partner(code="P3", name="Torch Co",
                                                           created_at=utcnow()),
                              owner=db.session.scalar(sa.select(Unit).where(Unit.code == "D1")),
                              mode=AgreementMode.STOCK, valid_from=date.today() - timedelta(1),
                              valid_to=date.today() + timedelta(90), lead_time_hours=4,
                              created_at=utcnow())
        agreement.lines = [AgreementLine(item=item, quantity=100)]
        db.session.add(agreement)
        db.session.commit()
    ev = event(client, api["dispatcher"])
    codes = [order(client, api["dispatcher"], ev["code"],
                   lines=[{"item_code": "1060101", "quantity": 10}])["code"] for _ in range(2)]
    calloffs = []
    for code in codes:
        approved = client.post(f"/api/v1/dispatch-orders/{code}/approve", headers=api["admin"])
        calloffs.append(approved.json["calloffs"][0]["code"])
    url = f"/api/v1/call-offs/{calloffs[0]}/receive"
    too_many = client.post(url, headers=api["admin"], json={"quantity": 11, "batch_no": "L1"})
    assert too_many.status_code == 422 and list(too_many.json["errors"]) == ["quantity"]
    assert "10" in too_many.json["errors"]["quantity"][0]
    short = client.post(url, headers=api["admin"], json={"quantity": 7, "batch_no": "L1"})
    assert short.status_code == 200, short.json
    assert (short.json["received_quantity"], short.json["shortfall"]) == (7, 3)
    again = client.post(url, headers=api["admin"], json={"quantity": 1})
    assert again.status_code == 409 and "已接收" in again.json["detail"]  # status by its label
    more = client.post(f"/api/v1/call-offs/{calloffs[1]}/receive", headers=api["admin"],
                       json={"quantity": 12, "batch_no": "L2", "accept_excess": True})
    assert more.status_code == 200 and (more.json["received_quantity"], more.json["shortfall"]) == (
        12, 0)
    with app.app_context():
        assert ledger.verify(db.session) == []
