"""The scan page checks what a tired keeper may get wrong before it books: a quantity with a
fraction, a count far from the book figure, and a receipt of a lot held here for another
unit (whose stock is it?)."""
from tests.browser.test_scan import add_owner, on_hand, open_scan_page, owner_balance, scan


def scanned(phone, lot_code: str) -> None:
    scan(phone, f"/q/T/{lot_code}")
    phone.wait_for_selector("#lot-card:not([hidden])")


def test_a_quantity_with_a_fraction_books_nothing(phone, live_server):
    open_scan_page(phone, live_server)
    scanned(phone, "Q1")
    phone.fill("#qty", "1.5")
    phone.click("button.book[data-kind=issue]")
    phone.wait_for_selector("#feedback[data-state=error]")
    assert phone.inner_text("#feedback") == "数量：请输入整数。"
    assert on_hand(live_server, "Q1") == 50 and phone.locator("#recent li").count() == 0


def test_a_count_far_from_the_book_figure_is_asked_about_first(phone, live_server):
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept() if len(questions) > 1 else dialog.dismiss()

    phone.on("dialog", answer)
    open_scan_page(phone, live_server)
    scanned(phone, "Q1")
    phone.fill("#qty", "0")  # the whole pile gone?
    phone.click("button.book[data-kind=count]")
    phone.wait_for_timeout(300)
    assert questions == ["盘点数 0 与账面 50 相差 50，确认登记？"]
    assert on_hand(live_server, "Q1") == 50  # not confirmed: nothing booked
    phone.fill("#qty", "45")  # a small difference books at once
    phone.click("button.book[data-kind=count]")
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert len(questions) == 1 and on_hand(live_server, "Q1") == 45
    phone.fill("#qty", "450")  # one zero too many
    phone.click("button.book[data-kind=count]")
    phone.wait_for_selector("#lot-here:has-text('450')")
    assert questions[1] == "盘点数 450 与账面 45 相差 405，确认登记？"
    assert on_hand(live_server, "Q1") == 450


def test_a_receipt_of_a_lot_held_here_for_another_unit_asks_whose_it_is(phone, live_server):
    add_owner(live_server, "T1", "DEP-S1", "D1", 20)  # the district's tents, kept at the street depot
    open_scan_page(phone, live_server)
    scanned(phone, "T1")
    assert phone.is_hidden("#owner-picker")  # one owner here: issues draw on it
    phone.fill("#qty", "5")
    phone.click("button.book[data-kind=receive]")
    phone.wait_for_selector("#owner-picker:not([hidden])")
    assert "请先选择本次入库归属" in phone.inner_text("#feedback")
    assert phone.inner_text("#owner-legend") == "本次入库归属哪个单位？"
    options = phone.locator("#owner-options button.owner-option")
    assert [options.nth(i).get_attribute("data-owner") for i in range(options.count())] == ["D1", "S1"]
    assert owner_balance(live_server, "T1", "S1") == 0  # nothing booked yet
    options.nth(1).click()  # the street's own
    phone.click("button.book[data-kind=receive]")
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert owner_balance(live_server, "T1", "S1") == 5
    assert "Street One" in phone.inner_text("#owner-options")  # named, not its code
    assert phone.inner_text("#owner-legend") == "此批次在本库分属多个储备单位，是哪个单位的物资？"
