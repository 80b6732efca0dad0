"""A new user signs in and reads the home page, in Chinese and then in English."""
from tests.browser.conftest import screenshot, sign_in


def test_sign_in_and_read_home_in_chinese_then_english(page, live_server):
    sign_in(page, live_server.url, "bureau")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text().startswith("储备概况")
    assert page.get_by_test_id("headline").inner_text() == "2种 150件"
    screenshot(page, "home-zh")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Reserve at a glance")
    assert page.get_by_test_id("headline").inner_text() == "2 kinds · 150 pieces"
    page.get_by_role("link", name="Stock", exact=True).first.click()
    assert page.get_by_role("link", name="T1").is_visible()
    screenshot(page, "stock-en")


def test_wrong_password_is_shown_in_place(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.fill("#f-username", "bureau")
    page.fill("#f-password", "not-the-password")
    page.click("button[type=submit]")
    assert page.locator("#password-error").inner_text() == "用户名或密码错误。"


def test_phone_layout_keeps_navigation_reachable(phone, live_server):
    sign_in(phone, live_server.url, "keeper")
    assert phone.get_by_test_id("headline").inner_text() == "1种 50件"
    nav = phone.locator("nav.mainnav a")
    assert nav.count() >= 4
    box = nav.first.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    screenshot(phone, "home-phone")
