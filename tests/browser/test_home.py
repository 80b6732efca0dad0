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


def _visible_in(page, link) -> bool:
    """Whether the link lies inside the viewport and inside the navigation's visible part."""
    return page.evaluate("""a => { const n = a.closest('nav').getBoundingClientRect(),
                                         r = a.getBoundingClientRect();
                                   return r.left >= n.left - 1 && r.right <= n.right + 1
                                       && r.right <= window.innerWidth + 1; }""",
                         link.element_handle())


def test_desktop_shows_every_navigation_link_and_a_phone_scrolls_to_the_page(page, phone,
                                                                              live_server):
    sign_in(page, live_server.url, "bureau")
    links = page.locator("nav.mainnav a")
    assert links.count() >= 15  # a bureau user sees the whole menu, down to 导入 and 导出
    assert all(_visible_in(page, links.nth(i)) for i in range(links.count()))
    sign_in(phone, live_server.url, "bureau")
    last = phone.locator("nav.mainnav a").last
    assert not _visible_in(phone, last)  # one row, scrolled sideways on a phone
    last.click()
    phone.wait_for_load_state()
    active = phone.locator("nav.mainnav a.active")
    assert active.count() == 1 and _visible_in(phone, active)


def test_a_keyboard_user_can_skip_the_header_and_menu(page, live_server):
    """The first Tab reaches a link, hidden until focused, that jumps past the top bar and the
    long menu to the page's content."""
    sign_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/stock")
    skip = page.locator(".skip-link")
    assert not skip.is_visible() or skip.bounding_box()["y"] < 0  # out of sight until focused
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0 and skip.inner_text() == "跳到正文"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside_main, page.evaluate("document.activeElement.outerHTML")
