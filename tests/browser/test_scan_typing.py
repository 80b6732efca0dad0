"""A handheld scanner types into the computer's keyboard state: with a Chinese input method
on, its Enter only ends the input method's composition, and its signs come out full-width or
as Chinese punctuation; with Caps Lock on, every letter comes out in the other case. The
scan page and the pick page still read the label, online and offline."""
import re
from datetime import timedelta

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import DisasterEvent, Item, Unit, User, utcnow
from inventory.services import dispatch, events
from tests.browser.test_scan import on_hand, open_scan_page, scan
from tests.browser.test_scan_waiting import waiting_entries


def type_through_input_method(page, selector: str, text: str) -> None:
    """What Chromium does with a Chinese input method on: the scanner's keys build a
    composition, its Enter (key code 229, isComposing) commits it, then Enter's keyup."""
    page.focus(selector)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": text, "selectionStart": len(text),
                                         "selectionEnd": len(text)})
    cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Enter", "code": "Enter",
                                        "windowsVirtualKeyCode": 229})
    cdp.send("Input.insertText", {"text": text})
    cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Enter", "code": "Enter",
                                        "windowsVirtualKeyCode": 13})
    cdp.detach()


def test_a_label_typed_through_a_chinese_input_method_is_read_once(phone, live_server):
    open_scan_page(phone, live_server)
    requests = []
    phone.on("request", lambda r: requests.append(r.url) if r.url.endswith("/api/v1/scans") else None)
    type_through_input_method(phone, "#scan-input", f"{live_server.url}/q/T/Q1")
    phone.wait_for_selector("#lot-card:not([hidden])")
    assert phone.inner_text("#lot-item") == "棉被" and phone.input_value("#scan-input") == ""
    assert len(requests) == 1


def test_full_width_signs_and_chinese_punctuation_still_name_the_lot(phone, live_server):
    open_scan_page(phone, live_server)
    host = live_server.url.split("://", 1)[1]
    scan(phone, f"ｈｔｔｐ：、、{host.replace('.', '。')}、ｑ、Ｔ、Ｑ１")
    phone.wait_for_selector("#lot-card:not([hidden])")
    assert "Q1" in phone.inner_text("#lot-code")


def test_chinese_characters_say_to_switch_the_input_method(phone, live_server):
    open_scan_page(phone, live_server)
    scan(phone, "户图图片")
    phone.wait_for_selector("#feedback[data-state=error]")
    assert "输入法" in phone.inner_text("#feedback")


def test_caps_lock_offline_finds_the_remembered_lot_and_books_it_by_its_code(phone, live_server):
    open_scan_page(phone, live_server)
    scan(phone, "/q/T/Q1")  # looked up once, online
    phone.wait_for_selector("#lot-card:not([hidden])")
    phone.select_option("#depot-select", "")
    phone.context.set_offline(True)
    scan(phone, "/Q/d/dep-s1")  # the depot label, Caps Lock on
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert phone.input_value("#depot-select") == "DEP-S1"
    scan(phone, "／Ｑ／ｔ／ｑ１")  # full-width and Caps Lock on
    phone.wait_for_selector("#feedback[data-state=warn]")
    assert "上次查询" in phone.inner_text("#feedback") and phone.inner_text("#lot-item") == "棉被"
    phone.fill("#qty", "2")
    phone.click("button.book[data-kind=issue]")
    phone.wait_for_selector("#waiting:not([hidden])")
    assert waiting_entries(phone)[0]["body"]["lot_code"] == "Q1"
    phone.context.set_offline(False)
    phone.wait_for_selector("#waiting", state="hidden", timeout=15_000)
    assert on_hand(live_server, "Q1") == 48


def approved_order(live_server) -> str:
    """An approved order for 5 quilts (Q1 at DEP-S1) to Street One."""
    with live_server.app.app_context():
        get = lambda model, **kw: db.session.scalar(sa.select(model).filter_by(**kw))  # noqa: E731
        admin, street = get(User, username="admin"), get(Unit, code="S1")
        event = events.create_event(db.session, admin, name="内涝", unit=street,
                                    started_at=utcnow() - timedelta(hours=1), now=utcnow())
        order = dispatch.create_order(db.session, admin, event=event, to_unit=street,
                                      lines=[(get(Item, code="1020101"), 5)], now=utcnow())
        dispatch.approve(db.session, admin, order, now=utcnow())
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(DisasterEvent.id))) == 1
        return order.code


def test_the_pick_page_books_a_lot_typed_through_a_chinese_input_method(phone, live_server):
    code = approved_order(live_server)
    open_scan_page(phone, live_server)
    phone.goto(f"{live_server.url}/dispatch/orders/{code}/pick/DEP-S1")
    with phone.expect_navigation():
        type_through_input_method(phone, "#pick-scan", "Q1")
    assert phone.locator("tr[data-lot=Q1] [data-testid=picked]").inner_text() == "5"
    assert on_hand(live_server, "Q1") == 45
    assert re.search(r"/pick/DEP-S1$", phone.url)
