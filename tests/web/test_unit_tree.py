"""The unit tree stays small however many units there are: three tiers at a time below a
chosen unit (?root=CODE), links to go deeper, and a search by code or name."""
import re

from inventory.extensions import db
from inventory.services import units
from tests.conftest import login
from tests.factories import make_unit


def _shown(page: str) -> list[str]:
    return re.findall(r'<strong>([^<]+)</strong> <span class="muted">', page)


def test_the_tree_shows_three_tiers_and_links_deeper(client, world):
    login(client, "admin")
    page = client.get("/units").get_data(as_text=True)
    assert _shown(page) == ["Test City", "District One", "Street One", "Street Two",
                            "District Two"]  # not Community One, a fourth tier
    assert 'href="/units?root=S1" class="more"' in page
    assert 'href="/units?root=S2" class="more"' not in page  # nothing below Street Two
    deeper = client.get("/units?root=S1").get_data(as_text=True)
    assert _shown(deeper) == ["Street One", "Community One"]
    assert '<a href="/units?root=C1">Test City</a> › <a href="/units?root=D1">District One</a>' \
        in deeper


def test_a_scoped_user_sees_its_area_from_its_own_top(client, world):
    login(client, "keeper")  # area S1
    assert _shown(client.get("/units").get_data(as_text=True)) == ["Street One", "Community One"]
    assert client.get("/units?root=D2").status_code == 403
    assert client.get("/units?root=NOPE").status_code == 404
    breadcrumb = client.get("/units?root=S1C1").get_data(as_text=True)
    assert "District One" not in breadcrumb  # ancestors outside the area are not named
    assert client.get("/units?q=Street").get_data(as_text=True).count("?root=S") == 1


def test_search_finds_units_by_code_or_name_a_page_at_a_time(client, app, world):
    with app.app_context():
        district = units.get_unit(db.session, "D2")
        for number in range(60):
            make_unit(db.session, f"ST{number:02d}", "street", district, name=f"Lane {number}")
        db.session.commit()
    login(client, "admin")
    page = client.get("/units?q=lane").get_data(as_text=True)
    assert page.count('href="/units?root=ST') == 50 and 'rel="next"' in page
    assert client.get("/units?q=lane&page=2").get_data(as_text=True).count(
        'href="/units?root=ST') == 10
    assert 'href="/units?root=S1C1"' in client.get("/units?q=S1C").get_data(as_text=True)
    assert "没有匹配的单位" in client.get("/units?q=%25_nothing").get_data(as_text=True)


def test_a_bad_page_of_search_results_is_a_422(client, world):
    login(client, "admin")
    for page in ("0", "x", "99999999999999999999"):
        assert client.get(f"/units?q=Street&page={page}").status_code == 422
