"""Nobody in where they do not belong, checked on every route of the URL map.

Walking `app.url_map` (tests/routes.py) instead of listing URLs means a route added by
any branch is covered the day it lands: without a session or token it is refused, a role
lacking its permission gets 403, and a route that forgets `@permission_required` fails
`test_every_route_is_public_by_name_or_carries_a_permission`. The area walk (another
area's records refused on every route) is in tests/test_area_scope.py.
"""
import re

import pytest
import sqlalchemy as sa

from inventory.auth import PUBLIC_ENDPOINTS
from inventory.extensions import db
from inventory.models import Role, User
from inventory.services.access import ROLE_PERMISSIONS, Permission
from tests.conftest import login
from tests.factories import PASSWORD
from tests.routes import (SIGNED_IN_ONLY, build_route_data, guarded, real_values, routes,
                          unguarded_views)

PROBLEM = "application/problem+json"
# The only endpoints anyone may reach signed out. Widening this list is a decision.
PUBLIC = {"static", "web.login", "web.set_language", "health", "api.openapi", "web.problem_type",
          "web.service_worker"}  # a static script; a browser checks it for updates signed out too
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


@pytest.fixture
def route_data(app, world):
    """Real codes for the path arguments (tests/routes.py), so requests reach the views."""
    with app.app_context():
        data = build_route_data(db.session, instance_path=app.instance_path)
        db.session.commit()
    return data


def _real_path(route, route_data) -> str:
    return route.path(real_values(route, route_data))


def test_a_role_without_the_permission_gets_403_on_every_route(app, route_data, token_for):
    clients = {role: _signed_in(app, name) for role, name in ROLE_USERS.items()}
    tokens = {role: token_for(name) for role, name in ROLE_USERS.items()}
    failures, checked = [], 0
    for route in guarded(app):
        if route.permission in (None, Permission.VIEW):
            continue
        path = _real_path(route, route_data)
        for role, granted in ROLE_PERMISSIONS.items():
            if route.permission in granted:
                continue
            checked += 1
            if route.is_json:
                response = _request(app.test_client(), route, path, headers=tokens[role],
                                    json={})
                ok = response.status_code == 403 and response.mimetype == PROBLEM
            else:
                response = _request(clients[role], route, path)
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


def test_the_refusals_come_from_the_role_not_from_the_route(app, route_data, token_for):
    """The unscoped admin holds every permission: no route may answer it 403, and it stays
    signed in throughout (signing out is the walk's last step), so every page is really
    asked for, at a path naming real records."""
    client, token = _signed_in(app, "admin"), token_for("admin")
    walked = [route for route in guarded(app) if route.endpoint != "web.logout"]
    failures = []
    for route in walked + [route for route in guarded(app) if route.endpoint == "web.logout"]:
        response = _request(client, route, _real_path(route, route_data),
                            headers=token if route.is_json else {},
                            json={} if route.is_json and route.method != "GET" else None)
        signed_out = "/login" in response.headers.get("Location", "")
        if response.status_code == 403 or (signed_out and route.endpoint != "web.logout"):
            failures.append(f"{route} -> {response.status_code}")
    assert failures == []
    assert client.get("/").status_code == 302  # the last step, signing out, did sign out


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
