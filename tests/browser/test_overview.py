"""The overview on a 1920×1080 wall display and the trend charts, in a real browser."""
import pytest

from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def wall(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_overview_on_a_wall_display_shows_the_key_figures(wall, live_server):
    sign_in(wall, live_server.url, "bureau")
    api = wall.request.get(f"{live_server.url}/api/v1/readiness?unit=D1").json()
    wall.goto(f"{live_server.url}/overview?wall=1")
    assert wall.get_by_test_id("ov-people").inner_text() == f"{api['people_coverable']:,}"
    assert wall.get_by_test_id("ov-headline").inner_text() == "2种 150件"
    assert wall.locator(".ov-tree svg .tree-node").count() == 4  # district, 2 streets, community
    assert wall.locator("main").bounding_box()["width"] > 1800
    box = wall.get_by_test_id("ov-readiness").bounding_box()
    assert box["y"] + box["height"] < 1080  # the big figure is above the fold
    path = screenshot(wall, "overview-1920x1080")
    assert path.stat().st_size > 20_000


def test_trend_charts_render_with_their_figures(wall, live_server):
    sign_in(wall, live_server.url, "bureau")
    wall.goto(f"{live_server.url}/trends?item=1010101&days=30")
    assert wall.locator("#stock-trend svg polyline").count() == 1
    bars = wall.locator("#expiry-trend svg rect")
    assert bars.count() == 13
    assert "100" in wall.locator("#stock-trend").inner_text()  # today's tents in District One
    screenshot(wall, "trends-1920x1080")
