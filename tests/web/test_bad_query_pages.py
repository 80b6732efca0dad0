"""Bad query strings on list pages get a 422 naming the field, never a 500; a success
message appears only when the action it announces has happened."""
import pytest
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Alert, AlertState
from tests.conftest import login

HUGE = "99999999999999999999"


@pytest.fixture
def bureau(client, world):
    login(client, "bureau")
    return client


def test_an_unknown_alert_state_is_a_422_and_the_other_filters_still_apply(bureau):
    response = bureau.get("/alerts?state=nope")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "District One" in page  # the open alerts, as with no state at all
    kind_kept = bureau.get("/alerts?state=nope&kind=expired").get_data(as_text=True)
    assert 'value="expired" selected' in kind_kept and "shortfall:" not in kind_kept


def _flashes(client) -> list:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def test_acknowledge_and_resolve_announce_only_what_happened(app, bureau):
    bureau.get("/alerts")  # evaluates the rules: the shortfall of D1 is open
    with app.app_context():
        alert_id = db.session.scalar(sa.select(Alert.id).where(
            Alert.dedup_key == "shortfall:D1"))
    assert bureau.post(f"/alerts/{alert_id}/acknowledge").status_code == 302
    assert "预警已确认。" in bureau.get("/alerts").get_data(as_text=True)
    for action in ("acknowledge", "resolve"):
        refused = bureau.post(f"/alerts/987654/{action}")  # no such alert
        assert refused.status_code == 404 and "flash-success" not in refused.get_data(
            as_text=True)
    assert bureau.post(f"/alerts/{alert_id}/resolve").status_code == 302
    assert "预警已解除。" in bureau.get("/alerts").get_data(as_text=True)
    for action in ("acknowledge", "resolve"):
        refused = bureau.post(f"/alerts/{alert_id}/{action}")  # already resolved
        assert refused.status_code == 409 and "flash-success" not in refused.get_data(
            as_text=True)
        assert _flashes(bureau) == []
    with app.app_context():
        assert db.session.get(Alert, alert_id).state is AlertState.RESOLVED


@pytest.mark.parametrize("url", ["/depots/DEP-D1", "/write-offs"])
@pytest.mark.parametrize("page", [HUGE, "x", "0", "-3"])
def test_a_page_number_out_of_range_is_a_422_naming_page(bureau, url, page):
    response = bureau.get(f"{url}?page={page}")
    assert response.status_code == 422
    assert "page" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/depots/DEP-D1", "/write-offs"])
def test_pages_still_page(bureau, url):
    assert bureau.get(f"{url}?page=2").status_code == 200
    assert bureau.get(f"{url}?page=").status_code == 200


def test_the_error_page_lists_the_fields_without_speaking_json(bureau):
    """The API's detail names its `errors` member; a person reading the page gets the list."""
    page = bureau.get("/depots/DEP-D1?page=x").get_data(as_text=True)
    assert "请检查 errors" not in page and "errors 中" not in page
    assert "请更正下列各项后重试。" in page and "page" in page
    english = bureau.get("/depots/DEP-D1?page=x", headers={"Accept-Language": "en"})
    assert "Correct what is listed below and try again." in english.get_data(as_text=True)
