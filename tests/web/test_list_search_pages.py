"""List searches match what was typed (LIKE wildcards are plain characters), and a page
number past the last page shows the last page on the pages (the API answers it empty)."""
import pytest

from inventory.extensions import db
from tests import factories
from tests.conftest import login


@pytest.fixture
def bureau(client, world):
    login(client, "bureau")
    return client


@pytest.mark.parametrize("typed", ["%", "_", "\\", "%%", "Q_"])
def test_stock_search_takes_wildcards_literally(bureau, typed):
    page = bureau.get("/stock", query_string={"q": typed}).get_data(as_text=True)
    assert "/lots/Q1" not in page and "/lots/T1" not in page


def test_stock_search_still_finds_text_with_a_wildcard_character(app, bureau, world):
    with app.app_context():
        factories.receive(db.session, world.items["quilt"], world.depots["DEP-S1"], 4,
                          lot_code="Q_50%")
        db.session.commit()
    found = bureau.get("/stock", query_string={"q": "Q_50%"}).get_data(as_text=True)
    assert "Q_50%" in found and "/lots/Q1" not in found
    assert "/lots/Q1" in bureau.get("/stock?q=q1").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["%", "_"])
def test_api_stock_search_takes_wildcards_literally(client, token_for, typed):
    body = client.get("/api/v1/stock", query_string={"q": typed},
                      headers=token_for("bureau")).json
    assert body["total"] == 0 and body["items"] == []


@pytest.mark.parametrize("url", ["/items", "/partners", "/agreements", "/events",
                                 "/dispatch/orders"])
def test_other_list_searches_take_wildcards_literally(app, client, world, url):
    login(client, "admin")
    response = client.get(url, query_string={"q": "%"})
    assert response.status_code == 200
    if url == "/items":
        assert "1020101" not in response.get_data(as_text=True)


def test_a_page_past_the_last_shows_the_last_page(bureau):
    bureau.get("/?lang=en")  # the language stays in the session
    response = bureau.get("/stock?per_page=1&page=999")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Page 2 of 2" in page and "Page 999" not in page
    assert "There is no page 999; this is the last page, 2." in page
    assert "/lots/" in page  # rows, not an empty table
    assert "There is no page" not in bureau.get("/stock?per_page=1&page=2").get_data(
        as_text=True)


def test_a_page_past_the_last_in_the_api_stays_an_empty_page(client, token_for):
    body = client.get("/api/v1/stock?per_page=1&page=999", headers=token_for("bureau")).json
    assert (body["page"], body["per_page"], body["total"], body["items"]) == (999, 1, 2, [])
