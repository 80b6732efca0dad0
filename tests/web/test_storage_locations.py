"""Storage locations inside a depot: added, renamed and removed (audited); the code stays."""
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import AuditEvent, StorageLocation
from tests.conftest import login


def _locations(app):
    with app.app_context():
        return [(loc.code, loc.name) for loc in db.session.scalars(
            sa.select(StorageLocation).order_by(StorageLocation.code))]


def test_a_location_is_renamed_and_removed(client, app, world):
    login(client, "bureau")
    for code in ("A-01", "A-02"):
        client.post("/admin/depots/DEP-S1/locations", data={"code": code, "name": "Room A"})
    form = client.get("/admin/depots/DEP-S1/edit").get_data(as_text=True)
    assert 'action="/admin/depots/DEP-S1/locations/A-01/edit"' in form
    assert client.post("/admin/depots/DEP-S1/locations/A-01/edit",
                       data={"name": "Shelf 1"}).status_code == 302
    assert client.post("/admin/depots/DEP-S1/locations/A-02/remove").status_code == 302
    assert _locations(app) == [("A-01", "Shelf 1")]
    with app.app_context():
        actions = [(e.action, e.detail) for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.startswith("depot.location."))
            .order_by(AuditEvent.id))]
    assert actions == [("depot.location.rename", "location=A-01; name Room A->Shelf 1"),
                       ("depot.location.remove", "location A-02 Room A")]


def test_bad_or_foreign_location_requests_change_nothing(client, app, world):
    login(client, "bureau")
    client.post("/admin/depots/DEP-S1/locations", data={"code": "A-01", "name": "Room A"})
    blank = client.post("/admin/depots/DEP-S1/locations/A-01/edit", data={"name": ""})
    assert blank.status_code == 422
    assert client.post("/admin/depots/DEP-S1/locations/NOPE/remove").status_code == 404
    assert client.post("/admin/depots/DEP-S2/locations/A-01/remove").status_code == 404
    keeper = app.test_client()
    login(keeper, "keeper")
    assert keeper.post("/admin/depots/DEP-S1/locations/A-01/remove").status_code == 403
    assert _locations(app) == [("A-01", "Room A")]
