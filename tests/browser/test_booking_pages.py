"""Booking pages on a phone (390 × 844), in Chinese and English: the lot page a label opens,
the receiving note, the count sheet and the scan page book for real, and no page scrolls
sideways (a wide table scrolls inside its own frame)."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Balance, Depot, Lot
from tests.browser.conftest import screenshot, sign_in

BOOKED = {"zh-CN": "已登记", "en": "Booked"}


def held(live_server, lot_code: str, depot_code: str = "DEP-S1") -> int:
    with live_server.app.app_context():
        return db.session.scalar(sa.select(sa.func.sum(Balance.quantity)).join(Lot).join(Depot)
                                 .where(Lot.lot_code == lot_code, Depot.code == depot_code)) or 0


@pytest.fixture(params=["zh-CN", "en"])
def phone_in(request, browser):
    context = browser.new_context(locale=request.param, viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.locale = request.param
    yield tab
    context.close()


# What sticks out of the viewport (outside the menu, which scrolls inside itself), to say why.
WIDE = """() => {
  const width = document.documentElement.clientWidth, out = [];
  document.querySelectorAll("body *").forEach((e) => {
    const box = e.getBoundingClientRect();
    if (box.right > width + 0.5 && !e.closest("nav")) {
      out.push(`${e.tagName}#${e.id}.${e.className} ${Math.round(box.left)}-${Math.round(box.right)}`);
    }
  });
  return out.slice(0, 20).join("; ");
}"""


def assert_no_sideways_scroll(page) -> None:
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"{page.url} scrolls sideways ({scroll} > {client}): " + \
        page.evaluate(WIDE)


def test_lot_page_books_from_a_phone(phone_in, live_server):
    sign_in(phone_in, live_server.url, "keeper")
    phone_in.goto(f"{live_server.url}/lots/Q1")
    assert_no_sideways_scroll(phone_in)
    phone_in.fill("#f-quantity", "3")
    phone_in.click("form.book-form button[type=submit]")
    phone_in.wait_for_selector(".flash-success")
    assert held(live_server, "Q1") == 47
    assert_no_sideways_scroll(phone_in)
    screenshot(phone_in, f"lot-phone-{phone_in.locale}")


def test_receiving_note_books_one_line_from_a_phone(phone_in, live_server):
    sign_in(phone_in, live_server.url, "keeper")
    phone_in.goto(f"{live_server.url}/depots/DEP-S1/receive")
    assert_no_sideways_scroll(phone_in)
    row = phone_in.locator("table.note-lines tbody tr").nth(1)  # the second row, others empty
    row.locator("select[name=item_code]").select_option("1020101")
    row.locator("input[name=batch_no]").fill("P2")
    row.locator("input[name=expiry_date]").fill((date.today() + timedelta(days=300)).isoformat())
    row.locator("input[name=quantity]").fill("9")
    phone_in.click("form button[type=submit].primary")
    phone_in.wait_for_url(f"{live_server.url}/depots/DEP-S1?received=1020101-P2")
    assert held(live_server, "1020101-P2") == 9
    assert phone_in.get_by_role("link", name="打印这些批次的标签" if phone_in.locale == "zh-CN"
                                else "Print labels for these lots").is_visible()
    assert_no_sideways_scroll(phone_in)
    screenshot(phone_in, f"depot-phone-{phone_in.locale}")


def test_count_sheet_books_from_a_phone(phone_in, live_server):
    sign_in(phone_in, live_server.url, "keeper")
    phone_in.goto(f"{live_server.url}/depots/DEP-S1/count")
    assert_no_sideways_scroll(phone_in)
    phone_in.locator("input[name^=counted-]").first.fill("44")
    phone_in.click("form button[type=submit].primary")
    phone_in.wait_for_url(f"{live_server.url}/depots/DEP-S1")
    assert held(live_server, "Q1") == 44


def test_scan_page_books_from_a_phone(phone_in, live_server):
    sign_in(phone_in, live_server.url, "keeper")
    phone_in.goto(f"{live_server.url}/scan")
    phone_in.select_option("#depot-select", "DEP-S1")
    phone_in.focus("#scan-input")
    phone_in.keyboard.type("/q/T/Q1")
    phone_in.keyboard.press("Enter")
    phone_in.wait_for_selector("#lot-card:not([hidden])")
    assert_no_sideways_scroll(phone_in)
    phone_in.click("button.book[data-kind=issue]")
    phone_in.wait_for_selector("#feedback[data-state=ok]")
    assert held(live_server, "Q1") == 49
    assert BOOKED[phone_in.locale] in phone_in.inner_text("#feedback")
    assert_no_sideways_scroll(phone_in)
    screenshot(phone_in, f"scan-phone-{phone_in.locale}")
