"""The ledger page (GET /movements): filters, pages, the area rule of the API, bad filters
answered 422 naming the field, and reversal from the list for bureau users only."""
import re
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Lot, Movement, utcnow
from inventory.services import movements
from tests.conftest import login
from tests.factories import actor


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="m(\d+)">', page)]


def _lot_codes(page: str) -> set[str]:
    return set(re.findall(r'<a href="/lots/([^"]+)">', page))


def _book(client, token, **body):
    """A booking through the API by the token's user (not the page's signed-in user)."""
    body.setdefault("request_id", str(uuid.uuid4()))
    response = client.application.test_client().post("/api/v1/movements", json=body, headers=token)
    assert response.status_code == 201, response.json
    return response.json["movements"][0]["id"]


@pytest.fixture
def bureau(client, world):
    login(client, "bureau")  # District One: DEP-D1 (T1) and DEP-S1 (Q1), not DEP-D2 (T2)
    return client


def test_the_main_navigation_links_the_ledger(client, world):
    login(client, "viewer")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/movements"' in page and "台账" in page


def test_each_user_sees_only_the_movements_of_depots_in_their_area(app, world):
    seen = {}
    for username in ("bureau", "keeper", "keeper2", "admin"):
        client = app.test_client()
        login(client, username)
        response = client.get("/movements")
        assert response.status_code == 200
        seen[username] = _lot_codes(response.get_data(as_text=True))
    assert seen == {"bureau": {"T1", "Q1"}, "keeper": {"Q1"}, "keeper2": {"T2"},
                    "admin": {"T1", "Q1", "T2"}}


def test_another_areas_depot_as_a_filter_shows_nothing(client, world):
    login(client, "keeper")
    response = client.get("/movements?depot=DEP-D2")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _ids(page) == [] and "T2" not in _lot_codes(page)


def test_filters_narrow_the_list_and_stay_in_the_form(bureau, world, token_for):
    keeper = token_for("keeper")
    issue = _book(bureau, keeper, kind="issue", depot_code="DEP-S1", lot_code="Q1", quantity=3,
                  reason="shelter north")
    cases = {"depot=DEP-S1": {"Q1"}, "item=1010101": {"T1"}, "lot=Q1": {"Q1"},
             "kind=issue": {"Q1"}, "who=keeper": {"Q1"}, "q=north": {"Q1"}, "q=T1": {"T1"}}
    for query, lots in cases.items():
        response = bureau.get(f"/movements?{query}")
        assert response.status_code == 200, query
        assert _lot_codes(response.get_data(as_text=True)) == lots, query
    page = bureau.get("/movements?kind=issue&who=keeper&lot=Q1&q=north&depot=DEP-S1"
                      "&item=1020101").get_data(as_text=True)
    assert _ids(page) == [issue]
    assert 'value="issue" selected' in page and 'value="DEP-S1" selected' in page
    assert 'value="1020101" selected' in page
    for kept in ('name="who" value="keeper"', 'name="lot" value="Q1"', 'name="q" value="north"'):
        assert kept in page


def test_the_period_counts_whole_days_with_both_ends_included(bureau, world):
    today, yesterday = date.today().isoformat(), (date.today() - timedelta(days=1)).isoformat()
    assert _lot_codes(bureau.get(f"/movements?since={today}&until={today}").get_data(
        as_text=True)) == {"T1", "Q1"}
    assert _ids(bureau.get(f"/movements?until={yesterday}").get_data(as_text=True)) == []
    page = bureau.get(f"/movements?since={today}").get_data(as_text=True)
    assert f'name="since" value="{today}"' in page


def test_the_ledger_pages_newest_first(app, bureau, world):
    with app.app_context():
        lot = db.session.scalar(sa.select(Lot).where(Lot.lot_code == "T1"))
        depot = db.session.merge(world.depots["DEP-D1"])
        for _ in range(60):
            movements.receive(db.session, actor(), lot=lot, depot=depot, owner=depot.unit,
                              quantity=1, now=utcnow())
        db.session.commit()
        every = list(db.session.scalars(sa.select(Movement.id).where(
            Movement.lot_id == lot.id).order_by(Movement.created_at.desc(),
                                                Movement.id.desc())))
    first = bureau.get("/movements?lot=T1").get_data(as_text=True)
    assert _ids(first) == every[:50] and 'rel="next"' in first
    assert 'href="/movements?lot=T1&amp;page=2"' in first  # the filter goes along
    second = bureau.get("/movements?lot=T1&page=2").get_data(as_text=True)
    assert _ids(second) == every[50:] and 'rel="prev"' in second
    assert _ids(bureau.get("/movements?lot=T1&per_page=10&page=3").get_data(
        as_text=True)) == every[20:30]


@pytest.mark.parametrize("query,field,kept", [
    ("depot=NOPE", "仓库", 'value="NOPE" selected'),
    ("item=9999999", "物资", 'value="9999999" selected'),
    ("who=ghost", "用户", 'name="who" value="ghost"'),
    ("since=2026-13-01", "起始日期", 'name="since" value="2026-13-01"'),
    ("since=2026-12-03&until=2026-12-01", "截止日期", 'name="until" value="2026-12-01"'),
    ("kind=bogus", "类型", "全部类型"),
    ("page=0", "页码", ""),
    ("page=99999999999999999999", "页码", ""),
    ("depot=bad%20code", "仓库", 'value="bad code" selected'),
])
def test_a_bad_filter_is_a_422_naming_the_field(bureau, query, field, kept):
    response = bureau.get(f"/movements?{query}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    alert = re.search(r'<div class="flash flash-error" role="alert">([^<]*)</div>', page)
    assert alert and alert.group(1).startswith(field + "："), alert
    assert kept in page


def test_the_valid_filters_still_apply_beside_a_bad_one(bureau):
    response = bureau.get("/movements?depot=NOPE&lot=Q1")
    assert response.status_code == 422
    assert _lot_codes(response.get_data(as_text=True)) == {"Q1"}


def test_only_users_who_may_reverse_get_a_reverse_button(app, world):
    for username, shown in (("bureau", True), ("admin", True), ("keeper", False),
                            ("viewer", False), ("dispatcher", False)):
        client = app.test_client()
        login(client, username)
        page = client.get("/movements").get_data(as_text=True)
        assert ("/reverse" in page) is shown, username


def test_reversing_from_the_ledger_comes_back_to_it_and_marks_both_rows(app, bureau, world):
    with app.app_context():
        first = db.session.scalar(sa.select(Movement.id).join(Lot).where(Lot.lot_code == "Q1"))
    page = bureau.get("/movements?lot=Q1").get_data(as_text=True)
    assert f'action="/movements/{first}/reverse"' in page
    assert 'name="next" value="/movements?lot=Q1"' in page
    response = bureau.post(f"/movements/{first}/reverse",
                           data={"reason": "wrong", "next": "/movements?lot=Q1"})
    assert response.status_code == 302 and response.headers["Location"] == "/movements?lot=Q1"
    after = bureau.get("/movements?lot=Q1").get_data(as_text=True)
    reversal = max(_ids(after))
    assert _ids(after) == [reversal, first]
    assert 'data-testid="reversed"' in after and f"#{first}" in after
    assert "/reverse" not in after  # neither the reversed row nor the reversal offers it again


def test_reversing_elsewhere_still_goes_to_the_lot_page(app, bureau, world):
    with app.app_context():
        first = db.session.scalar(sa.select(Movement.id).join(Lot).where(Lot.lot_code == "T1"))
    response = bureau.post(f"/movements/{first}/reverse",
                           data={"next": "https://evil.example/movements?x"})
    assert response.headers["Location"] == "/lots/T1"


def test_the_depot_page_links_its_full_ledger(bureau):
    page = bureau.get("/depots/DEP-S1").get_data(as_text=True)
    assert 'href="/movements?depot=DEP-S1"' in page


def test_the_page_prints_without_filters_or_buttons(bureau):
    page = bureau.get("/movements?lot=Q1").get_data(as_text=True)
    assert 'class="filters"' in page and "data-print" in page
    assert '<p class="print-only">批次: Q1</p>' in page
    assert '<th class="no-print"></th>' in page


def test_a_user_filter_matches_the_booker_only(bureau, world, token_for):
    _book(bureau, token_for("keeper"), kind="issue", depot_code="DEP-S1", lot_code="Q1",
          quantity=1)
    assert _lot_codes(bureau.get("/movements?who=bureau").get_data(as_text=True)) == set()
    assert _lot_codes(bureau.get("/movements?who=keeper").get_data(as_text=True)) == {"Q1"}


def test_the_api_shares_the_rule_and_still_answers_an_unknown_depot_404(client, world,
                                                                        token_for):
    """One query serves the page and GET /api/v1/movements (services/ledger.py)."""
    keeper = token_for("keeper")
    listed = client.get("/api/v1/movements", headers=keeper).json
    assert {m["lot_code"] for m in listed["items"]} == {"Q1"}
    response = client.get("/api/v1/movements?depot=NOPE", headers=keeper)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/not-found") and "NOPE" in response.json["detail"]


def test_a_second_reversal_from_a_stale_tab_says_so_where_it_came_from(app, bureau, world):
    with app.app_context():
        first = db.session.scalar(sa.select(Movement.id).join(Lot).where(Lot.lot_code == "Q1"))
    back = {"next": "/movements?lot=Q1"}
    assert bureau.post(f"/movements/{first}/reverse", data=back).status_code == 302
    again = bureau.post(f"/movements/{first}/reverse", data=back)  # the other tab's button
    assert again.status_code == 302 and again.headers["Location"] == "/movements?lot=Q1"
    page = bureau.get("/movements?lot=Q1").get_data(as_text=True)
    assert f"流水 {first} 已被冲销。" in page  # the flash, on the ledger page
    with app.app_context():  # booked once
        assert db.session.scalar(sa.select(sa.func.count()).where(
            Movement.reverses_id == first)) == 1
    other_lot = bureau.post(f"/movements/{first}/reverse")
    assert other_lot.status_code == 302 and other_lot.headers["Location"] == "/lots/Q1"


def test_only_movements_a_page_can_reverse_offer_it():
    from inventory.models import MovementKind
    assert Movement(kind=MovementKind.ISSUE, quantity=5).reversible_here
    assert not Movement(kind=MovementKind.ISSUE, quantity=5, order_code="DO1").reversible_here
    assert not Movement(kind=MovementKind.COUNT, quantity=0).reversible_here
    assert not Movement(kind=MovementKind.REVERSAL, quantity=5).reversible_here
