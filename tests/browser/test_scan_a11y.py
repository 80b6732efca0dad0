"""The scan page for keepers who do not tell red from green, use a screen reader, a keyboard
or large text: every outcome is said in words in a live region, − / + say what they do,
the focus ring shows on white, and 200 % text still fits a phone (also the pick page's scan
box)."""
from datetime import date, timedelta

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Depot, Item, Movement
from tests import factories
from tests.browser.test_scan import open_scan_page, scan


def scanned(phone, lot_code: str) -> None:
    scan(phone, f"/q/T/{lot_code}")
    phone.wait_for_selector("#lot-card:not([hidden])")


def set_pack_size(live_server, code: str, pack_size: int) -> None:
    with live_server.app.app_context():
        db.session.scalar(sa.select(Item).filter_by(code=code)).pack_size = pack_size
        db.session.commit()


def contrast(phone, selector: str, colour: str = "color") -> float:
    """WCAG contrast ratio of an element's text (or border) colour on its own background, or
    on white where it has none."""
    return phone.locator(selector).evaluate("""(element, colour) => {
      const rgb = value => value.match(/[\\d.]+/g).slice(0, 4).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map(c => c / 255)
        .map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
      const style = getComputedStyle(element), bg = rgb(style.backgroundColor);
      const [a, b] = [lum(rgb(style[colour])), bg.length === 4 && bg[3] === 0 ? 1 : lum(bg)];
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }""", colour)


def test_each_outcome_is_said_in_words_and_announced(phone, live_server):
    open_scan_page(phone, live_server)
    scanned(phone, "Q1")
    announced = phone.locator("#scan-announce")  # the card itself is no live region
    assert announced.get_attribute("role") == "status"
    assert "棉被" in announced.inner_text() and "本库: 50" in announced.inner_text()
    phone.click("button.book[data-kind=issue]")
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert 'status: "已登记: 出库 1"' in phone.locator("#feedback").aria_snapshot()
    phone.click("#recent button.undo")
    phone.wait_for_selector("#recent li.undone")
    row = phone.locator("#recent li").first.inner_text()
    assert "已撤销" in row  # not struck through alone
    phone.fill("#qty", "500")
    phone.click("button.book[data-kind=issue]")
    phone.wait_for_selector("#feedback[data-state=error]")
    assert phone.inner_text("#feedback").startswith("未登记。")  # red, and in words
    with live_server.app.app_context():
        reversal = db.session.scalar(sa.select(Movement).where(Movement.reverses_id.is_not(None)))
        assert reversal.reason == "扫码页撤销"  # in the keeper's language, not "undo"


def test_a_lot_expiring_soon_says_so_in_words(phone, live_server):
    with live_server.app.app_context():
        get = lambda model, **kw: db.session.scalar(sa.select(model).filter_by(**kw))  # noqa: E731
        factories.receive(db.session, get(Item, code="1020101"), get(Depot, code="DEP-S1"), 5,
                          lot_code="SOON", expiry=date.today() + timedelta(days=20))
        db.session.commit()
    open_scan_page(phone, live_server)
    scanned(phone, "SOON")
    assert "还剩 20 天" in phone.inner_text("#lot-expiry")
    assert contrast(phone, "#lot-expiry") >= 4.5


def test_quantity_buttons_say_by_how_much_and_keep_a_keyboard_users_focus(phone, live_server):
    set_pack_size(live_server, "1020101", 5)
    open_scan_page(phone, live_server)
    scanned(phone, "Q1")
    assert phone.get_attribute("#qty-plus", "aria-label") == "数量加 5"
    assert phone.get_attribute("#qty-minus", "aria-label") == "数量减 5"
    phone.focus("#qty-plus")
    phone.keyboard.press("Enter")
    phone.keyboard.press("Enter")  # pressed again: the focus stayed on +
    assert phone.input_value("#qty") == "15"
    assert phone.evaluate("document.activeElement.id") == "qty-plus"
    phone.click("#qty-minus")  # a tap gives the focus back to the scanner field, as before
    assert phone.evaluate("document.activeElement.id") == "scan-input"
    phone.focus("button.book[data-kind=issue]")
    phone.keyboard.press("Enter")  # a booking always does: the next scan must not book again
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert phone.evaluate("document.activeElement.id") == "scan-input"


def test_focus_shows_on_white_and_on_the_loss_or_scrap_toggle(phone, live_server):
    open_scan_page(phone, live_server)
    scanned(phone, "Q1")
    for selector in ("#qty-plus", ".more-kinds summary"):
        phone.focus(selector)
        phone.keyboard.press("Shift+Tab")
        phone.keyboard.press("Tab")  # focus from the keyboard: :focus-visible
        style = phone.locator(selector).evaluate(
            "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth, getComputedStyle(e).boxShadow]")
        assert style[0] == "solid" and style[1] == "3px", (selector, style)
        assert "27, 36, 48" in style[2], (selector, style)  # the dark inner ring
    label, field = (phone.locator(s).bounding_box() for s in ("label[for=scan-input]", "#scan-input"))
    assert label["y"] + label["height"] <= field["y"] - 5  # the ring (2 + 3 px) leaves it legible


def test_amber_text_and_feedback_colours_meet_the_contrast_minimum(phone, live_server):
    open_scan_page(phone, live_server)
    phone.context.set_offline(True)
    scanned(phone, "Q1")
    phone.click("button.book[data-kind=issue]")
    phone.wait_for_selector("#feedback[data-state=warn]")
    assert contrast(phone, "#feedback") >= 4.5
    assert contrast(phone, "#recent li.pending span") >= 4.5  # "waiting to be sent", in amber
    for field in ("#qty", "#reason"):  # where to type shows: borders at 3:1
        assert contrast(phone, field, "borderTopColor") >= 3, field
    phone.context.set_offline(False)  # back online: what waits is sent
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert contrast(phone, "#feedback") >= 4.5


def test_text_at_200_percent_still_fits_a_phone(phone, live_server):
    with live_server.app.app_context():
        get = lambda model, **kw: db.session.scalar(sa.select(model).filter_by(**kw))  # noqa: E731
        factories.receive(db.session, get(Item, code="1040101"), get(Depot, code="DEP-S1"), 9,
                          lot_code="F1")  # a date to show beside the name
        db.session.commit()
    open_scan_page(phone, live_server)
    phone.goto(f"{live_server.url}/lang/en?next=/scan")  # "Stocktake" is longer than 盘点
    phone.select_option("#depot-select", "DEP-S1")
    scanned(phone, "F1")
    phone.evaluate("""() => {
      document.documentElement.style.fontSize = '200%';
      document.querySelector('.more-kinds').open = true;
    }""")
    width = phone.evaluate("document.documentElement.clientWidth")
    assert phone.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ("#lot-expiry", "button.book.count", "button.book.scrap", "#keyboard-toggle"):
        assert phone.locator(selector).bounding_box()["x"] + phone.locator(selector).bounding_box()["width"] <= width, selector
    assert phone.locator("#scan-input").bounding_box()["width"] >= 200  # room to see a code
    assert phone.locator("#reason").evaluate("e => getComputedStyle(e).fontSize") == "32px"


def test_the_pick_pages_scan_box_keeps_its_width_at_200_percent(phone, live_server):
    from tests.browser.test_pick_scanning import open_pick_list

    open_pick_list(phone, live_server)
    phone.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    assert phone.locator("#pick-scan").bounding_box()["width"] >= 200  # the quantity wraps below
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
