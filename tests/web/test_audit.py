"""The audit record: every sign-in (failed and throttled too), role change and administrative
edit, with who and when, shown to administrators with filters."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import AuditEvent, Role, utcnow
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def _events(app, **where) -> list[AuditEvent]:
    with app.app_context():
        stmt = sa.select(AuditEvent).order_by(AuditEvent.id)
        for column, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, column) == value)
        rows = list(db.session.scalars(stmt))
        return [(e.action, e.actor.username if e.actor else None, e.subject, e.detail,
                 e.remote_addr, e.at) for e in rows]


def _recent(at) -> bool:
    at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    return abs(datetime.now(timezone.utc) - at) < timedelta(minutes=1)


def test_every_sign_in_is_recorded_with_who_when_and_where(world_app):
    app = world_app(LOGIN_MAX_FAILURES=2)
    client = app.test_client()
    address = {"REMOTE_ADDR": "10.1.2.3"}
    client.post("/login", data={"username": "keeper", "password": PASSWORD}, environ_base=address)
    client.post("/login", data={"username": "keeper", "password": "wrong-one"}, environ_base=address)
    client.post("/login", data={"username": "keeper", "password": "wrong-two"}, environ_base=address)
    throttled = client.post("/login", data={"username": "keeper", "password": PASSWORD},
                            environ_base=address)
    assert throttled.status_code == 429
    events = _events(app, subject="user:keeper")
    assert [(e[0], e[1], e[4]) for e in events if e[0].startswith("login")] == [
        ("login", "keeper", "10.1.2.3"), ("login.failed", None, "10.1.2.3"),
        ("login.failed", None, "10.1.2.3"), ("login.throttled", None, "10.1.2.3")]
    assert all(_recent(e[5]) for e in events)


def test_role_scope_and_name_changes_are_recorded_with_who_made_them(client, app, world):
    login(client, "admin")
    response = client.post("/admin/users/keeper/edit", data={
        "role": "viewer", "unit_code": "S2", "display_name": "Keeper Renamed", "is_active": "1"})
    assert response.status_code == 302
    (action, actor, subject, detail, _, at), = _events(app, action="user.update")
    assert (action, actor, subject) == ("user.update", "admin", "user:keeper")
    assert "role keeper->viewer" in detail and "unit S1->S2" in detail
    assert "display name keeper->Keeper Renamed" in detail and _recent(at)


def test_administrative_edits_are_recorded_through_pages_and_api(client, app, world, token_for):
    bureau = token_for("bureau")
    api = app.test_client()
    assert api.post("/api/v1/units", headers=bureau, json={
        "code": "S9", "name": "Nine", "tier": "street", "parent_code": "D1"}).status_code == 201
    assert api.post("/api/v1/depots", headers=bureau, json={
        "code": "DEP-S9", "name": "Nine", "unit_code": "S9"}).status_code == 201
    assert api.post("/api/v1/items", headers=bureau, json={
        "code": "1990001", "name": "x", "unit": "个"}).status_code == 201
    login(client, "admin")
    for url, data in [
            ("/admin/units/S9/edit", {"name": "Nine B", "tier": "street", "parent_code": "D1",
                                      "target_people": "100"}),
            ("/admin/depots/DEP-S9/edit", {"name": "Nine B", "unit_code": "S9", "kind": "depot",
                                           "is_active": "1"}),
            ("/admin/depots/DEP-S9/locations", {"code": "R1", "name": "Room 1"}),
            ("/admin/items/1990001/edit", {"name": "y", "unit": "个", "category": "other",
                                           "per_person": "0", "pack_size": "1", "is_active": "1"}),
            ("/admin/users/new", {"username": "clerk", "password": "long-enough-1",
                                  "role": "keeper", "unit_code": "S9"}),
            ("/admin/users/clerk/tokens", {"name": "scanner"})]:
        assert client.post(url, data=data).status_code in (200, 302), url
    with app.app_context():
        token_id = db.session.execute(sa.text("SELECT max(id) FROM api_token")).scalar()
    assert client.post(f"/admin/tokens/{token_id}/revoke").status_code == 302
    recorded = {(action, actor, subject) for action, actor, subject, *_ in _events(app)}
    assert {("unit.create", "bureau", "unit:S9"), ("depot.create", "bureau", "depot:DEP-S9"),
            ("item.create", "bureau", "item:1990001"), ("unit.update", "admin", "unit:S9"),
            ("depot.update", "admin", "depot:DEP-S9"), ("depot.location", "admin", "depot:DEP-S9"),
            ("item.update", "admin", "item:1990001"), ("user.create", "admin", "user:clerk"),
            ("token.create", "admin", "user:clerk"), ("token.revoke", "admin", "user:clerk"),
            } <= recorded


def test_depot_minimum_changes_are_recorded_and_shown(client, app, world):
    login(client, "bureau")
    for quantity in ("5", "8", ""):  # set, change, remove
        assert client.post("/admin/depots/DEP-D1/minimums",
                           data={"min.1010101": quantity}).status_code == 302
    client.post("/admin/depots/DEP-D1/minimums", data={"min.1010101": ""})  # no change
    assert [(e[0], e[1], e[2], e[3]) for e in _events(app, action="depot.minimum")] == [
        ("depot.minimum", "bureau", "depot:DEP-D1", f"item=1010101 minimum={change}")
        for change in ("0->5", "5->8", "8->0")]
    admin = app.test_client()
    login(admin, "admin")
    page = admin.get("/admin/audit?action=depot.").get_data(as_text=True)
    assert "修改仓库最低库存" in page and "物资：1010101，最低库存：5 → 8" in page


def test_the_audit_filter_offers_every_kind_of_record(client, world):
    login(client, "admin")
    page = client.get("/admin/audit?lang=en").get_data(as_text=True)
    for prefix in ("login", "user.", "token.", "unit.", "depot.", "item.", "partner.",
                   "agreement.", "event."):
        assert f'<option value="{prefix}"' in page, prefix


def test_command_line_changes_are_recorded_too(app, world, runner):
    assert runner.invoke(args=["create-user", "cliuser", "--role", "viewer", "--password-stdin"],
                         input="long-enough-pw\n").exit_code == 0
    assert runner.invoke(args=["create-token", "cliuser"]).exit_code == 0
    actions = [e[0] for e in _events(app, subject="user:cliuser")]
    assert actions == ["user.create", "token.create"]


def test_the_audit_page_is_for_administrators_and_filters(client, app, world):
    for name in ("bureau", "viewer"):
        other = app.test_client()
        login(other, name)
        assert other.get("/admin/audit").status_code == 403
    client.post("/login", data={"username": "viewer", "password": "wrong-password"})
    login(client, "admin")
    client.post("/admin/users/keeper/edit", data={"role": "viewer", "unit_code": "S1",
                                                  "is_active": "1"})
    page = client.get("/admin/audit").get_data(as_text=True)
    # in the reader's language: actions, subjects and details in words (codes as titles)
    assert 'title="login.failed">登录失败' in page and 'title="user.update">修改用户' in page
    assert "角色：库管员 → 只读用户" in page and "用户 keeper" in page
    english = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "Sign-in failed" in english and "Role: Depot keeper → Viewer" in english
    client.get("/admin/audit?lang=zh")
    filtered = client.get("/admin/audit?action=login.failed").get_data(as_text=True)
    assert 'title="login.failed"' in filtered and 'title="user.update"' not in filtered
    by_user = client.get("/admin/audit?who=keeper").get_data(as_text=True)
    assert "用户 keeper" in by_user and "用户 viewer" not in by_user
    assert "库管员" in client.get("/admin/audit?q=role+keeper").get_data(as_text=True)
    today = utcnow().date()
    assert 'title="user.update"' in client.get(
        f"/admin/audit?since={today - timedelta(days=1)}&until={today + timedelta(days=1)}"
    ).get_data(as_text=True)
    assert 'title="user.update"' not in client.get(
        f"/admin/audit?until={today - timedelta(days=2)}").get_data(as_text=True)
    bad = client.get("/admin/audit?since=not-a-date")
    assert bad.status_code == 422 and "起始日期：" in bad.get_data(as_text=True)  # the field, named


def test_audit_pages_keep_their_filters(client, app, world):
    login(client, "admin")
    for _ in range(3):
        client.post("/login", data={"username": "viewer", "password": "wrong-password"})
    login(client, "admin")
    page = client.get("/admin/audit?action=login.failed&per_page=1").get_data(as_text=True)
    assert "Page" in page or "页" in page
    assert 'href="/admin/audit?action=login.failed&amp;per_page=1&amp;page=2"' in page


@pytest.fixture
def scoped_admin(app, world):
    with app.app_context():
        from inventory.services import units
        make_user(db.session, "districtadmin", Role.ADMIN, units.get_unit(db.session, "D1"))
        db.session.commit()


def test_a_scoped_administrator_cannot_widen_anyones_reach(client, app, scoped_admin):
    login(client, "districtadmin")
    unscoped = client.post("/admin/users/keeper/edit", data={"role": "keeper", "unit_code": "",
                                                            "is_active": "1"})
    assert unscoped.status_code == 422
    elsewhere = client.post("/admin/users/keeper/edit", data={"role": "keeper", "unit_code": "D2",
                                                             "is_active": "1"})
    assert elsewhere.status_code == 403
    created = client.post("/admin/users/new", data={"username": "wide", "password": "long-enough-1",
                                                    "role": "admin"})
    assert created.status_code == 422
    assert [e[0] for e in _events(app, subject="user:keeper")] == ["user.create"]
