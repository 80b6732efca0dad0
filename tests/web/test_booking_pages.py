"""Booking from pages: the lot page, receiving notes, count sheets, write-offs, labels, /q/ links."""
import re
from datetime import date, timedelta

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Balance, Movement
from tests.conftest import login
from tests.html_forms import as_post, browser_fields, fill


def balance(app, lot_code, depot_code):
    from inventory.models import Depot, Lot
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.sum(Balance.quantity)).join(Lot).join(Depot).where(
            Lot.lot_code == lot_code, Depot.code == depot_code)) or 0


def request_id(page: str) -> str:
    return re.search(r'name="request_id" value="([^"]+)"', page).group(1)


def test_lot_page_books_and_a_double_submit_books_once(client, app, world):
    login(client, "keeper")
    page = client.get("/lots/Q1").get_data(as_text=True)
    form = {"request_id": request_id(page), "kind": "issue", "depot_code": "DEP-S1",
            "quantity": "4", "reason": "shelter"}
    assert client.post("/lots/Q1/book", data=form).status_code == 302
    assert client.post("/lots/Q1/book", data=form).status_code == 302
    assert balance(app, "Q1", "DEP-S1") == 46
    assert "该笔业务已保存" in client.get("/lots/Q1").get_data(as_text=True)


def test_lot_page_shows_errors_in_place(client, world):
    login(client, "keeper")
    page = client.get("/lots/Q1").get_data(as_text=True)
    response = client.post("/lots/Q1/book", data={"request_id": request_id(page), "kind": "issue",
                                                   "depot_code": "DEP-S1", "quantity": "abc"})
    assert response.status_code == 422 and 'id="quantity-error"' in response.get_data(as_text=True)
    response = client.post("/lots/Q1/book", data={"request_id": request_id(page), "kind": "issue",
                                                   "depot_code": "DEP-S1", "quantity": "500"})
    assert response.status_code == 409 and "仅有 50 可用" in response.get_data(as_text=True)


def test_bureau_reverses_from_the_ledger(client, app, world):
    login(client, "bureau")
    with app.app_context():
        movement_id = db.session.scalar(sa.select(Movement.id).join(Movement.lot).where(
            Movement.lot.has(lot_code="Q1")))
    assert client.post(f"/movements/{movement_id}/reverse").status_code == 302
    assert balance(app, "Q1", "DEP-S1") == 0


def test_receiving_note_books_all_lines_or_none(client, app, world):
    login(client, "keeper")
    page = client.get("/depots/DEP-S1/receive").get_data(as_text=True)
    expiry = (date.today() + timedelta(days=400)).isoformat()
    bad = {"request_id": request_id(page), "item_code": ["1020101", "1040101"],
           "batch_no": ["N1", "N2"], "expiry_date": ["", ""], "quantity": ["10", "5"],
           "owner_code": ["", ""], "source": ["procurement", "donation"]}
    response = client.post("/depots/DEP-S1/receive", data=bad)
    assert response.status_code == 422 and "第 2 行" in response.get_data(as_text=True)
    assert balance(app, "1020101-N1", "DEP-S1") == 0
    good = {**bad, "expiry_date": ["", expiry]}
    assert client.post("/depots/DEP-S1/receive", data=good).status_code == 302
    assert balance(app, "1020101-N1", "DEP-S1") == 10 and balance(app, "1040101-N2", "DEP-S1") == 5


def test_count_sheet_books_the_differences(client, app, world):
    login(client, "keeper")
    page = client.get("/depots/DEP-S1/count").get_data(as_text=True)
    field = re.search(r'name="(counted-\d+)"', page).group(1)
    response = client.post("/depots/DEP-S1/count", data={"request_id": request_id(page), field: "47"})
    assert response.status_code == 302 and balance(app, "Q1", "DEP-S1") == 47


def test_write_off_page_approves_selected_losses(client, app, world):
    login(client, "keeper")
    page = client.get("/lots/Q1").get_data(as_text=True)
    client.post("/lots/Q1/book", data={"request_id": request_id(page), "kind": "loss",
                                       "depot_code": "DEP-S1", "quantity": "2", "reason": "rats"})
    client.post("/logout")
    login(client, "bureau")
    page = client.get("/write-offs").get_data(as_text=True)
    movement = re.search(r'name="movement" value="(\d+)"', page).group(1)
    assert client.post("/write-offs", data={"movement": movement, "reason": "ok",
                                            "request_id": request_id(page)}).status_code == 302
    page = client.get("/write-offs").get_data(as_text=True)
    assert "没有待核销的记录" in page and "rats" in page


def test_label_sheet_and_qr_links(client, world):
    login(client, "keeper")
    page = client.get("/labels/sheet?picker_depot=DEP-S1&lot=Q1&copies=3").get_data(as_text=True)
    assert page.count('src="/labels/lot/Q1.svg?lang=zh"') == 3
    assert client.get("/q/T/Q1").headers["Location"].endswith("/lots/Q1")
    assert client.get("/q/D/DEP-S1").headers["Location"].endswith("/depots/DEP-S1")


def test_label_link_when_signed_out_leads_to_login_then_back(client, world):
    response = client.get("/q/T/Q1")
    assert response.status_code == 302 and "/login?next=/q/T/Q1" in response.headers["Location"]


def test_depot_page_lists_stock_and_recent_movements(client, world):
    login(client, "keeper")
    page = client.get("/depots/DEP-S1").get_data(as_text=True)
    assert ">Q1</a>" in page and "入库单" in page and "盘点表" in page


def test_lot_page_books_with_exactly_the_fields_a_browser_sends(client, app, world):
    """The optional fields the page renders (transfer target, owner, reason) arrive empty."""
    login(client, "keeper")
    fields = browser_fields(client.get("/lots/Q1").get_data(as_text=True), "/lots/Q1/book")
    assert {"to_depot_code", "owner_code", "reason"} <= {name for name, _ in fields}
    fill(fields, "quantity", "3")
    response = client.post("/lots/Q1/book", data=as_post(fields))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert balance(app, "Q1", "DEP-S1") == 47


def test_receiving_note_books_a_few_filled_rows_of_eight_as_a_browser_sends_them(client, app,
                                                                                 world):
    """Unfilled rows still carry their defaulted source: they are blank rows, not errors."""
    login(client, "keeper")
    fields = browser_fields(client.get("/depots/DEP-S1/receive").get_data(as_text=True))
    assert sum(name == "source" for name, _ in fields) == 8
    expiry = (date.today() + timedelta(days=400)).isoformat()
    for name, value in (("item_code", "1020101"), ("batch_no", "B3"), ("expiry_date", expiry),
                        ("quantity", "6")):
        fill(fields, name, value, occurrence=2)  # the third row; rows 1, 2, 4-8 left empty
    response = client.post("/depots/DEP-S1/receive", data=as_post(fields))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert balance(app, "1020101-B3", "DEP-S1") == 6


def test_receiving_note_names_the_row_the_user_sees(client, app, world):
    login(client, "keeper")
    fields = browser_fields(client.get("/depots/DEP-S1/receive").get_data(as_text=True))
    fill(fields, "item_code", "1020101", occurrence=4)
    fill(fields, "quantity", "abc", occurrence=4)
    response = client.post("/depots/DEP-S1/receive", data=as_post(fields))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 5 行" in page and "第 1 行" not in page
    assert page.count('class="has-error"') == 1


def test_count_sheet_books_one_line_as_a_browser_sends_the_sheet(client, app, world):
    login(client, "keeper")
    fields = browser_fields(client.get("/depots/DEP-S1/count").get_data(as_text=True))
    counted = [name for name, _ in fields if name.startswith("counted-")]
    assert counted and dict(fields)["reason"]  # the reason comes prefilled
    fill(fields, counted[0], "45")
    response = client.post("/depots/DEP-S1/count", data=as_post(fields))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert balance(app, "Q1", "DEP-S1") == 45


def test_count_sheet_error_names_the_row_and_its_lot(client, app, world):
    login(client, "keeper")
    fields = browser_fields(client.get("/depots/DEP-S1/count").get_data(as_text=True))
    fill(fields, [name for name, _ in fields if name.startswith("counted-")][0], "-1")
    response = client.post("/depots/DEP-S1/count", data=as_post(fields))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 1 行 (Q1 · " in page
    assert balance(app, "Q1", "DEP-S1") == 50


def test_lot_page_names_an_earlier_expiring_lot_before_booking(client, app, world):
    from inventory.services import units
    from tests import factories
    with app.app_context():
        depot = units.get_depot(db.session, "DEP-S1")
        item = world.items["tent"]
        item = db.session.merge(item)
        factories.receive(db.session, item, depot, 5, lot_code="EARLY",
                          expiry=date.today() + timedelta(days=20))
        factories.receive(db.session, item, depot, 5, lot_code="LATER",
                          expiry=date.today() + timedelta(days=200))
        db.session.commit()
    login(client, "keeper")
    later = client.get("/lots/LATER").get_data(as_text=True)
    hint = re.search(r'data-testid="fefo-hint">(.*?)</p>', later, re.S)
    assert hint and "EARLY" in hint.group(1) and "Depot DEP-S1" in hint.group(1)
    assert 'data-testid="fefo-hint"' not in client.get("/lots/EARLY").get_data(as_text=True)
