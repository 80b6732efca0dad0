"""The readiness page's big figure is the API's figure, also after a what-if."""
from tests.browser.conftest import screenshot, sign_in


def test_big_figure_matches_the_api_and_follows_a_what_if(page, live_server):
    base = live_server.url
    sign_in(page, base, "bureau")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="保障能力").click()
    figure = page.get_by_test_id("people-coverable")
    api = page.request.get(f"{base}/api/v1/readiness?unit=D1").json()
    assert int(figure.get_attribute("data-value")) == api["people_coverable"]
    assert f"目标 {api['target_people']:,}" in figure.inner_text()
    assert page.locator("tr.limiting").get_attribute("data-item") == api["limiting_item_code"]
    screenshot(page, "readiness-zh")
    page.fill("input[name=people]", "40")
    page.fill("input[name=hours]", "24")
    page.get_by_role("button", name="重新测算").click()
    page.wait_for_url("**people=40**")
    api = page.request.get(f"{base}/api/v1/readiness?unit=D1&people=40&hours=24").json()
    figure = page.get_by_test_id("people-coverable")
    assert int(figure.get_attribute("data-value")) == api["people_coverable"]
    assert "目标 40" in figure.inner_text()
    badge = page.get_by_test_id("alert-badge")
    assert int(badge.inner_text()) > 0
