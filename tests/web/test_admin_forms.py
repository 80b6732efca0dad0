"""Administration forms: create and edit, errors shown in place, scope respected."""
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import AuditEvent, Depot, Item, Unit, User
from tests.conftest import login


def test_bureau_creates_a_street_under_its_district(client, app, world):
    login(client, "bureau")
    response = client.post("/admin/units/new", data={
        "code": "S3", "name": "Street Three", "tier": "street", "parent_code": "D1",
        "target_people": "3000", "horizon_hours": "8"})
    assert response.status_code == 302
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "S3"))
        assert unit.parent.code == "D1" and unit.target_people == 3000


def test_unit_form_errors_are_shown_in_place_and_nothing_is_saved(client, app, world):
    login(client, "bureau")
    response = client.post("/admin/units/new", data={
        "code": "bad code!", "name": "", "tier": "district", "parent_code": "D1",
        "population": "-5"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("code", "name", "population"):
        assert f'id="{field}-error"' in page
    assert 'value="bad code!"' in page  # what the user typed is kept
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Unit.id))) == 6


def test_tier_rule_error_names_the_tier_field(client, world):
    login(client, "bureau")
    response = client.post("/admin/units/new", data={
        "code": "S4", "name": "x", "tier": "district", "parent_code": "D1"})
    assert response.status_code == 422
    assert 'id="tier-error"' in response.get_data(as_text=True)


def test_scoped_bureau_cannot_create_outside_its_area(client, world):
    login(client, "bureau")
    response = client.post("/admin/units/new", data={
        "code": "S5", "name": "x", "tier": "street", "parent_code": "D2"})
    assert response.status_code == 403
    assert client.get("/admin/units/D2/edit").status_code == 403


def test_depot_create_and_edit(client, app, world):
    login(client, "bureau")
    assert client.post("/admin/depots/new", data={
        "code": "DEP-S2B", "name": "Second", "unit_code": "S2", "kind": "reserve_point"}
    ).status_code == 302
    assert client.post("/admin/depots/DEP-S2B/edit", data={
        "name": "Renamed", "unit_code": "S2", "kind": "service_station", "address": "Road 1"}
    ).status_code == 302
    with app.app_context():
        depot = db.session.scalar(sa.select(Depot).where(Depot.code == "DEP-S2B"))
        assert (depot.name, depot.kind.value, depot.is_active) == ("Renamed", "service_station", False)


def test_item_create_with_errors_then_success(client, app, world):
    login(client, "bureau")
    bad = client.post("/admin/items/new", data={"code": "12", "name": "", "unit": "",
                                                "per_person": "lots", "category": "shelter"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert all(f'id="{f}-error"' in page for f in ("code", "name", "unit", "per_person"))
    good = client.post("/admin/items/new", data={
        "code": "1070101", "name": "简易厕所", "unit": "套", "per_person": "0.02",
        "category": "sanitation_hygiene", "critical": "1", "pack_size": "1"})
    assert good.status_code == 302
    with app.app_context():
        item = db.session.scalar(sa.select(Item).where(Item.code == "1070101"))
        assert item.critical and float(item.per_person) == 0.02


def test_admin_creates_a_user_and_the_change_is_audited(client, app, world):
    login(client, "admin")
    response = client.post("/admin/users/new", data={
        "username": "clerk", "password": "long-enough-1", "role": "keeper", "unit_code": "S2"})
    assert response.status_code == 302
    response = client.post("/admin/users/clerk/edit", data={
        "role": "viewer", "unit_code": "S2", "is_active": "1"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "clerk"))
        assert user.role.value == "viewer"
        actions = db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.subject == "user:clerk")).all()
        assert actions == ["user.create", "user.update"]
    assert "user.update" in client.get("/admin/audit").get_data(as_text=True)


def test_admin_issues_and_revokes_a_token(client, app, world):
    login(client, "admin")
    page = client.post("/admin/users/keeper/tokens", data={"name": "scanner"}).get_data(as_text=True)
    token = page.split('data-testid="token">')[1].split("<")[0]
    assert token.startswith("inv_")
    assert client.get("/api/v1/stock", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_administrative_edits_are_audited_with_who_and_what(client, app, world):
    login(client, "bureau")
    client.post("/admin/units/S2/edit", data={"name": "Street Two (renamed)", "tier": "street",
                                              "parent_code": "D1", "target_people": "3000"})
    client.post("/admin/items/1060101/edit", data={"name": "手电筒", "unit": "个",
                                                   "category": "light_power", "per_person": "0.5",
                                                   "pack_size": "1", "is_active": "1"})
    with app.app_context():
        rows = {(e.action, e.subject): (e.actor.username if e.actor else None, e.detail)
                for e in db.session.scalars(sa.select(AuditEvent))}
    assert rows[("unit.update", "unit:S2")][0] == "bureau"
    assert "name Street Two->Street Two (renamed)" in rows[("unit.update", "unit:S2")][1]
    assert "per_person 0.333333->0.5" in rows[("item.update", "item:1060101")][1]


def test_storage_locations_inside_a_depot(client, app, world):
    login(client, "bureau")
    response = client.post("/admin/depots/DEP-S1/locations", data={"code": "A-01", "name": "Room A"})
    assert response.status_code == 302
    assert "A-01" in client.get("/admin/depots/DEP-S1/edit").get_data(as_text=True)
    client.post("/admin/depots/DEP-S1/locations", data={"code": "A-01", "name": "Again"})
    page = client.get("/admin/depots/DEP-S1/edit").get_data(as_text=True)
    assert "A-01" in page and "Again" not in page
