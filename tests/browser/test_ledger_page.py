"""The ledger page (GET /movements) on a phone and on paper: one card per movement with
the item, lot, kind and quantity on screen without scrolling sideways; printed, the
filters, navigation and reverse buttons are left out."""
from tests.browser.conftest import screenshot, sign_in

PHONE_WIDTH = 390


def _inside_the_phone(page, selector: str) -> None:
    count = page.locator(selector).count()
    assert count, selector
    for i in range(count):
        box = page.locator(selector).nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH + 0.5, \
            (selector, box)


def test_the_ledger_fits_a_phone(phone, live_server):
    sign_in(phone, live_server.url, "bureau")
    phone.goto(f"{live_server.url}/movements")
    for selector in ("table.ledger td.card-title a", "table.ledger td.card-key",
                     "table.ledger button"):
        _inside_the_phone(phone, selector)
    assert phone.evaluate("document.documentElement.scrollWidth"
                          " <= document.documentElement.clientWidth")
    screenshot(phone, "phone-ledger")


def test_the_printed_ledger_leaves_out_filters_and_buttons(page, live_server):
    sign_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/movements?depot=DEP-S1")
    screenshot(page, "desktop-ledger")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['form.filters', 'nav.mainnav', 'table.ledger button',
        '[data-print]'].map(s => [...document.querySelectorAll(s)].every(
            e => getComputedStyle(e).display === 'none' || e.offsetParent === null))""")
    assert hidden == [True, True, True, True]
    assert page.locator("p.print-only").is_visible()
    assert page.locator("table.ledger td.card-title a").first.is_visible()
