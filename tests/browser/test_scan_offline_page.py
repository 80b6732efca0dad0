"""The scan page opens without a network, or while a proxy answers for a server that is down:
its service worker (static/js/sw.js) keeps the page and its files on the phone, and signing
out forgets them."""
import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import sign_in
from tests.browser.test_scan import on_hand, open_scan_page, scan
from tests.browser.test_scan_waiting import waiting_entries


def kept(page, path: str) -> bool:
    return page.evaluate(f"caches.match('{path}').then(r => !!r)")


def wait_until_kept(page, paths) -> None:
    for _ in range(100):  # not wait_for_function: the page's CSP forbids evaluating strings
        if all(kept(page, path) for path in paths):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"not kept: {[p for p in paths if not kept(page, p)]}")


def test_the_scan_page_opens_offline_and_its_booking_waits(phone, live_server):
    open_scan_page(phone, live_server)
    scan(phone, "/q/T/Q1")  # looked up once, online
    phone.wait_for_selector("#lot-card:not([hidden])")
    wait_until_kept(phone, ["/scan", "/static/js/scan.js", "/static/css/app.css",
                            "/static/vendor/jsqr/jsQR.min.js"])
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/scan")
    phone.wait_for_selector("#feedback[data-state=warn]")
    assert "上次打开" in phone.inner_text("#feedback")
    assert phone.input_value("#depot-select") == "DEP-S1"  # remembered on the phone
    scan(phone, "/q/T/Q1")
    phone.wait_for_selector("#lot-card:not([hidden])")
    assert phone.inner_text("#lot-item") == "棉被"
    phone.fill("#qty", "3")
    phone.click("button.book[data-kind=issue]")
    phone.wait_for_selector("#waiting:not([hidden])")
    assert waiting_entries(phone)[0]["body"]["quantity"] == 3
    phone.context.set_offline(False)
    phone.wait_for_selector("#waiting", state="hidden", timeout=15_000)
    assert on_hand(live_server, "Q1") == 47


def test_the_kept_page_serves_while_the_server_is_down(phone, live_server):
    open_scan_page(phone, live_server)
    scan(phone, "/q/T/Q1")
    phone.wait_for_selector("#lot-card:not([hidden])")
    wait_until_kept(phone, ["/scan", "/static/js/scan.js"])
    live_server.gateway.down = True  # the proxy answers 502 for every request
    phone.goto(f"{live_server.url}/scan")
    phone.wait_for_selector("#feedback[data-state=warn]")
    assert "服务器暂无响应：这是本机上次打开的扫码页面" in phone.inner_text("#feedback")
    scan(phone, "/q/T/Q1")  # the lookup gets 502: read from what the phone remembers
    phone.wait_for_selector("#lot-card:not([hidden])")
    assert phone.inner_text("#lot-item") == "棉被"
    assert "服务器暂无响应：显示本机上次查询到的批次信息" in phone.inner_text("#feedback")
    scan(phone, "/q/O/DISP-1")  # an order's label needs the server
    phone.wait_for_selector("#feedback[data-state=error]")
    assert "服务器暂无响应：未能查询该标签" in phone.inner_text("#feedback")
    scan(phone, "/q/T/Q1")
    phone.wait_for_selector("#feedback[data-state=warn]")
    phone.fill("#qty", "3")
    phone.click("button.book[data-kind=issue]")
    phone.wait_for_selector("#waiting:not([hidden])")
    assert "服务器暂无响应" in phone.inner_text("#feedback")
    live_server.gateway.down = False
    phone.click("#waiting-send")
    phone.wait_for_selector("#waiting", state="hidden", timeout=15_000)
    assert on_hand(live_server, "Q1") == 47


def test_a_page_never_kept_shows_the_proxys_answer(phone, live_server):
    sign_in(phone, live_server.url, "keeper")
    phone.goto(f"{live_server.url}/stock")
    live_server.gateway.down = True
    response = phone.goto(f"{live_server.url}/scan")
    assert response.status == 502 and "Bad Gateway" in phone.content()


def test_signing_out_forgets_the_kept_page(phone, live_server):
    open_scan_page(phone, live_server)
    wait_until_kept(phone, ["/scan"])
    phone.goto(f"{live_server.url}/stock")  # signing out from any page
    phone.click(".who form button")
    phone.wait_for_url(re.compile(r".*/login.*"))
    assert not kept(phone, "/scan")
    phone.context.set_offline(True)
    with pytest.raises(PlaywrightError, match="net::ERR_"):  # nothing kept: the browser's error page
        phone.goto(f"{live_server.url}/scan")


def test_other_pages_are_left_to_the_browser(phone, live_server):
    sign_in(phone, live_server.url, "keeper")
    phone.goto(f"{live_server.url}/scan")
    wait_until_kept(phone, ["/scan"])
    phone.goto(f"{live_server.url}/stock")
    assert phone.evaluate("navigator.serviceWorker.controller") is None  # not the worker's page
    assert not kept(phone, "/stock")
    phone.context.set_offline(True)
    with pytest.raises(PlaywrightError, match="net::ERR_INTERNET_DISCONNECTED"):
        phone.goto(f"{live_server.url}/stock")


def test_a_scan_page_the_server_no_longer_gives_is_forgotten(phone, live_server):
    open_scan_page(phone, live_server)
    wait_until_kept(phone, ["/scan"])
    phone.context.clear_cookies()  # the session ended on the server's side
    phone.goto(f"{live_server.url}/scan")
    phone.wait_for_url(re.compile(r".*/login.*"))
    assert not kept(phone, "/scan")
