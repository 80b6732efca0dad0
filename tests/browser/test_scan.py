"""The scan page in a real browser: a fake camera reads a label, a keyboard-wedge scanner
types one, and undo reverses the last booking."""
import io
import re

import requests
import sqlalchemy as sa
from PIL import Image

from inventory.extensions import db
from inventory.models import Balance, Lot
from tests.browser.conftest import launch, screenshot, sign_in


def on_hand(live_server, lot_code: str) -> int:
    with live_server.app.app_context():
        return db.session.scalar(sa.select(sa.func.sum(Balance.quantity)).join(Lot)
                                 .where(Lot.lot_code == lot_code)) or 0


def write_y4m(png: bytes, path) -> None:
    """One 640×480 4:2:0 frame of the label centred on white (Chromium loops it)."""
    label = Image.open(io.BytesIO(png)).convert("RGB")
    frame = Image.new("RGB", (640, 480), "white")
    frame.paste(label, ((640 - label.width) // 2, (480 - label.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    small = (320, 240)
    with open(path, "wb") as handle:
        handle.write(b"YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n")
        handle.write(b"FRAME\n")
        handle.write(y.tobytes())
        handle.write(cb.resize(small, Image.BILINEAR).tobytes())
        handle.write(cr.resize(small, Image.BILINEAR).tobytes())


def open_scan_page(page, live_server, depot="DEP-S1"):
    sign_in(page, live_server.url, "keeper")
    page.goto(f"{live_server.url}/scan")
    page.select_option("#depot-select", depot)


def test_camera_reads_a_label_and_books_an_issue(live_server, playwright, tmp_path):
    png = _label_png(live_server, "Q1")
    video = tmp_path / "label.y4m"
    write_y4m(png, video)
    browser = launch(playwright, f"--use-file-for-fake-video-capture={video}")
    try:
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                      is_mobile=True, has_touch=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        open_scan_page(page, live_server)
        page.click("#camera-start")
        page.wait_for_selector("#camera-status[data-state=scanning], #camera-status[data-state=error]",
                               state="attached")
        assert page.get_attribute("#camera-status", "data-state") != "error", page.inner_text("#camera-status")
        page.wait_for_selector("#lot-card:not([hidden])")
        assert "Q1" in page.inner_text("#lot-code")
        assert "50" in page.inner_text("#lot-here")
        page.fill("#qty", "2")
        page.click("button.book[data-kind=issue]")
        page.wait_for_selector("#feedback[data-state=ok]")
        screenshot(page, "scan-camera-phone")
    finally:
        browser.close()
    assert on_hand(live_server, "Q1") == 48


def _label_png(live_server, lot_code: str) -> bytes:
    """The app's own PNG label, fetched as a signed-in keeper."""
    session = requests.Session()
    page = session.get(f"{live_server.url}/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(f"{live_server.url}/login", data={"username": "keeper", "password": "correct-horse-9",
                                                   "csrf_token": token})
    response = session.get(f"{live_server.url}/labels/lot/{lot_code}.png")
    assert response.status_code == 200
    return response.content


def test_keyboard_scanner_books_a_receipt_and_undo_reverses_it(phone, live_server):
    open_scan_page(phone, live_server)
    phone.focus("#scan-input")
    phone.keyboard.type(f"{live_server.url}/q/T/Q1")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("#lot-card:not([hidden])")
    phone.click("#qty-plus")  # pack size 1: 1 -> 2
    assert phone.input_value("#qty") == "2"
    phone.click("button.book[data-kind=receive]")
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert on_hand(live_server, "Q1") == 52
    assert "52" in phone.inner_text("#lot-here")
    phone.click("#recent button.undo")
    phone.wait_for_selector("#recent li.undone")
    assert on_hand(live_server, "Q1") == 50
    assert "50" in phone.inner_text("#lot-here")


def test_scanning_the_depot_label_chooses_the_depot(page, live_server):
    sign_in(page, live_server.url, "keeper")
    page.goto(f"{live_server.url}/scan")
    page.focus("#scan-input")
    page.keyboard.type("/q/D/DEP-S1")
    page.keyboard.press("Enter")
    page.wait_for_selector("#feedback[data-state=ok]")
    assert page.input_value("#depot-select") == "DEP-S1"
    page.reload()
    assert page.input_value("#depot-select") == "DEP-S1"  # remembered on this device


def test_without_camera_api_the_page_says_what_to_do(page, live_server):
    sign_in(page, live_server.url, "keeper")
    page.add_init_script("Object.defineProperty(navigator, 'mediaDevices', {value: undefined});")
    page.goto(f"{live_server.url}/scan")
    assert page.get_attribute("#camera-status", "data-state") == "unavailable"
    assert "https" in page.inner_text("#camera-status")


def add_owner(live_server, lot_code: str, depot_code: str, owner_code: str, quantity: int):
    """Another unit's stock of the same lot in the same depot (pre-positioned reserve)."""
    from inventory.services import units
    from inventory.services.movements import get_lot
    from tests import factories

    with live_server.app.app_context():
        lot = get_lot(db.session, lot_code)
        factories.receive(db.session, lot.item, units.get_depot(db.session, depot_code), quantity,
                          owner=units.get_unit(db.session, owner_code), lot_code=lot_code)
        db.session.commit()


def owner_balance(live_server, lot_code: str, owner_code: str) -> int:
    from inventory.models import Unit
    with live_server.app.app_context():
        return db.session.scalar(sa.select(Balance.quantity).join(Lot).join(
            Unit, Balance.owner_id == Unit.id).where(Lot.lot_code == lot_code,
                                                      Unit.code == owner_code)) or 0


def scan(page, text: str) -> None:
    page.focus("#scan-input")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_a_lot_owned_by_two_units_here_asks_whose_stock_and_books_it(phone, live_server):
    add_owner(live_server, "Q1", "DEP-S1", "D1", 7)
    open_scan_page(phone, live_server)
    scan(phone, "/q/T/Q1")
    phone.wait_for_selector("#owner-picker:not([hidden])")
    options = phone.locator("#owner-options button.owner-option")
    assert options.count() == 2 and "7" in options.nth(1).inner_text()
    assert options.nth(1).bounding_box()["height"] >= 48  # a thumb-sized target
    screenshot(phone, "scan-owner-picker-phone")
    phone.fill("#qty", "6")
    phone.click("button.book[data-kind=count]")
    phone.wait_for_selector("#feedback[data-state=error]")
    assert "储备单位" in phone.inner_text("#feedback")  # asked to choose, nothing booked
    assert owner_balance(live_server, "Q1", "D1") == 7
    options.nth(1).click()
    assert options.nth(1).get_attribute("aria-checked") == "true"
    phone.click("button.book[data-kind=count]")
    phone.wait_for_selector("#feedback[data-state=ok]")
    assert owner_balance(live_server, "Q1", "D1") == 6 and owner_balance(live_server, "Q1", "S1") == 50
    assert "56" in phone.inner_text("#lot-here") and "6" in options.nth(1).inner_text()


def test_an_order_label_scanned_offline_says_nothing_was_saved(phone, live_server):
    open_scan_page(phone, live_server)
    phone.context.set_offline(True)
    scan(phone, "/q/O/ORDER-1")  # an order's pick list needs the server
    phone.wait_for_selector("#feedback[data-state=error]")
    text = phone.inner_text("#feedback")
    assert "没有保存" in text and "自动提交" not in text
    assert phone.is_hidden("#lot-card") and phone.is_hidden("#waiting")
    assert phone.evaluate("localStorage.getItem('inventory.scan.queue')") in (None, "[]")


def test_booking_errors_name_fields_in_words(phone, live_server):
    open_scan_page(phone, live_server)
    scan(phone, "/q/T/Q1")
    phone.wait_for_selector("#lot-card:not([hidden])")
    phone.fill("#qty", "")
    phone.click("button.book[data-kind=issue]")
    phone.wait_for_selector("#feedback[data-state=error]")
    text = phone.inner_text("#feedback")
    assert "数量：" in text and "quantity" not in text
