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
