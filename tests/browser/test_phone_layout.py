"""Keeper pages on a phone (390 × 844): wide tables become one card per row, so what the
keeper acts on (counted, quantity, to pick) is on screen without scrolling sideways; touch
targets are big enough for gloved hands; the desktop keeps its tables. And the A4 label
sheet prints 4 × 9 labels on one A4 page."""
import re

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Unit, User, utcnow
from inventory.services import dispatch, events
from tests import factories
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_scan import open_scan_page

PHONE_WIDTH = 390
LONG_DEPOT = ("ORD-CITY-01", "鄂尔多斯市救灾物资储备库")


def add_long_named_depot(live_server) -> None:
    """A depot with a real-length name and code in the keeper's street."""
    with live_server.app.app_context():
        street = db.session.scalar(sa.select(Unit).where(Unit.code == "S1"))
        factories.make_depot(db.session, LONG_DEPOT[0], street, name=LONG_DEPOT[1])
        db.session.commit()


def approved_order(live_server) -> str:
    """An approved dispatch order whose pick list at DEP-S1 holds the quilts of lot Q1."""
    with live_server.app.app_context():
        get = lambda model, **kw: db.session.scalar(sa.select(model).filter_by(**kw))  # noqa: E731
        admin, now = get(User, username="admin"), utcnow()
        event = events.create_event(db.session, admin, name="Snow", unit=get(Unit, code="D1"),
                                    started_at=now, now=now)
        order = dispatch.create_order(db.session, admin, event=event,
                                      to_unit=get(Unit, code="S1C1"), people=20, now=now)
        dispatch.approve(db.session, admin, order, now=now)
        db.session.commit()
        return order.code


def on_screen(page, selector: str) -> list[dict]:
    """Boxes of the elements matching `selector`, each asserted inside the phone's width."""
    boxes = [page.locator(selector).nth(i).bounding_box()
             for i in range(page.locator(selector).count())]
    assert boxes, selector
    for box in boxes:
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH + 0.5, \
            (page.url, selector, box)
    return boxes


def caption(page, selector: str) -> str:
    """The column name a card shows above a cell (its ::before)."""
    return page.evaluate("(s) => getComputedStyle(document.querySelector(s), '::before').content",
                         selector)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth"
                         " <= document.documentElement.clientWidth")


def test_count_sheet_and_receiving_note_fit_a_phone(phone, live_server):
    sign_in(phone, live_server.url, "keeper")
    phone.goto(f"{live_server.url}/depots/DEP-S1/count")
    on_screen(phone, "input[name^=counted-]")
    on_screen(phone, "table.cards td.card-key.num")  # the book quantity
    assert caption(phone, "td:has(> input[name^=counted-])") == '"实盘数"'
    assert no_sideways_scroll(phone)
    screenshot(phone, "phone-count-sheet")
    phone.goto(f"{live_server.url}/depots/DEP-S1/receive")
    for name in ("item_code", "quantity", "owner_code", "source", "expiry_date", "batch_no"):
        on_screen(phone, f"[name={name}]")
    # Quantity and owner come right under the item, side by side.
    quantity, owner = (phone.locator(f"[name={n}]").first.bounding_box()
                       for n in ("quantity", "owner_code"))
    item = phone.locator("[name=item_code]").first.bounding_box()
    assert quantity["y"] == owner["y"] and quantity["y"] > item["y"]
    assert quantity["height"] >= 44
    assert no_sideways_scroll(phone)
    screenshot(phone, "phone-receiving-note")


def test_pick_list_depot_and_lot_pages_fit_a_phone(phone, live_server):
    code = approved_order(live_server)
    sign_in(phone, live_server.url, "keeper")
    phone.goto(f"{live_server.url}/dispatch/orders/{code}/pick/DEP-S1")
    to_pick, picked = on_screen(phone, "tr[data-lot=Q1] td.card-key")
    assert to_pick["y"] == picked["y"]
    assert caption(phone, "tr[data-lot=Q1] [data-testid=picked]") == '"已拣选"'
    assert no_sideways_scroll(phone)
    screenshot(phone, "phone-pick-list")
    phone.goto(f"{live_server.url}/depots/DEP-S1")
    on_screen(phone, "table.cards td.num.card-key")
    assert caption(phone, "table.cards td.num.card-key") == '"数量"'
    assert no_sideways_scroll(phone)
    phone.goto(f"{live_server.url}/lots/Q1")
    # A place name gets half the card (it wrapped one or two characters per line).
    for box in on_screen(phone, "table.ledger td[data-label]:not(:empty)"):
        assert box["width"] >= 140
    assert no_sideways_scroll(phone)
    screenshot(phone, "phone-lot-ledger")


def test_the_desktop_keeps_its_tables(page, live_server):
    sign_in(page, live_server.url, "keeper")
    page.goto(f"{live_server.url}/depots/DEP-S1/count")
    assert page.locator("table.list thead th").first.is_visible()
    row = page.locator("table.list tbody tr").first
    assert row.evaluate("(r) => getComputedStyle(r).display") == "table-row"
    cells = [row.locator("td").nth(i).bounding_box() for i in range(row.locator("td").count())]
    assert len({round(box["y"]) for box in cells}) == 1  # one line, left to right
    assert [box["x"] for box in cells] == sorted(box["x"] for box in cells)
    assert caption(page, "td:has(> input[name^=counted-])") == "none"


def test_touch_targets_are_big_enough_for_gloves(phone, live_server):
    add_long_named_depot(live_server)
    open_scan_page(phone, live_server)
    account = phone.locator(".who > a").bounding_box()
    sign_out = phone.locator(".who button.link").bounding_box()
    assert sign_out["height"] >= 44 and sign_out["width"] >= 44
    assert sign_out["x"] - (account["x"] + account["width"]) >= 8 or sign_out["y"] > account["y"]
    phone.focus("#scan-input")
    phone.keyboard.type(f"{live_server.url}/q/T/Q1")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("#lot-card:not([hidden])")
    assert phone.locator(".more-kinds summary").bounding_box()["height"] >= 44
    phone.click("button.book[data-kind=receive]")
    phone.wait_for_selector("#recent button.undo")
    assert phone.locator("#recent button.undo").bounding_box()["height"] >= 44
    screenshot(phone, "phone-scan-targets")


def test_the_scan_page_depot_list_shows_whole_names(phone, live_server):
    add_long_named_depot(live_server)
    open_scan_page(phone, live_server, depot=LONG_DEPOT[0])
    # The widest option's text, in the list's own font, against the room left of the arrow.
    text, needed, room = phone.evaluate("""() => {
      const select = document.querySelector('#depot-select'), style = getComputedStyle(select);
      const probe = document.createElement('span');
      probe.style.font = style.font; probe.style.whiteSpace = 'pre';
      document.body.appendChild(probe);
      let widest = ['', 0];
      for (const option of select.options) {
        probe.textContent = option.text;
        if (probe.getBoundingClientRect().width > widest[1]) widest = [option.text, probe.getBoundingClientRect().width];
      }
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
      return [widest[0], widest[1], room];
    }""")
    assert LONG_DEPOT[0] in text and needed <= room, (text, needed, room)


def pdf_pages(page) -> tuple[int, list[str]]:
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = [box.decode() for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)]
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)), boxes


def test_the_a4_sheet_prints_four_by_nine_on_one_a4_page(page, live_server):
    sign_in(page, live_server.url, "keeper")
    page.goto(f"{live_server.url}/labels/sheet?lot=Q1&copies=36&layout=a4")
    page.wait_for_load_state("networkidle")
    count, boxes = pdf_pages(page)
    width, height = (float(v) for v in boxes[0].split()[2:4])
    assert (round(width), round(height)) == (595, 842)  # A4 in points, not US Letter
    assert count == 1
    page.goto(f"{live_server.url}/labels/sheet?lot=Q1&copies=37&layout=a4")
    page.wait_for_load_state("networkidle")
    assert pdf_pages(page)[0] == 2
    page.goto(f"{live_server.url}/labels/sheet?lot=Q1&copies=2&layout=thermal")
    page.wait_for_load_state("networkidle")
    count, boxes = pdf_pages(page)
    width, height = (float(v) for v in boxes[0].split()[2:4])
    assert count == 2 and (round(width), round(height)) == (142, 85)  # 50 × 30 mm each
