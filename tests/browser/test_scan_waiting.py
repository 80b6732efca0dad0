"""Bookings that could not be sent wait on the phone and are sent later, in order, once:
no network, a lost answer, a server away, a keeper signed out, another keeper's phone."""
import json

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Movement, MovementKind
from tests.browser.conftest import screenshot
from tests.browser.test_scan import on_hand, open_scan_page, scan

MOVEMENTS = "**/api/v1/movements"


def show_lot(phone, live_server, lot_code: str = "Q1") -> None:
    open_scan_page(phone, live_server)
    scan(phone, f"/q/T/{lot_code}")
    phone.wait_for_selector("#lot-card:not([hidden])")


def book(phone, kind: str, quantity: int) -> None:
    phone.fill("#qty", str(quantity))
    phone.click(f"button.book[data-kind={kind}]")


def send_now(phone) -> None:
    """Tap Send now, also if the 10-second retry has just sent everything and hidden it."""
    phone.evaluate("document.getElementById('waiting-send').click()")


def waiting_entries(phone) -> list:
    return json.loads(phone.evaluate("localStorage.getItem('inventory.scan.queue')") or "[]")


def issued(live_server) -> list[int]:
    """Quantities of the issues in the ledger, oldest first."""
    with live_server.app.app_context():
        return list(db.session.scalars(sa.select(Movement.quantity).where(
            Movement.kind == MovementKind.ISSUE).order_by(Movement.id)))


def test_a_booking_made_offline_waits_and_is_sent_in_order_once_back(phone, live_server):
    show_lot(phone, live_server)
    phone.context.set_offline(True)
    book(phone, "issue", 2)
    phone.wait_for_selector("#feedback[data-state=warn]")
    assert "自动提交" in phone.inner_text("#feedback")
    assert "1" in phone.inner_text("#waiting-count")
    assert "待提交" in phone.inner_text("#recent li.pending")
    assert on_hand(live_server, "Q1") == 50 and len(waiting_entries(phone)) == 1

    phone.route(MOVEMENTS, lambda route: route.fulfill(status=503, body="Service Unavailable"))
    phone.context.set_offline(False)
    book(phone, "issue", 3)  # queued behind the one waiting, never before it
    phone.wait_for_selector("#feedback[data-state=warn]")  # after "busy": the 503 came
    assert "服务器暂无响应" in phone.inner_text("#feedback")
    assert "2" in phone.inner_text("#waiting-count")
    phone.unroute(MOVEMENTS)
    send_now(phone)
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert phone.is_hidden("#waiting")
    assert issued(live_server) == [2, 3]
    assert on_hand(live_server, "Q1") == 45 and "45" in phone.inner_text("#lot-here")
    assert waiting_entries(phone) == []
    rows = phone.locator("#recent li")
    assert "已提交" in rows.nth(1).inner_text() and "已提交" in rows.nth(0).inner_text()
    phone.click("#recent li:first-child button.undo")  # the last booking can be undone
    phone.wait_for_selector("#recent li.undone")
    assert on_hand(live_server, "Q1") == 48


def test_a_lost_answer_is_sent_again_and_books_once(phone, live_server):
    show_lot(phone, live_server)

    def lose_the_answer(route):
        route.fetch()  # the server books it
        route.abort("connectionreset")  # the phone never hears back

    phone.route(MOVEMENTS, lose_the_answer)
    book(phone, "issue", 4)
    phone.wait_for_selector("#waiting:not([hidden])")
    assert on_hand(live_server, "Q1") == 46
    phone.unroute(MOVEMENTS)
    send_now(phone)
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert issued(live_server) == [4] and on_hand(live_server, "Q1") == 46
    assert waiting_entries(phone) == [] and phone.is_hidden("#waiting")


def test_waiting_bookings_survive_a_reload_while_the_server_is_away(phone, live_server):
    show_lot(phone, live_server)
    phone.route(MOVEMENTS, lambda route: route.fulfill(status=503, body="Service Unavailable"))
    book(phone, "issue", 5)
    phone.wait_for_selector("#feedback[data-state=warn]")
    assert "服务器暂无响应" in phone.inner_text("#feedback")
    phone.reload()
    phone.wait_for_selector("#waiting:not([hidden])")
    assert "1" in phone.inner_text("#waiting-count")
    assert "待提交" in phone.inner_text("#recent li.pending")
    assert on_hand(live_server, "Q1") == 50 and phone.is_visible("#waiting-send")
    phone.unroute(MOVEMENTS)
    send_now(phone)
    phone.wait_for_selector("#waiting", state="hidden")
    assert issued(live_server) == [5] and "已提交" in phone.inner_text("#recent li")


def test_a_signed_out_keeper_signs_in_again_and_the_booking_is_sent(phone, live_server):
    show_lot(phone, live_server)
    phone.context.clear_cookies()  # the session ended while the page stayed open
    book(phone, "issue", 6)
    phone.wait_for_selector("#feedback[data-state=warn]")
    assert "重新登录" in phone.inner_text("#feedback")
    assert on_hand(live_server, "Q1") == 50
    screenshot(phone, "scan-waiting-signed-out-phone")
    phone.click("#waiting-action")  # "Sign in", back to the scan page afterwards
    phone.fill("#f-username", "keeper")
    phone.fill("#f-password", "correct-horse-9")
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/scan")
    phone.wait_for_selector("#recent li:has-text('已提交')")  # sent from the page signed in anew
    assert waiting_entries(phone) == []
    assert issued(live_server) == [6]


def test_a_refused_waiting_booking_is_reported_and_not_retried(phone, live_server):
    show_lot(phone, live_server)
    phone.context.set_offline(True)
    book(phone, "issue", 500)  # more than the 50 held
    phone.wait_for_selector("#waiting:not([hidden])")
    phone.context.set_offline(False)  # sent when the phone is back online
    phone.wait_for_selector("#recent li.refused", timeout=15_000)
    assert phone.get_attribute("#feedback", "data-state") == "error"
    assert "被拒绝" in phone.inner_text("#feedback") and "Q1" in phone.inner_text("#feedback")
    assert "未登记" in phone.inner_text("#recent li.refused")
    assert waiting_entries(phone) == [] and phone.is_hidden("#waiting")
    assert on_hand(live_server, "Q1") == 50 and issued(live_server) == []


def test_another_keepers_waiting_bookings_are_not_sent_under_this_name(phone, live_server):
    other = {"user": "999999", "body": {
        "request_id": "another-keeper-0001", "kind": "issue", "depot_code": "DEP-S1",
        "lot_code": "Q1", "item_code": "1020101", "quantity": 1}}
    phone.add_init_script(
        f"localStorage.setItem('inventory.scan.queue', {json.dumps(json.dumps([other]))});")
    open_scan_page(phone, live_server)
    phone.wait_for_load_state("networkidle")
    assert "其他用户的登记" in phone.inner_text("#waiting-count") and "1" in phone.inner_text("#waiting-count")
    assert phone.is_hidden("#waiting-send")  # nothing of this keeper's waits
    send_now(phone)
    phone.wait_for_load_state("networkidle")
    assert waiting_entries(phone) == [other]
    assert issued(live_server) == [] and on_hand(live_server, "Q1") == 50


def test_a_lot_label_scanned_offline_shows_the_lot_and_its_booking_waits(phone, live_server):
    open_scan_page(phone, live_server)
    phone.select_option("#depot-select", "")
    phone.context.set_offline(True)
    scan(phone, "/q/D/DEP-S1")  # the depot label still chooses the depot
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert phone.input_value("#depot-select") == "DEP-S1"
    scan(phone, f"{live_server.url}/q/T/Q1")  # never looked up on this phone
    phone.wait_for_selector("#feedback[data-state=warn]")
    assert "仅知其编码" in phone.inner_text("#feedback")
    assert phone.inner_text("#lot-item") == "Q1" and phone.inner_text("#lot-here") == ""
    assert waiting_entries(phone) == []  # a scan alone saves nothing
    book(phone, "issue", 2)
    phone.wait_for_selector("#waiting:not([hidden])")
    assert waiting_entries(phone)[0]["body"]["lot_code"] == "Q1"
    phone.context.set_offline(False)
    phone.wait_for_selector("#waiting", state="hidden", timeout=15_000)
    assert issued(live_server) == [2] and on_hand(live_server, "Q1") == 48


def test_a_lot_looked_up_before_shows_its_item_when_scanned_offline(phone, live_server):
    show_lot(phone, live_server)  # looked up once, online
    phone.context.set_offline(True)
    scan(phone, "/q/T/Q1")
    phone.wait_for_selector("#feedback[data-state=warn]")
    assert "上次查询" in phone.inner_text("#feedback")
    assert phone.inner_text("#lot-item") == "棉被" and "1020101" in phone.inner_text("#lot-code")
    assert phone.inner_text("#lot-here") == ""  # stock changes: not shown from memory


def test_signing_out_with_bookings_waiting_asks_first_and_keeps_them(phone, live_server):
    show_lot(phone, live_server)
    phone.context.set_offline(True)
    book(phone, "issue", 2)
    phone.wait_for_selector("#waiting:not([hidden])")
    phone.route(MOVEMENTS, lambda route: route.fulfill(status=503, body="Service Unavailable"))
    phone.context.set_offline(False)  # the sign-out form below needs the server
    questions = []
    phone.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    phone.click("header form button[type=submit]")
    assert questions and "1" in questions[0] and "等待提交" in questions[0]
    assert phone.url.endswith("/scan")  # still signed in
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.click("header form button[type=submit]")
    phone.wait_for_url("**/login**")
    assert len(waiting_entries(phone)) == 1 and issued(live_server) == []


def test_a_browser_that_cannot_keep_the_booking_says_nothing_was_booked(phone, live_server):
    phone.add_init_script("""
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
          if (key.startsWith('inventory.scan.')) { throw new DOMException('full', 'QuotaExceededError'); }
          return setItem.call(this, key, value);
        };""")
    show_lot(phone, live_server)  # choosing the depot and looking up still work
    phone.context.set_offline(True)
    book(phone, "issue", 2)
    phone.wait_for_selector("#feedback[data-state=error]")
    assert "未登记" in phone.inner_text("#feedback") and "不允许本页保存" in phone.inner_text("#feedback")
    assert phone.is_hidden("#waiting") and phone.locator("#recent li").count() == 0
