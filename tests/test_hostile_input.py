"""Hostile and malformed input on every route: a clear 4xx, never a 500, never internals.

Each route of the URL map gets malformed JSON, wrong content types, absurd nesting, huge
numbers, NUL characters, unknown fields, oversized bodies and stray file uploads. The
answer must be a 4xx (problem+json under /api/), and no response may carry a stack trace,
SQL or driver names. Database errors are provoked too, to check what they answer.
"""
import json
import logging

import pytest
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from inventory.extensions import db
from tests.conftest import login
from tests.routes import build_route_data, guarded, real_values, routes

PROBLEM = "application/problem+json"
LEAKS = ("Traceback", 'File "', "sqlalchemy", "psycopg", "sqlite3", "SELECT ", "INSERT ",
         "UPDATE ", "DELETE FROM", "[SQL:", "IntegrityError", "password_hash")
HUGE = 10**30


def _leaks(response) -> list[str]:
    body = response.get_data().decode("utf-8", "replace")  # images and sheets too
    return [marker for marker in LEAKS if marker in body]


def _json_bodies():
    yield "malformed", {"data": '{"code": "1", ', "content_type": "application/json"}
    yield "text", {"data": "code=1&name=x", "content_type": "text/plain"}
    yield "form", {"data": {"code": "1"}}
    yield "array", {"json": [1, 2, 3]}
    yield "scalar", {"json": 12}
    yield "nested", {"data": "[" * 50_000 + "]" * 50_000, "content_type": "application/json"}
    yield "latin1", {"data": b'{"name": "\xe9\xff"}', "content_type": "application/json"}
    fields = ("code", "name", "unit", "tier", "kind", "quantity", "request_id", "payload",
              "depot_code", "lot_code", "item_code", "population", "target_people",
              "per_person", "shelf_life_days", "pack_size", "reason", "unit_code")
    yield "huge", {"json": {name: HUGE for name in fields}}
    yield "floats", {"data": json.dumps({name: 1e308 for name in fields}).replace(
        "1e+308", "1e999"), "content_type": "application/json"}
    yield "nul", {"json": {name: "a\x00b" for name in fields}}
    yield "long", {"json": {name: "长" * 5000 for name in fields}}
    yield "unknown", {"json": {"surprise": True, "__proto__": {"admin": True}}}
    yield "types", {"json": {name: {"$ne": None} for name in fields}}


HUGE_ARGS = "&".join(f"{name}={HUGE}" for name in (
    "days", "stale_days", "copies", "people", "hours", "horizon_hours", "population", "quantity",
    "target_people", "lead_time_hours", "check_interval_days", "since", "until", "on", "day"))
QUERIES = ("?page=1000000000000000000000&per_page=x", "?page=-1", f"?since=9999-12-31T23:00:00-05:00",
           "?q=%00&unit=%00", "?depot=" + "x" * 5000, "?lot=%ff%fe", "?kind=nope&category=nope",
           "?expiring_within_days=99999999999999999999", "?" + HUGE_ARGS,
           "?state=nope&status=nope&severity=nope&mode=nope&basis=nope&format=nope&layout=nope")


@pytest.fixture
def route_data(app, world):
    """Real codes for every path argument, so the walks reach the handlers (not the 404 of
    a placeholder) and their bodies and queries are parsed."""
    with app.app_context():
        data = build_route_data(db.session, instance_path=app.instance_path)
        db.session.commit()
    return data


def _walked(app, route_data):
    """Every guarded route with a real path, signing out last (the walk stays signed in)."""
    walked = [(route, route.path(real_values(route, route_data))) for route in guarded(app)
              if route.endpoint != "web.logout"]
    assert len(walked) > 100 and sum(1 for route, _ in walked if route.rule.arguments) > 60
    return walked


def _signed_out(response) -> bool:
    return response.status_code in (301, 302, 303) and "/login" in response.headers.get(
        "Location", "")


def _unexpected(caplog) -> list[str]:
    """Errors the app logged: a 500, or an overflow the safety net caught (errors.py)."""
    return [record.getMessage() for record in caplog.records
            if record.name == "inventory.errors" and record.levelno >= logging.ERROR]


def test_malformed_bodies_and_queries_get_a_clear_4xx_on_every_route(app, route_data, token_for,
                                                                       caplog):
    headers = token_for("admin")
    client = app.test_client()
    login(client, "admin")
    failures, parsed = [], 0
    for route, real_path in _walked(app, route_data):
        kw = {"headers": headers} if route.is_json else {}
        attempts = ([(name, body) for name, body in _json_bodies()] if route.method != "GET"
                    else [(query, {}) for query in QUERIES])
        for name, body in attempts:
            path = real_path + (name if route.method == "GET" else "")
            response = client.open(path, method=route.method, **kw, **body)
            status = response.status_code
            parsed += status != 404
            if status >= 500 or _leaks(response):
                failures.append(f"{route} [{name}] -> {status} {_leaks(response)}")
            elif _signed_out(response):
                failures.append(f"{route} [{name}] -> signed out ({response.headers['Location']})")
            elif route.is_json and status >= 400 and response.mimetype != PROBLEM:
                failures.append(f"{route} [{name}] -> {status} {response.mimetype}")
    assert failures == [], "\n".join(failures)
    assert _unexpected(caplog) == []
    assert parsed > 1000  # requests reached their handlers, not the 404 of a lookup


@pytest.mark.parametrize("value", ["X%00Y", "9" * 40, "x" * 3000, "..%2F..%2Fetc%2Fpasswd",
                                   "%E9%FF", "<x-evil>"])
def test_odd_path_values_are_4xx_on_every_route(app, world, token_for, value):
    headers = token_for("admin")
    client = app.test_client()
    login(client, "admin")
    failures = []
    for route in guarded(app):
        arguments = [a for a in route.rule.arguments if a not in ("fmt", "kind")]
        if not arguments:
            continue
        path = route.path({a: "PLACEHOLDER" for a in arguments if a not in ("movement_id",
                                                                           "token_id")})
        path = path.replace("PLACEHOLDER", value).replace("999999", value)
        response = client.open(path, method=route.method, json={} if route.is_json else None,
                               headers=headers if route.is_json else {})
        if response.status_code >= 500 or _leaks(response) or _signed_out(response):
            failures.append(f"{route} {path[:60]} -> {response.status_code}")
    assert failures == []


# --- uploads ------------------------------------------------------------------------------

def test_oversized_bodies_are_refused_with_413_on_every_route(world_app):
    app = world_app(MAX_UPLOAD_MB=1)
    client = app.test_client()
    login(client, "admin")
    big = "x" * (1024 * 1024 + 10)
    failures = []
    for route in routes(app):
        if route.method == "GET":
            continue
        if route.is_json:
            response = client.open(route.path(), method=route.method, json={"payload": big})
            ok = response.status_code == 413 and response.mimetype == PROBLEM
        else:
            response = client.open(route.path(), method=route.method, data={"name": big})
            ok = response.status_code == 413
        if not ok:
            failures.append(f"{route} -> {response.status_code}")
    assert failures == []


def test_stray_file_uploads_never_break_a_route(app, route_data, token_for, caplog):
    headers = token_for("admin")
    client = app.test_client()
    login(client, "admin")
    failures = []
    for route, path in _walked(app, route_data):
        if route.method == "GET":
            continue
        for filename, content, mimetype in (
                ("evil.html", b"<script>alert(1)</script>", "text/html"),
                ("stock.xlsx", b"PK\x03\x04 not really a workbook", "application/octet-stream"),
                ("../../etc/passwd", b"root:x:0:0", "text/plain")):
            response = client.open(
                path, method=route.method, headers=headers if route.is_json else {},
                data={"file": (__import__("io").BytesIO(content), filename, mimetype),
                      "name": "x"}, content_type="multipart/form-data")
            status = response.status_code
            if status >= 500 or _leaks(response):
                failures.append(f"{route} {filename} -> {status}")
            elif _signed_out(response):
                failures.append(f"{route} {filename} -> signed out")
            elif ("import" in route.endpoint or "upload" in route.endpoint) and status < 400:
                failures.append(f"{route} accepted {filename} ({status})")
    assert failures == [], "\n".join(failures)
    assert _unexpected(caplog) == []


# --- provoked server-side errors ----------------------------------------------------------

def _boom(error):
    def raiser(*_args, **_kwargs):
        raise error
    return raiser


SQL = "INSERT INTO unit (code, password_hash) VALUES ('secret', 'pbkdf2:...')"


@pytest.mark.parametrize("error,status,slug", [
    (IntegrityError(SQL, {"code": "x"}, Exception("UNIQUE constraint failed: unit.code")), 409,
     "/problems/conflict"),
    (DataError(SQL, {}, Exception("value too long for type character varying(64)")), 422,
     "/problems/validation-error"),
    (OperationalError(SQL, {}, Exception("database is locked")), 503, "/problems/unavailable"),
    (OverflowError("date value out of range"), 422, "/problems/validation-error"),
    (RuntimeError(f"unexpected: {SQL}"), 500, "/problems/internal"),
])
def test_database_and_internal_errors_answer_without_internals(app, world, token_for,
                                                               monkeypatch, error, status, slug):
    from inventory.services import units
    monkeypatch.setattr(units, "create_unit", _boom(error))
    response = app.test_client().post("/api/v1/units", headers=token_for("admin"),
                                      json={"code": "X1", "name": "x", "tier": "city"})
    assert response.status_code == status and response.mimetype == PROBLEM
    assert response.json["type"] == slug
    assert _leaks(response) == [] and "secret" not in response.get_data(as_text=True)
    client = app.test_client()
    login(client, "admin")
    page = client.post("/admin/units/new", data={"code": "X1", "name": "x", "tier": "city"})
    assert page.status_code == status and page.mimetype == "text/html"
    assert _leaks(page) == [] and "secret" not in page.get_data(as_text=True)


def test_an_overflow_is_a_422_but_logged_as_the_error_it_is(app, world, token_for, monkeypatch,
                                                            caplog):
    """The safety net answers the user clearly and still tells the operator (with the
    traceback) that some input went unvalidated; the walks above fail on that log line."""
    from inventory.services import units
    monkeypatch.setattr(units, "create_unit", _boom(OverflowError("Python int too large")))
    response = app.test_client().post("/api/v1/units", headers=token_for("admin"),
                                      json={"code": "X1", "name": "x", "tier": "city"})
    assert response.status_code == 422 and response.mimetype == PROBLEM
    record, = [r for r in caplog.records if r.message.startswith("overflow")]
    assert record.levelname == "ERROR" and record.exc_info[0] is OverflowError


def test_a_real_constraint_violation_is_a_409_and_saves_nothing(app, world, token_for):
    """Two bookings racing for one request id: the database's unique index decides."""
    import sqlalchemy as sa

    from inventory.extensions import db
    from inventory.models import Movement
    headers = token_for("keeper")
    body = {"request_id": "same-id-123", "kind": "receive", "depot_code": "DEP-S1",
            "lot_code": "Q1", "quantity": 1}
    first = app.test_client().post("/api/v1/movements", json=body, headers=headers)
    assert first.status_code == 201
    other = app.test_client().post("/api/v1/movements", json={**body, "quantity": 2},
                                   headers=headers)
    assert other.status_code == 409 and other.json["type"] == "/problems/idempotency-conflict"
    assert _leaks(other) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(
            Movement.request_id == "same-id-123")) == 1
