"""A handheld scanner on the pick page (phone): a bad quantity is answered in the page by
the server, and a scan that was not sent is replaced by the next one, never appended to."""
import re

from tests.browser.conftest import sign_in
from tests.browser.test_scan import on_hand
from tests.browser.test_scan_typing import approved_order


def scan(page, text: str) -> None:
    page.focus("#pick-scan")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def open_pick_list(phone, live_server) -> None:
    code = approved_order(live_server)
    sign_in(phone, live_server.url, "keeper")
    phone.goto(f"{live_server.url}/dispatch/orders/{code}/pick/DEP-S1")


def test_a_bad_quantity_is_named_in_the_page_and_the_next_scan_reads(phone, live_server):
    open_pick_list(phone, live_server)
    with phone.expect_navigation():
        scan(phone, "T1")  # a lot this order does not take here
    refused = phone.get_by_test_id("pick-error").inner_text()
    phone.fill("input[name=quantity]", "0")
    with phone.expect_navigation():  # the browser does not hold the form back
        scan(phone, "Q1")
    error = phone.get_by_test_id("pick-error").inner_text()
    assert error == "数量：不能小于 1。" and error != refused
    assert phone.input_value("input[name=quantity]") == "0"
    assert phone.input_value("#pick-scan") == ""
    phone.fill("input[name=quantity]", "")
    with phone.expect_navigation():
        scan(phone, "Q1")
    assert phone.locator("tr[data-lot=Q1] [data-testid=picked]").inner_text() == "5"
    assert "已登记：批次 Q1 出库 5 pcs。" in phone.inner_text("body")
    assert on_hand(live_server, "Q1") == 45 and re.search(r"/pick/DEP-S1$", phone.url)


def test_a_scan_that_was_not_sent_is_replaced_by_the_next(phone, live_server):
    open_pick_list(phone, live_server)
    phone.evaluate("""() => document.querySelector('#pick-scan').form
        .addEventListener('submit', (event) => event.preventDefault())""")  # held back
    scan(phone, "1040101-2025B")
    assert phone.evaluate("""() => { const box = document.querySelector('#pick-scan');
        return [box.selectionStart, box.selectionEnd, box.value.length]; }""") == [0, 13, 13]
    scan(phone, "Q1")
    assert phone.input_value("#pick-scan") == "Q1"
