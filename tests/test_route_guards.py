"""Nobody in where they do not belong, checked on every route of the URL map.

Walking `app.url_map` (tests/routes.py) instead of listing URLs means a route added by
any branch is covered the day it lands: without a session or token it is refused, a role
lacking its permission gets 403, and a route that forgets `@permission_required` fails
`test_every_route_is_public_by_name_or_carries_a_permission`.
"""
import re
import uuid

import pytest
import sqlalchemy as sa

from inventory.auth import PUBLIC_ENDPOINTS
from inventory.extensions import db
from inventory.models import Item, Lot, Movement, Role, User
from inventory.services.access import ROLE_PERMISSIONS, Permission
from tests.conftest import login
from tests.factories import PASSWORD
from tests.routes import SIGNED_IN_ONLY, guarded, routes, unguarded_views

PROBLEM = "application/problem+json"
# The only endpoints anyone may reach signed out. Widening this list is a decision.
PUBLIC = {"static", "web.login", "web.set_language", "health", "api.openapi", "web.problem_type"}
ROLE_USERS = {Role.ADMIN: "admin", Role.BUREAU: "bureau", Role.DISPATCHER: "dispatcher",
              Role.KEEPER: "keeper", Role.VIEWER: "viewer"}


def _request(client, route, path=None, **kw):
    return client.open(path or route.path(), method=route.method, **kw)


def _signed_in(app, username):
    client = app.test_client()
    login(client, username)
    return client


def test_public_endpoints_are_exactly_the_allow_list():
    assert PUBLIC_ENDPOINTS == PUBLIC


def test_every_route_is_public_by_name_or_carries_a_permission(app):
    assert unguarded_views(app) == [], "add @permission_required(...) to these views"


def test_the_walk_notices_a_route_that_forgets_its_guard(make_app):
    app = make_app()
    app.add_url_rule("/sneaky", "sneaky", lambda: "in")
    assert unguarded_views(app) == ["sneaky"]
    assert "sneaky" in {route.endpoint for route in guarded(app)}
    assert app.test_client().get("/sneaky").status_code == 302  # sign-in is still required


def test_signed_out_requests_are_refused_on_every_route(app, world):
    client = app.test_client()
    failures = []
    for route in guarded(app):
        for headers in ({}, {"Authorization": "Bearer inv_not-a-real-token"}):
            response = _request(client, route, headers=headers)
            if route.is_json:
                ok = response.status_code == 401 and response.mimetype == PROBLEM
            else:
                ok = response.status_code == 302 and "/login" in response.headers["Location"]
            if not ok:
                failures.append(f"{route} {headers} -> {response.status_code}")
    assert failures == []
    assert len(guarded(app)) > 40  # the walk really walked


def test_a_role_without_the_permission_gets_403_on_every_route(app, world, token_for):
    clients = {role: _signed_in(app, name) for role, name in ROLE_USERS.items()}
    tokens = {role: token_for(name) for role, name in ROLE_USERS.items()}
    failures, checked = [], 0
    for route in guarded(app):
        if route.permission in (None, Permission.VIEW):
            continue
        for role, granted in ROLE_PERMISSIONS.items():
            if route.permission in granted:
                continue
            checked += 1
            if route.is_json:
                response = _request(app.test_client(), route, headers=tokens[role], json={})
                ok = response.status_code == 403 and response.mimetype == PROBLEM
            else:
                response = _request(clients[role], route)
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{route} as {role.value} -> {response.status_code}")
    assert failures == []
    assert checked > 40


def test_approving_write_offs_needs_more_than_the_page(app, world):
    """/write-offs is readable with VIEW; approving there needs APPROVE_STOCK."""
    keeper = _signed_in(app, "keeper")
    assert keeper.get("/write-offs").status_code == 200
    assert keeper.post("/write-offs", data={"movement": "1"}).status_code == 403


def test_the_refusals_come_from_the_role_not_from_the_route(app, world, token_for):
    """The unscoped admin holds every permission: no route may answer it 403."""
    client, token = _signed_in(app, "admin"), token_for("admin")
    forbidden = [str(route) for route in guarded(app)
                 if _request(client, route, headers=token if route.is_json else {},
                             json={} if route.is_json and route.method != "GET" else None
                             ).status_code == 403]
    assert forbidden == []


def test_a_deactivated_or_revoked_token_is_refused(app, world, token_for):
    from inventory.models import ApiToken, utcnow
    from inventory.services import users
    keeper, viewer = token_for("keeper"), token_for("viewer")
    with app.app_context():
        users.update_user(db.session, users.get_user(db.session, "keeper"), actor=None,
                          now=utcnow(), is_active=False)
        token_id = db.session.scalar(sa.select(ApiToken.id).join(ApiToken.user).where(
            User.username == "viewer"))
        users.revoke_token(db.session, token_id=token_id, actor=None, now=utcnow())
        db.session.commit()
    client = app.test_client()
    assert client.get("/api/v1/stock", headers=keeper).status_code == 401
    assert client.get("/api/v1/stock", headers=viewer).status_code == 401


# --- unit scope ---------------------------------------------------------------------------
# The scoped user is `bureau` (every permission but users, area D1). In its area: D1,
# DEP-D1, lot T1; outside: D2, DEP-D2, lot T2 (held and owned by D2).

def _scope_values(app, endpoint: str, inside: bool) -> dict:
    with app.app_context():
        lot = "T1" if inside else "T2"
        movement_id = db.session.scalar(sa.select(Movement.id).join(Lot, Movement.lot_id == Lot.id)
                                        .where(Lot.lot_code == lot).order_by(Movement.id))
    depot, unit = ("DEP-D1", "D1") if inside else ("DEP-D2", "D2")
    values = {"depot_code": depot, "lot_code": lot, "unit_code": unit, "movement_id": movement_id}
    codes = AREA_CODES["inside" if inside else "outside"]
    kind = next((k for k in ("depot", "unit", "agreement", "event", "distribut", "order")
                 if k in endpoint), None)
    if kind in ("depot", "unit"):
        values["code"] = depot if kind == "depot" else unit
    elif kind is not None and kind in codes:
        values["code"] = codes[kind]
    return values


# Codes of resources made by the `area_resources` fixture, per side of the scope line.
AREA_CODES = {"inside": {"agreement": "AG-D1", "event": "EV-D1", "distribut": "EV-D1",
                         "order": None},
              "outside": {"agreement": "AG-D2", "event": "EV-D2", "distribut": "EV-D2",
                          "order": None}}


@pytest.fixture
def area_resources(app, world):
    """An agreement, an event and a dispatch order on each side of bureau's area (D1)."""
    from datetime import date, timedelta

    from inventory.models import AgreementMode, Unit, utcnow
    from inventory.services import agreements, dispatch, events

    with app.app_context():
        s = db.session
        partner = agreements.create_partner(s, code="P-AREA", name="Partner", now=utcnow())
        admin = s.scalar(sa.select(User).where(User.username == "admin"))
        for side, unit_code, item in (("inside", "D1", "1010101"), ("outside", "D2", "1010101")):
            unit = s.scalar(sa.select(Unit).where(Unit.code == unit_code))
            terms = agreements.AgreementTerms(
                partner=partner, owner=unit, mode=AgreementMode.SUPPLY, valid_from=date.today(),
                valid_to=date.today() + timedelta(days=90), lead_time_hours=4)
            agreements.create_agreement(s, code=f"AG-{unit_code}", terms=terms, now=utcnow(),
                                        lines=[{"item_code": item, "quantity": 10}])
            event = events.create_event(s, admin, name=f"Flood {unit_code}", unit=unit,
                                        started_at=utcnow(), now=utcnow(), code=f"EV-{unit_code}")
            order = dispatch.create_order(s, admin, event=event, to_unit=unit, to_depot=None,
                                          lines=[(s.scalar(sa.select(Item).where(Item.code == item)), 1)],
                                          people=None, now=utcnow())
            AREA_CODES[side]["order"] = order.code
        s.commit()


SCOPED_ARGUMENTS = {"depot_code", "lot_code", "unit_code", "movement_id", "code"}


def _scoped_routes(app):
    for route in guarded(app):
        arguments = set(route.rule.arguments) - {"fmt"}
        values = _scope_values(app, route.endpoint, inside=False)
        if arguments and arguments <= SCOPED_ARGUMENTS and arguments <= set(values):
            yield route


def test_another_areas_resources_are_403_or_404_on_every_scoped_route(app, world, token_for,
                                                                      area_resources):
    client, token = _signed_in(app, "bureau"), token_for("bureau")
    failures, checked = [], []
    for route in _scoped_routes(app):
        for inside in (False, True):
            path = route.path(_scope_values(app, route.endpoint, inside))
            kwargs = {"headers": token, "json": {"request_id": str(uuid.uuid4()), "reason": "x"}} \
                if route.is_json and route.method != "GET" else {"headers": token} \
                if route.is_json else {}
            status = _request(client, route, path, **kwargs).status_code
            refused = status in (403, 404)
            if refused == inside:
                failures.append(f"{route} {'inside' if inside else 'outside'} {path} -> {status}")
        checked.append(route.endpoint)
    assert failures == [], "\n".join(failures)
    assert {"web.depot_detail", "web.lot_detail", "web.lot_book", "web.depot_form",
            "web.unit_form", "api.movements_reverse", "web.depot_label_image",
            "web.agreement_detail", "web.event_detail", "web.order_detail",
            "api.orders_approve"} <= set(checked)


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


# --- CSRF ---------------------------------------------------------------------------------

def _csrf_client(app):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(
        as_text=True)).group(1)
    response = client.post("/login", data={"username": "admin", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    return client, re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_every_post_is_refused_without_a_csrf_token(world_app):
    app = world_app(WTF_CSRF_ENABLED=True)
    client, token = _csrf_client(app)
    failures, checked = [], 0
    for route in routes(app):
        if route.method == "GET":
            continue
        checked += 1
        if route.is_json:
            without = _request(client, route, json={})
            with_token = _request(client, route, json={}, headers={"X-CSRFToken": token})
            ok = (without.status_code == 400 and without.json["type"] == "/problems/csrf"
                  and with_token.status_code != 400)
        else:
            without = _request(client, route, data={"name": "x"})
            with_token = _request(client, route, data={"name": "x", "csrf_token": token})
            ok = without.status_code == 400 and with_token.status_code != 400
        if not ok:
            failures.append(f"{route}: {without.status_code} / with token {with_token.status_code}")
        if route.endpoint == "web.logout":
            client, token = _csrf_client(app)  # the accepted logout signed us out
    assert failures == []
    assert checked > 20


def test_bearer_token_calls_need_no_csrf_token_but_cookies_do(world_app):
    app = world_app(WTF_CSRF_ENABLED=True)
    client, _ = _csrf_client(app)
    body = {"payload": "http://h/q/T/T1"}
    assert client.post("/api/v1/scans", json=body).status_code == 400
    with app.app_context():
        from inventory.models import utcnow
        from inventory.services import users
        bearer = users.create_token(db.session, user=users.get_user(db.session, "admin"),
                                    now=utcnow())
        db.session.commit()
    fresh = app.test_client()
    response = fresh.post("/api/v1/scans", json=body, headers={"Authorization": f"Bearer {bearer}"})
    assert response.status_code == 200


# --- cookies and sign-in ------------------------------------------------------------------

def test_session_cookie_is_secure_behind_an_https_proxy(world_app):
    client = world_app(PROXY_COUNT=1).test_client()
    response = client.post("/login", data={"username": "admin", "password": PASSWORD},
                           headers={"X-Forwarded-Proto": "https"})
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    plain = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_secure_cookies_can_be_forced(world_app):
    client = world_app(SECURE_COOKIES="true").test_client()
    response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_one_address_guessing_many_accounts_is_throttled(world_app):
    client = world_app(LOGIN_MAX_FAILURES=2).test_client()
    for name in ("admin", "bureau", "dispatcher", "keeper", "keeper2", "nobody", "x", "y"):
        client.post("/login", data={"username": name, "password": "wrong-password"})
    response = client.post("/login", data={"username": "viewer", "password": PASSWORD})
    assert response.status_code == 429  # right password, but this address is locked
    elsewhere = client.post("/login", data={"username": "viewer", "password": PASSWORD},
                            environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert elsewhere.status_code == 302
