"""An administrator with an area manages only that area's users: their edit page, password,
activation and tokens; the user list and the audit log show that area only. A district
administrator can never touch the unscoped top administrator."""
import pytest
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import ApiToken, AuditEvent, Role, User, utcnow
from inventory.services import access, units, users
from inventory.services.errors import Forbidden
from tests.conftest import login
from tests.factories import make_user


@pytest.fixture
def district_admin(app, world, client):
    """`sadmin`, an administrator of D1 (the reproduction: create-user sadmin --unit D1)."""
    with app.app_context():
        make_user(db.session, "sadmin", Role.ADMIN, units.get_unit(db.session, "D1"))
        for name in ("admin", "keeper2", "keeper"):  # a token each, to revoke
            users.create_token(db.session, user=users.get_user(db.session, name), now=utcnow(),
                               name=f"{name}-scanner")
        db.session.commit()
    login(client, "sadmin")
    return client


def _token_ids(app, username):
    with app.app_context():
        return list(db.session.scalars(sa.select(ApiToken.id).join(ApiToken.user).where(
            User.username == username, ApiToken.revoked_at.is_(None))))


def _user(app, username):
    with app.app_context():
        user = users.get_user(db.session, username)
        return user.password_hash, user.is_active_user, user.role


def test_a_district_admin_cannot_mint_a_token_for_the_top_admin(app, district_admin):
    before = _token_ids(app, "admin")
    response = district_admin.post("/admin/users/admin/tokens", data={"name": "mine"})
    assert response.status_code == 403
    assert "inv_" not in response.get_data(as_text=True)
    assert _token_ids(app, "admin") == before
    assert district_admin.post("/admin/users/keeper2/tokens").status_code == 403
    assert district_admin.post("/admin/users/keeper/tokens").status_code == 200  # S1 is in D1


@pytest.mark.parametrize("username", ["admin", "keeper2"])
def test_a_district_admin_cannot_open_edit_reset_or_deactivate_users_elsewhere(
        app, district_admin, username):
    before = _user(app, username)
    assert district_admin.get(f"/admin/users/{username}/edit").status_code == 403
    for data in ({"role": "viewer", "unit_code": "S1", "is_active": "1"},
                 {"role": before[2].value, "unit_code": "D1", "password": "taken-over-1",
                  "is_active": "1"},
                 {"role": before[2].value, "unit_code": "D1"}):  # no is_active: deactivate
        assert district_admin.post(f"/admin/users/{username}/edit", data=data).status_code == 403
    assert _user(app, username) == before


def test_a_district_admin_cannot_revoke_tokens_of_users_elsewhere(app, district_admin):
    for username in ("admin", "keeper2"):
        token_id, = _token_ids(app, username)
        assert district_admin.post(f"/admin/tokens/{token_id}/revoke").status_code == 403
        assert _token_ids(app, username) == [token_id]
    token_id, = _token_ids(app, "keeper")
    assert district_admin.post(f"/admin/tokens/{token_id}/revoke").status_code == 302
    assert _token_ids(app, "keeper") == []


def test_a_district_admin_still_manages_its_own_area(app, district_admin):
    assert district_admin.get("/admin/users/keeper/edit").status_code == 200
    response = district_admin.post("/admin/users/keeper/edit", data={
        "role": "keeper", "unit_code": "S2", "password": "new-password-1", "is_active": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert users.get_user(db.session, "keeper").unit.code == "S2"


def test_the_user_list_shows_only_the_admins_area_and_searches(app, district_admin, client):
    page = district_admin.get("/admin/users").get_data(as_text=True)
    assert "/admin/users/keeper/edit" in page and "/admin/users/bureau/edit" in page
    assert "/admin/users/admin/edit" not in page and "/admin/users/keeper2/edit" not in page
    found = district_admin.get("/admin/users?q=KEEP").get_data(as_text=True)  # any case
    assert "/admin/users/keeper/edit" in found and "/admin/users/bureau/edit" not in found
    assert "/admin/users/keeper2/edit" not in found
    top = app.test_client()
    login(top, "admin")
    everyone = top.get("/admin/users?q=keeper").get_data(as_text=True)
    assert "/admin/users/keeper/edit" in everyone and "/admin/users/keeper2/edit" in everyone
    assert "/admin/users/viewer/edit" not in everyone


def test_the_audit_log_shows_only_the_admins_area(app, district_admin):
    top = app.test_client()
    login(top, "admin")
    top.post("/admin/users/keeper2/edit", data={"role": "viewer", "unit_code": "D2",
                                                "is_active": "1"})
    top.post("/admin/users/keeper/edit", data={"role": "viewer", "unit_code": "S1",
                                               "is_active": "1"})
    top.post("/admin/depots/DEP-D2/edit", data={"name": "Renamed Two", "unit_code": "D2",
                                                "kind": "depot", "is_active": "1"})
    page = district_admin.get("/admin/audit?per_page=500&lang=en").get_data(as_text=True)
    assert "User keeper<" in page and "User sadmin<" in page  # its area, its own sign-in
    assert "User keeper2<" not in page and "Depot DEP-D2<" not in page
    assert "User admin<" not in page  # the top admin's sign-in is not the district's business
    everything = top.get("/admin/audit?per_page=500&lang=en").get_data(as_text=True)
    assert "User keeper2<" in everything and "Depot DEP-D2<" in everything


def test_require_user_is_the_one_rule(app, world):
    with app.app_context():
        get = lambda name: users.get_user(db.session, name)  # noqa: E731
        bureau, admin, keeper, keeper2 = get("bureau"), get("admin"), get("keeper"), get("keeper2")
        assert access.require_user(admin, keeper2) is keeper2  # unscoped reaches everyone
        assert access.require_user(bureau, keeper) is keeper  # S1 lies in D1
        assert access.require_user(keeper, keeper) is keeper  # oneself
        for target in (admin, keeper2):
            with pytest.raises(Forbidden):
                access.require_user(bureau, target)
        with pytest.raises(Forbidden):
            users.update_user(db.session, admin, actor=bureau, now=utcnow(), password="x" * 12)
        with pytest.raises(Forbidden):
            users.create_token(db.session, user=admin, actor=bureau, now=utcnow())
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.actor_id == bureau.id)) == 0
