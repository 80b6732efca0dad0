"""A disaster from first report to the daily report, in a real browser: record the event,
request goods for 500 people, adjust and approve the proposal, pick by scanning at the
depots, dispatch, receive at the shelter, distribute to a household, read the daily report;
the ledger balances afterwards. Then the dispatch pages on a phone, in Chinese and English."""
import re
import uuid

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Depot, DisasterEvent, Item, Unit, User, utcnow
from inventory.services import bookings, dispatch, dispatch_picking, ledger
from tests import factories
from tests.browser.conftest import screenshot, sign_in


def add_shelter(live_server):
    with live_server.app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "S1C1"))
        factories.make_depot(db.session, "DEP-S1C1", unit, name="康城社区安置点")
        db.session.commit()


def sign_out(page):
    page.click(".who form button")
    page.wait_for_url(re.compile(r".*/login.*"))


def scan(page, selector, text):
    page.focus(selector)
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def scan_and_reload(page, text):
    """A handheld scanner types into the pick page's box; Enter submits the form."""
    with page.expect_navigation():
        scan(page, "#pick-scan", text)


def record_event_and_request(page, base):
    sign_in(page, base, "dispatcher")
    page.get_by_role("link", name="灾情调度").first.click()
    page.get_by_role("link", name="登记灾情事件").click()
    page.fill("#f-name", "康城社区内涝")
    page.select_option("#f-unit_code", "D1")
    page.select_option("#f-response_level", "4")
    page.fill("#f-affected_people", "1800")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/events/EV[\d-]+$"))
    page.get_by_role("link", name="申请物资").click()
    page.select_option("#f-to_unit_code", "S1C1")
    page.select_option("#f-to_depot_code", "DEP-S1C1")
    page.fill("#f-people", "500")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/dispatch/orders/DO[\d-]+$"))
    code = page.url.rsplit("/", 1)[1]
    lines = page.get_by_test_id("order-lines")
    assert lines.locator("tr[data-item='1010101'] input").input_value() == "125"
    assert lines.locator("tr[data-item='1040101'] [data-testid=unmet]").inner_text() == "1,500"
    # District Two's tents would need that district's consent: the dispatcher drops them.
    row = page.get_by_test_id("allocations").locator("tr", has_text="T2")
    assert "须储备单位同意" in row.inner_text()
    row.locator("input").fill("0")
    page.get_by_role("button", name="保存修改").click()
    page.wait_for_url(re.compile(rf".*/dispatch/orders/{code}$"))
    assert "T2" not in page.get_by_test_id("allocations").inner_text()
    sign_out(page)
    return code


def approve(page, base, code):
    sign_in(page, base, "bureau")
    page.goto(f"{base}/dispatch/orders/{code}")
    with page.expect_navigation():
        page.get_by_test_id("approve").click()
    assert page.get_by_test_id("order-status").inner_text() == "已批准"
    sign_out(page)


def pick(page, base, code):
    # The street keeper scans the order label on the scan page, which opens the pick list.
    sign_in(page, base, "keeper")
    page.goto(f"{base}/scan")
    page.select_option("#depot-select", "DEP-S1")
    scan(page, "#scan-input", f"{base}/q/O/{code}")
    page.wait_for_url(re.compile(rf".*/dispatch/orders/{code}/pick/DEP-S1$"))
    screenshot(page, "dispatch-pick-list")
    scan_and_reload(page, f"{base}/q/T/Q1")
    assert page.locator("tr[data-lot=Q1] [data-testid=picked]").inner_text() == "50"
    sign_out(page)
    # The district's tents are picked at the district depot, 99 of the 100 first.
    sign_in(page, base, "bureau")
    page.goto(f"{base}/dispatch/orders/{code}/pick/DEP-D1")
    page.fill("input[name=quantity]", "99")
    scan_and_reload(page, "T1")
    assert page.locator("tr[data-lot=T1] [data-testid=picked]").inner_text() == "99"
    scan_and_reload(page, "/q/T/T1")
    assert page.locator("tr[data-lot=T1] [data-testid=picked]").inner_text() == "100"
    page.goto(f"{base}/dispatch/orders/{code}")
    page.fill("#f-vehicle", "蒙K·A1234")
    page.fill("#f-driver", "王师傅")
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("dispatch").click()
    assert page.get_by_test_id("order-status").inner_text() == "已发运", page.locator("main").inner_text()[:800]
    sign_out(page)


def receive_and_distribute(page, base, code, event_page):
    sign_in(page, base, "keeper")
    page.goto(f"{base}/scan")
    page.select_option("#depot-select", "DEP-S1")
    scan(page, "#scan-input", f"/q/O/{code}")
    page.wait_for_url(re.compile(rf".*/dispatch/orders/{code}/receive$"))
    lines = page.get_by_test_id("receive-lines")
    lines.locator("tr", has_text="Q1").locator("input").fill("48")  # two quilts lost
    page.get_by_test_id("confirm-receipt").click()
    page.wait_for_url(re.compile(rf".*/dispatch/orders/{code}$"))
    assert page.get_by_test_id("order-status").inner_text() == "已接收"
    page.goto(event_page)
    page.get_by_role("link", name="发放到户").first.click()
    page.select_option("#f-depot_code", "DEP-S1C1")
    page.fill("#f-household_head", "张三")
    page.fill("#f-id_number", "150602199001011234")
    page.fill("#f-household_size", "5")
    rows = page.locator(".line-row")
    rows.nth(0).locator("select").select_option("1010101")
    rows.nth(0).locator("input").fill("1")
    rows.nth(1).locator("select").select_option("1020101")
    rows.nth(1).locator("input").fill("5")
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    assert "张三" in page.locator(".flash-success").inner_text()
    page.get_by_role("link", name="签收表").click()
    sheet = page.get_by_test_id("distributions").inner_text()
    assert "1506**********1234" in sheet and "150602199001011234" not in sheet
    screenshot(page, "dispatch-signoff")
    sign_out(page)


def test_event_to_daily_report(page, live_server):
    base = live_server.url
    add_shelter(live_server)
    code = record_event_and_request(page, base)
    approve(page, base, code)
    pick(page, base, code)
    sign_in(page, base, "dispatcher")
    page.goto(f"{base}/dispatch/orders/{code}")
    event_page = page.get_by_role("link", name="康城社区内涝").get_attribute("href")
    event_page = base + event_page
    sign_out(page)
    receive_and_distribute(page, base, code, event_page)

    sign_in(page, base, "viewer")
    page.goto(event_page)
    page.get_by_role("link", name="每日统报").click()
    tent = page.get_by_test_id("report-items").locator("tr[data-item='1010101']")
    figures = [cell.inner_text().split("\n")[0] for cell in tent.locator("td.num").all()]
    assert figures == ["125", "100", "100", "100", "1"]
    quilt = page.get_by_test_id("report-items").locator("tr[data-item='1020101']")
    assert [c.inner_text().split("\n")[0] for c in quilt.locator("td.num").all()] == [
        "500", "50", "50", "48", "5"]
    assert "5" in page.get_by_test_id("report-summary").locator(".tile").first.inner_text()
    screenshot(page, "dispatch-daily-report")
    with page.expect_download() as download:
        page.get_by_test_id("report-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    result = live_server.app.test_cli_runner().invoke(args=["verify-ledger"])
    assert result.exit_code == 0, result.output
    with live_server.app.app_context():
        assert ledger.verify(db.session) == []


def no_sideways_scroll(page) -> bool:
    """Nothing sticks out of the phone's screen. (window.innerWidth is no measure: in a
    mobile browser it grows with the content; the layout viewport is the 390 px screen.)"""
    return page.evaluate("document.documentElement.scrollWidth"
                         " <= document.documentElement.clientWidth")


def orders_at_each_stage(live_server, event_code) -> dict[str, str]:
    """A draft, an order in picking (its page has the dispatch form) and a dispatched one
    (its receive page), booked through the services as the pages would."""
    with live_server.app.app_context():
        get = lambda model, **kw: db.session.scalar(sa.select(model).filter_by(**kw))  # noqa: E731
        admin = get(User, username="admin")
        # Real lot and depot codes are long: the draft's "add stock from…" options with them
        # pushed the page to 843 px on a phone.
        reserve = factories.make_depot(db.session, "150603-ZX-RESERVE-01", get(Unit, code="D1"),
                                       name="康巴什区应急物资储备中心库")
        factories.receive(db.session, get(Item, code="1040101"), reserve, 1500,
                          lot_code="1040101-2026031501A")
        codes = {}
        for stage in ("draft", "picking", "dispatched"):
            order = dispatch.create_order(
                db.session, admin, event=get(DisasterEvent, code=event_code),
                to_unit=get(Unit, code="S1C1"), to_depot=get(Depot, code="DEP-S1C1"), people=20,
                now=utcnow())
            codes[stage] = order.code
            if stage == "draft":
                continue
            dispatch.approve(db.session, admin, order, now=utcnow())
            quilts = next(a for a in order.allocations if a.lot.lot_code == "Q1")
            bookings.book(db.session, admin, {
                "request_id": str(uuid.uuid4()), "kind": "issue", "depot_code": "DEP-S1",
                "lot_code": "Q1", "quantity": quilts.quantity, "order_code": order.code},
                now=utcnow(), request_hash="phone")
            if stage == "dispatched":
                dispatch_picking.dispatch(db.session, admin, order, now=utcnow())
        db.session.commit()
    return codes


def test_dispatch_pages_fit_a_phone_in_chinese_and_english(phone, live_server):
    base = live_server.url
    add_shelter(live_server)
    sign_in(phone, base, "admin")
    phone.goto(f"{base}/events/new")
    phone.fill("#f-name", "Snow")
    phone.select_option("#f-unit_code", "D1")
    phone.click("button[type=submit].primary")
    phone.wait_for_url(re.compile(r".*/events/EV[\d-]+$"))
    event_page = phone.url
    phone.goto(f"{event_page}/requests/new")
    phone.select_option("#f-to_unit_code", "S1C1")
    phone.fill("#f-people", "20")
    phone.click("button[type=submit].primary")
    phone.wait_for_url(re.compile(r".*/dispatch/orders/DO[\d-]+$"))
    order_page = phone.url
    with phone.expect_navigation():
        phone.get_by_test_id("approve").click()
    code = order_page.rsplit("/", 1)[1]
    stage = orders_at_each_stage(live_server, event_page.rsplit("/", 1)[1])
    orders = f"{base}/dispatch/orders"
    pages = [event_page, order_page, f"{base}/events", orders,
             f"{orders}/{code}/pick/DEP-S1", f"{event_page}/report",
             f"{event_page}/distributions", f"{event_page}/distributions/sheet",
             f"{event_page}/distribute", f"{event_page}/requests/new",
             f"{orders}/{stage['draft']}", f"{orders}/{stage['picking']}",
             f"{orders}/{stage['dispatched']}", f"{orders}/{stage['dispatched']}/receive"]
    for language in ("zh", "en"):
        phone.goto(f"{base}/?lang={language}")
        for url in pages:
            response = phone.goto(url)
            assert response.status == 200, url
            assert phone.evaluate("document.documentElement.clientWidth") == 390
            assert no_sideways_scroll(phone), (language, url, phone.evaluate(
                "document.documentElement.scrollWidth"))
            if url in (order_page, f"{orders}/{stage['draft']}"):
                screenshot(phone, f"dispatch-order-phone-{language}-{url.rsplit('/', 1)[1]}")
    assert phone.get_by_test_id("receive-lines").is_visible()
    phone.goto(f"{orders}/{stage['picking']}")
    assert phone.get_by_test_id("dispatch").is_visible()
    phone.goto(order_page)
    assert phone.get_by_test_id("order-status").inner_text() == "Approved for dispatch"
    phone.goto(f"{event_page}/report")
    assert phone.locator("h1").inner_text().startswith("Daily report")
