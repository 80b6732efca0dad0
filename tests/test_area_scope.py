"""Nobody in another area's records: every route with a path argument, walked on both sides
of a scoped user's area line (tests/routes.py walks the URL map, so a route added later is
walked the day it lands, or fails the walk until it is listed in NOT_AREA_SCOPED).
"""
import uuid

import pytest
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Item, Lot, Movement, Role, User
from inventory.services.access import Permission
from tests.factories import make_user
from tests.routes import CODE_KINDS, guarded, routes
from tests.test_route_guards import PROBLEM, _request, _signed_in


# --- unit scope ---------------------------------------------------------------------------
# The scoped users are `bureau` (every permission but users, area D1) and, for the user and
# token routes, `sadmin` (an administrator of D1). In their area: D1, DEP-D1, lot T1 and
# the records of `area_resources` made for D1; outside: D2, DEP-D2, lot T2 and D2's.

# Routes with path arguments the area walk does not walk, each for a stated reason. Any
# other route with a path argument must be walked: a new one fails the walk until it is
# walked or listed here.
NOT_AREA_SCOPED = {
    "web.item_form": "the catalogue is shared by every area",
    "web.partner_form": "partners are shared; their agreements are scoped",
    "web.partner_site_add": "partners are shared; their agreements are scoped",
    "web.partner_detail": "partners are shared; the page lists only the area's agreements",
    "web.export_download": "the kind names a report, not a record; rows are filtered by area",
    "web.import_template": "an empty sheet: the kind names a layout, not a record",
    "web.rollup_report": "fmt only; the unit comes from the query and is checked there",
    "web.qr_redirect": "only redirects to the lot, depot or order page, which is walked",
}


def _side(session, unit_code: str, *, order, check) -> dict:
    """The records of one side of the scope line, by path argument (codes by CODE_KINDS)."""
    from inventory.models import Alert, ApiToken, Unit
    unit = session.scalar(sa.select(Unit).where(Unit.code == unit_code))
    lot = "T1" if unit_code == "D1" else "T2"
    user = {"D1": "keeper", "D2": "keeper2"}[unit_code]  # a keeper of S1 (in D1), of D2
    return {
        "depot_code": f"DEP-{unit_code}", "lot_code": lot, "unit_code": unit_code,
        "location_code": "R1",  # a storage location of each side's depot
        "movement_id": session.scalar(sa.select(sa.func.min(Movement.id)).join(
            Lot, Movement.lot_id == Lot.id).where(Lot.lot_code == lot)),
        "username": user,
        "token_id": session.scalar(sa.select(sa.func.max(ApiToken.id)).join(ApiToken.user)
                                   .where(User.username == user)),
        "alert_id": session.scalar(sa.select(sa.func.min(Alert.id)).where(
            Alert.unit_id == unit.id)),
        "check_id": check.id,
        "allocation_id": order.allocations[0].id if order.allocations else None,
        "codes": {"depot": f"DEP-{unit_code}", "unit": unit_code, "lot": lot,
                  "agreement": f"AG-{unit_code}", "event": f"EV-{unit_code}", "order": order.code,
                  "calloff": order.calloffs[0].code if order.calloffs else None},
    }


@pytest.fixture
def area_resources(app, world):
    """On each side of the line: an agreement (with a checked photo), an event, a dispatch
    order with allocations and a call-off, a token, and the alerts of the reserve."""
    from datetime import date, timedelta
    from pathlib import Path

    from inventory.models import AgreementMode, Depot, Unit, utcnow
    from inventory.services import agreements, alerts, dispatch, events, users
    from inventory.services.units import add_storage_location
    from tests.factories import receive

    with app.app_context():
        s = db.session
        make_user(s, "sadmin", Role.ADMIN, s.scalar(sa.select(Unit).where(Unit.code == "D1")))
        partner = agreements.create_partner(s, code="P-AREA", name="Partner", now=utcnow())
        admin = s.scalar(sa.select(User).where(User.username == "admin"))
        photos = Path(app.instance_path) / "uploads/agreement-checks"
        photos.mkdir(parents=True, exist_ok=True)
        made = {}
        # An item of each side's own (torches in D1, rations in D2), held there and under
        # the side's agreement only, so neither order touches the other side.
        for unit_code, item_code in (("D1", "1060101"), ("D2", "1040101")):
            unit = s.scalar(sa.select(Unit).where(Unit.code == unit_code))
            item = s.scalar(sa.select(Item).where(Item.code == item_code))
            receive(s, item, s.scalar(sa.select(Depot).where(Depot.code == f"DEP-{unit_code}")),
                    10, lot_code=f"L-{unit_code}")
            terms = agreements.AgreementTerms(
                partner=partner, owner=unit, mode=AgreementMode.SUPPLY, valid_from=date.today(),
                valid_to=date.today() + timedelta(days=90), lead_time_hours=4)
            agreement = agreements.create_agreement(
                s, code=f"AG-{unit_code}", terms=terms, now=utcnow(),
                lines=[{"item_code": item_code, "quantity": 1000}])
            (photos / f"{unit_code}.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
            check = agreements.record_check(
                s, agreement, checked_on=date.today(), checker=admin, photo=f"{unit_code}.png",
                found={line.id: 1 for line in agreement.lines}, now=utcnow())
            event = events.create_event(s, admin, name=f"Flood {unit_code}", unit=unit,
                                        started_at=utcnow(), now=utcnow(), code=f"EV-{unit_code}")
            # more than is held: the stock is allocated and the rest called off
            order = dispatch.create_order(s, admin, event=event, to_unit=unit, to_depot=None,
                                          lines=[(item, 50)], people=None, now=utcnow())
            users.create_token(s, user=users.get_user(s, "keeper" if unit_code == "D1"
                                                      else "keeper2"), now=utcnow())
            add_storage_location(s, depot=s.scalar(sa.select(Depot).where(
                Depot.code == f"DEP-{unit_code}")), code="R1", name="Room 1", now=utcnow())
            made[unit_code] = (order, check)
        alerts.evaluate(s, today=date.today(), now=utcnow())
        sides = {"inside": _side(s, "D1", order=made["D1"][0], check=made["D1"][1]),
                 "outside": _side(s, "D2", order=made["D2"][0], check=made["D2"][1])}
        s.commit()
    for side in sides.values():
        assert None not in (side["alert_id"], side["allocation_id"], side["codes"]["calloff"])
    return sides


# What a JSON POST of the walk carries (else a request id and a reason): enough to pass
# validation, so the answer comes from the area check and not from a 422 on the body.
API_BODIES = {"api.calloffs_receive": {"quantity": 1, "batch_no": "B1"}}


def _scope_path(route, side: dict) -> str:
    """The route's path filled with one side's records; KeyError when it cannot be."""
    values = {}
    for name in set(route.rule.arguments) - {"fmt"}:
        if name == "code":
            kind = next((kind for word, kind in CODE_KINDS if word in route.endpoint), None)
            if kind not in side["codes"]:
                raise KeyError(f"no {kind} for code")
            values[name] = side["codes"][kind]
        else:
            values[name] = side[name]
        if values[name] is None:
            raise KeyError(name)
    return route.path(values)


def _scoped_routes(app, sides) -> tuple[list, list[str]]:
    """(routes the area walk walks, routes with path arguments it could not classify)."""
    walked, unclassified = [], []
    for route in guarded(app):
        if not set(route.rule.arguments) - {"fmt"} or route.endpoint in NOT_AREA_SCOPED:
            continue
        try:
            _scope_path(route, sides["outside"])
            walked.append(route)
        except KeyError as error:
            unclassified.append(f"{route}: {error}")
    return walked, unclassified


def test_another_areas_resources_are_403_or_404_on_every_scoped_route(app, world, token_for,
                                                                      area_resources):
    bureau, bureau_token = _signed_in(app, "bureau"), token_for("bureau")
    district_admin = _signed_in(app, "sadmin")
    walked, unclassified = _scoped_routes(app, area_resources)
    assert unclassified == [], "walk these routes or add them to NOT_AREA_SCOPED with a reason"
    failures, checked = [], []
    for route in walked:
        client = district_admin if route.permission is Permission.MANAGE_USERS else bureau
        for side in ("outside", "inside"):
            path = _scope_path(route, area_resources[side])
            if route.is_json and route.method != "GET":
                body = API_BODIES.get(route.endpoint) or {"request_id": str(uuid.uuid4()),
                                                          "reason": "x"}
                kwargs = {"headers": bureau_token, "json": body}
            else:
                kwargs = {"headers": bureau_token} if route.is_json else {}
            response = _request(client, route, path, **kwargs)
            refused = response.status_code in (403, 404)
            if refused == (side == "inside") or response.status_code >= 500 or (
                    "/login" in response.headers.get("Location", "")):
                failures.append(f"{route} {side} {path} -> {response.status_code}")
        checked.append(route.endpoint)
    assert failures == [], "\n".join(failures)
    assert {"web.depot_detail", "web.lot_detail", "web.lot_book", "web.depot_form",
            "web.unit_form", "api.movements_reverse", "web.depot_label_image",
            "web.agreement_detail", "web.event_detail", "web.order_detail",
            "api.orders_approve", "web.user_form", "web.token_create", "web.token_revoke",
            "web.alert_acknowledge", "web.alert_resolve", "api.alerts_acknowledge",
            "api.alerts_resolve", "web.calloff_receive", "api.calloffs_receive",
            "web.request_new", "web.order_owner_approve", "web.agreement_check_photo",
            "web.storage_location_add", "web.storage_location_edit",
            "web.storage_location_remove", "web.depot_minimums"} <= set(checked)


@pytest.mark.parametrize("method,url,body", [
    ("GET", "/api/v1/stock?depot=DEP-D2", None),
    ("GET", "/api/v1/stock?unit=D2", None),
    ("GET", "/api/v1/stock?lot=T2", None),
    ("GET", "/api/v1/movements?depot=DEP-D2", None),
    ("POST", "/api/v1/movements", {"kind": "issue", "depot_code": "DEP-D2", "lot_code": "T2",
                                   "quantity": 1}),
    ("POST", "/api/v1/movements", {"kind": "receive", "depot_code": "DEP-D1", "item_code": "1010101",
                                   "owner_code": "D2", "batch_no": "X", "quantity": 1}),
    ("POST", "/api/v1/movements", {"kind": "transfer", "depot_code": "DEP-D2", "lot_code": "T2",
                                   "to_depot_code": "DEP-D1", "quantity": 1}),
    ("POST", "/api/v1/depots", {"code": "DEP-X", "name": "x", "unit_code": "D2"}),
    ("POST", "/api/v1/units", {"code": "X9", "name": "x", "tier": "street", "parent_code": "D2"}),
    ("POST", "/api/v1/scans", {"payload": "http://h/q/T/T2", "depot_code": "DEP-D2"}),
    ("POST", "/api/v1/scans", {"payload": "http://h/q/D/DEP-D2"}),
])
def test_representative_out_of_area_requests_show_and_change_nothing(client, app, world, token_for,
                                                                    method, url, body):
    if body is not None and "request_id" not in body and "movements" in url:
        body = {**body, "request_id": str(uuid.uuid4())}
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(Movement.id)))
    response = client.open(url, method=method, json=body, headers=token_for("bureau"))
    if response.status_code == 200:  # a list: filtered to nothing from the other area
        assert response.json["items"] == [] or "D2" not in str(response.json["items"])
    else:
        assert response.status_code in (403, 404, 422), response.json
        assert response.mimetype == PROBLEM
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Movement.id))) == before


def test_scanning_another_areas_lot_tells_what_it_is_but_not_what_is_held(client, world,
                                                                           token_for):
    """A keeper may hold a label of a lot first booked elsewhere (a delivery): the scan says
    which item and expiry it is, never where or how much another area holds."""
    response = client.post("/api/v1/scans", json={"payload": "http://h/q/T/T2"},
                           headers=token_for("bureau"))
    assert response.status_code == 200 and response.json["item"]["code"] == "1010101"
    assert response.json["owners"] == [] and response.json.get("on_hand") is None
    assert "DEP-D2" not in response.get_data(as_text=True)


def _values(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value)
    else:
        yield data


def test_no_api_list_shows_another_areas_depots_or_lots(app, world, token_for):
    token = token_for("bureau")
    client = app.test_client()
    leaks = []
    for route in routes(app):
        if route.method != "GET" or not route.rule.rule.startswith("/api/") or route.rule.arguments:
            continue
        response = client.get(route.path(), headers=token)
        if response.status_code != 200 or "items" not in (response.json or {}):
            continue
        seen = {value for value in _values(response.json["items"])}
        if seen & {"DEP-D2", "T2", "D2"}:
            leaks.append(f"{route}: {sorted(seen & {'DEP-D2', 'T2', 'D2'})}")
    assert leaks == []
