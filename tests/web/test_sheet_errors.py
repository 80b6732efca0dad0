"""Receiving notes and count sheets: errors keep what was typed, name every line's problems
at once and the right field; an expiry date already past needs a confirmation."""
import re
from datetime import date, timedelta

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Balance, Depot, Lot, Movement
from tests.conftest import login

FUTURE = (date.today() + timedelta(days=400)).isoformat()


def balance(app, lot_code, depot_code="DEP-S1"):
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.sum(Balance.quantity)).join(Lot).join(Depot)
            .where(Lot.lot_code == lot_code, Depot.code == depot_code)) or 0


def movements(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Movement.id)))


def note(client, lines: list[dict], **extra) -> dict:
    """A receiving note's form: the given lines, then blank rows up to eight."""
    page = client.get("/depots/DEP-S1/receive").get_data(as_text=True)
    rows = lines + [{}] * (8 - len(lines))
    return {"request_id": re.search(r'name="request_id" value="([^"]+)"', page).group(1),
            **{name: [row.get(name, "") for row in rows]
               for name in ("item_code", "batch_no", "expiry_date", "quantity", "owner_code")},
            "source": ["procurement"] * 8, **extra}


def error_items(page: str) -> list[str]:
    box = re.search(r'<div class="flash flash-error".*?</div>', page, re.S).group(0)
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", box, re.S)]


def test_receiving_note_keeps_the_reason_after_an_error(client, world):
    login(client, "keeper")
    form = note(client, [{"item_code": "1020101", "quantity": "abc"}], reason="红十字会捐赠")
    response = client.post("/depots/DEP-S1/receive", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'name="reason" maxlength="500" value="红十字会捐赠"' in page


def test_count_sheet_keeps_a_typed_reason_after_an_error(client, world):
    login(client, "keeper")
    page = client.get("/depots/DEP-S1/count").get_data(as_text=True)
    counted = re.search(r'name="(counted-\d+)"', page).group(1)
    request_id = re.search(r'name="request_id" value="([^"]+)"', page).group(1)
    response = client.post("/depots/DEP-S1/count", data={
        "request_id": request_id, counted: "-1", "reason": "月度盘点"})
    assert response.status_code == 422
    assert 'value="月度盘点"' in response.get_data(as_text=True)


def test_receiving_note_names_every_line_at_once_and_books_nothing(client, app, world):
    login(client, "keeper")
    before = movements(app)
    form = note(client, [
        {"item_code": "1020101", "batch_no": "OK1", "quantity": "5"},
        {"item_code": "1040101", "batch_no": "F1", "quantity": "3"},  # shelf life, no expiry
        {"item_code": "1020101", "batch_no": "N3", "quantity": "2", "owner_code": "NOPE"},
        {"item_code": "1020101", "batch_no": "N4", "quantity": "abc"},
        {"item_code": "9999999", "batch_no": "N5", "quantity": "1"},
    ])
    response = client.post("/depots/DEP-S1/receive?lang=en", data=form)
    assert response.status_code == 422
    errors = error_items(response.get_data(as_text=True))
    assert len(errors) == 4 and not any("Line 1:" in text for text in errors), errors
    assert errors[0].startswith("Line 2: Expiry:") and "1040101" in errors[0]
    assert errors[1].startswith("Line 3: Owner:") and "NOPE" in errors[1]
    assert errors[2].startswith("Line 4: Quantity:")
    assert errors[3].startswith("Line 5: Item:") and "9999999" in errors[3]
    assert movements(app) == before and balance(app, "1020101-OK1") == 0


def test_receiving_note_line_errors_keep_every_field_of_every_row(client, world):
    login(client, "keeper")
    form = note(client, [{"item_code": "1040101", "batch_no": "F1", "quantity": "3"},
                         {"item_code": "1020101", "batch_no": "N3", "quantity": "2",
                          "owner_code": "NOPE"}])
    page = client.post("/depots/DEP-S1/receive", data=form).get_data(as_text=True)
    assert 'value="F1"' in page and 'value="NOPE"' in page and 'value="N3"' in page
    assert 'value="1040101" selected' in page and 'value="1020101" selected' in page


def test_a_line_with_only_a_batch_names_the_item_and_the_quantity(client, world):
    login(client, "keeper")
    response = client.post("/depots/DEP-S1/receive?lang=en",
                           data=note(client, [{"batch_no": "B9"}]))
    assert response.status_code == 422
    [line] = error_items(response.get_data(as_text=True))
    assert line.startswith("Line 1: Item: This field is required.") and "Quantity:" in line
    response = client.post("/depots/DEP-S1/receive?lang=en",
                           data=note(client, [{"batch_no": "B9", "quantity": "4"}]))
    [line] = error_items(response.get_data(as_text=True))
    assert line == "Line 1: Item: This field is required.", line


def test_a_past_expiry_is_refused_until_confirmed(client, app, world):
    login(client, "keeper")
    line = {"item_code": "1020101", "batch_no": "B1", "expiry_date": "2020-01-01",
            "quantity": "3"}
    response = client.post("/depots/DEP-S1/receive", data=note(client, [line]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and balance(app, "1020101-B1") == 0
    assert "第 1 行" in page and "2020-01-01" in page
    assert 'name="confirm_expired"' in page and "接收已过期的批次" in page
    assert re.search(r'<input name="expiry_date" aria-invalid=true', page)
    confirmed = client.post("/depots/DEP-S1/receive",
                            data=note(client, [line], confirm_expired="1"))
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)
    assert balance(app, "1020101-B1") == 3


def test_a_future_expiry_needs_no_confirmation(client, app, world):
    login(client, "keeper")
    page = client.get("/depots/DEP-S1/receive").get_data(as_text=True)
    assert 'name="confirm_expired"' not in page
    line = {"item_code": "1040101", "batch_no": "F2", "expiry_date": FUTURE, "quantity": "2"}
    assert client.post("/depots/DEP-S1/receive", data=note(client, [line])).status_code == 302
    assert balance(app, "1040101-F2") == 2


def test_a_confirmed_expiry_stays_ticked_when_another_line_fails(client, world):
    login(client, "keeper")
    form = note(client, [{"item_code": "1020101", "batch_no": "B1", "expiry_date": "2020-01-01",
                          "quantity": "3"}, {"item_code": "1020101", "quantity": "x"}],
                confirm_expired="1")
    page = client.post("/depots/DEP-S1/receive", data=form).get_data(as_text=True)
    assert re.search(r'name="confirm_expired" value="1"\s+checked', page)
    assert "第 2 行" in page and "第 1 行" not in page
