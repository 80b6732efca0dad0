"""The one-screen overview: readiness figure, tree, alerts, events, recent movements."""
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Alert
from tests.conftest import login


def test_overview_shows_the_readiness_figure_of_the_api(client, world):
    login(client, "bureau")
    api = client.get("/api/v1/readiness?unit=D1").json
    page = client.get("/overview").get_data(as_text=True)
    assert f'<span data-testid="ov-people">{api["people_coverable"]:,}</span>' in page
    assert 'http-equiv="refresh"' in page and "<svg" in page
    assert "District One" in page and "Street One" in page and "Test City" not in page
    assert "T1" in page  # recent movements


def test_overview_wall_mode_and_english(client, world):
    login(client, "admin")
    page = client.get("/overview?unit=C1&wall=1&lang=en").get_data(as_text=True)
    assert "overview-page wall" in page and "People coverable now" in page
    assert client.get("/overview?unit=NOPE").status_code == 404


def test_overview_tree_colours_units_by_their_worst_open_alert(client, app, world):
    login(client, "admin")
    client.post("/alerts/evaluate")
    with app.app_context():
        severe = db.session.scalar(sa.select(sa.func.count(Alert.id)).where(
            Alert.severity == "critical", Alert.state == "open"))
    page = client.get("/overview?unit=C1").get_data(as_text=True)
    assert ('fill="#fde2e2"' in page) == bool(severe)


def test_overview_counts_the_alerts_and_events_of_the_chosen_unit(client, app, world):
    import re

    from inventory.models import Unit, User, utcnow
    from inventory.services import events

    login(client, "admin")
    client.post("/alerts/evaluate")
    with app.app_context():
        def open_alerts(code):
            unit = db.session.scalar(sa.select(Unit).where(Unit.code == code))
            subtree = sa.select(Unit.id).where(Unit.path.like(unit.path + "%"))
            rows = db.session.execute(sa.select(Alert.severity, sa.func.count()).where(
                Alert.state == "open", Alert.unit_id.in_(subtree)).group_by(Alert.severity))
            return {str(getattr(s, "value", s)): n for s, n in rows}
        district_two, city = open_alerts("D2"), open_alerts("C1")
        district_one = db.session.scalar(sa.select(Unit).where(Unit.code == "D1"))
        dispatcher = db.session.scalar(sa.select(User).where(User.username == "dispatcher"))
        events.create_event(db.session, dispatcher, name="Flood in One", unit=district_one,
                            started_at=utcnow(), now=utcnow())
        db.session.commit()
    assert sum(city.values()) > sum(district_two.values()) > 0  # the test can tell them apart
    for code, expected in (("D2", district_two), ("C1", city)):
        page = client.get(f"/overview?unit={code}").get_data(as_text=True)
        for severity in ("critical", "warning", "info"):
            shown = re.search(rf'data-testid="ov-alerts-{severity}">[^<]*?([\d,]+)</span>', page)
            assert int(shown.group(1).replace(",", "")) == expected.get(severity, 0), (code, severity)
        assert f'/alerts?unit={code}' in page
        assert ("Flood in One" in page) == (code == "C1")
