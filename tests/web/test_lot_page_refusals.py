"""The lot page's booking form: a refusal reads as itself (not "correct the fields below"
when no field is marked), an unknown owner is marked on its field, and a stocktake that
empties or multiplies a pile asks first (without JavaScript)."""
import re
from datetime import date, timedelta

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Depot, Item, Movement, MovementKind
from tests import factories
from tests.conftest import login
from tests.web.test_booking_pages import balance, request_id

GENERIC = "请更正下面标出的内容"


def banner(page: str) -> str:
    return re.search(r'<div class="flash flash-error" role="alert">(.*?)</div>', page,
                     re.S).group(1)


def book(client, lot_code="Q1", **data):
    page = client.get(f"/lots/{lot_code}").get_data(as_text=True)
    return client.post(f"/lots/{lot_code}/book", data={
        "request_id": request_id(page), "depot_code": "DEP-S1", **data})


def test_a_refusal_not_about_a_field_is_the_banner_itself(client, app, world):
    with app.app_context():
        get = lambda model, **kw: db.session.scalar(sa.select(model).filter_by(**kw))  # noqa: E731
        factories.receive(db.session, get(Item, code="1020101"), get(Depot, code="DEP-S1"), 5,
                          lot_code="OLD", expiry=date.today() - timedelta(days=3))
        db.session.commit()
    login(client, "keeper")
    response = book(client, kind="issue", quantity="500")
    text = banner(response.get_data(as_text=True))
    assert response.status_code == 409 and "仅有 50 可用" in text and GENERIC not in text
    response = book(client, "OLD", kind="issue", quantity="1")
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and GENERIC not in banner(page)
    assert 'name="confirm_expired"' in page
    response = book(client, kind="issue", quantity="abc")  # a marked field keeps the line
    assert response.status_code == 422 and GENERIC in banner(response.get_data(as_text=True))


def test_an_unknown_owner_is_marked_on_its_field_in_an_open_section(client, world):
    login(client, "keeper")
    response = book(client, kind="issue", quantity="1", owner_code="NOPE")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    field = re.search(r'<div class="field has-error">\s*<label for="f-owner_code">.*?</div>',
                      page, re.S)
    assert field and 'id="owner_code-error">未找到单位 NOPE' in field.group(0)
    assert 'aria-invalid="true"' in field.group(0) and "<details open" in page
    assert GENERIC in banner(page) and "NOPE" not in banner(page)


def counts(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Movement.id)).where(
            Movement.kind == MovementKind.COUNT))


def test_a_count_that_empties_the_pile_asks_first_and_books_once_confirmed(client, app,
                                                                          world):
    login(client, "keeper")
    response = book(client, kind="count", quantity="0")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "盘点数 0 与账面 50 相差 50，确认登记？" in banner(page)
    assert GENERIC not in banner(page)
    assert balance(app, "Q1", "DEP-S1") == 50 and counts(app) == 0
    assert re.search(r'<button type="submit" name="confirm_count" value="0"', page)
    assert 'value="0" required' in page  # the typed figure is kept
    response = book(client, kind="count", quantity="0", confirm_count="0")
    assert response.status_code == 302 and balance(app, "Q1", "DEP-S1") == 0
    assert "已登记：批次 Q1 盘点数 0 pcs。" in client.get("/lots/Q1").get_data(as_text=True)


def test_a_count_far_from_the_book_asks_again_when_the_figure_changed(client, app, world):
    login(client, "keeper")
    response = book(client, kind="count", quantity="1000")
    assert response.status_code == 409
    assert "盘点数 1,000 与账面 50 相差 950" in banner(response.get_data(as_text=True))
    response = book(client, kind="count", quantity="100", confirm_count="1000")
    assert response.status_code == 409 and balance(app, "Q1", "DEP-S1") == 50
    response = book(client, kind="count", quantity="100", confirm_count="100")
    assert response.status_code == 302 and balance(app, "Q1", "DEP-S1") == 100


def test_a_count_near_the_book_figure_books_at_once(client, app, world):
    login(client, "keeper")
    assert book(client, kind="count", quantity="74").status_code == 302  # 24 off 50: at once
    assert balance(app, "Q1", "DEP-S1") == 74
    assert book(client, kind="count", quantity="36").status_code == 409  # 38 off 74: asks


def test_the_api_books_a_count_without_asking(client, app, world):
    login(client, "keeper")
    response = client.post("/api/v1/movements", json={
        "request_id": "api-count-0001", "kind": "count", "depot_code": "DEP-S1",
        "lot_code": "Q1", "quantity": 0})
    assert response.status_code == 201 and balance(app, "Q1", "DEP-S1") == 0


def test_the_lot_page_says_what_was_booked(client, app, world):
    login(client, "keeper")
    assert book(client, kind="issue", quantity="4").status_code == 302
    page = client.get("/lots/Q1").get_data(as_text=True)
    assert "已登记：批次 Q1 出库 4 pcs。" in page
