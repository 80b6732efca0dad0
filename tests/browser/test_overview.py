"""The overview on a 1920×1080 wall display and the trend charts, in a real browser; each
figure is checked in the element that shows it, against what the API or the data says."""
from datetime import date, timedelta

import pytest

from inventory.extensions import db
from inventory.models import ReadinessSnapshot, utcnow
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def wall(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def _open_alerts(tab, base_url: str, severity: str) -> int:
    query = f"state=open&unit=D1&severity={severity}&per_page=1"
    return tab.request.get(f"{base_url}/api/v1/alerts?{query}").json()["total"]


def test_overview_on_a_wall_display_shows_the_key_figures(wall, live_server):
    sign_in(wall, live_server.url, "bureau")
    wall.goto(f"{live_server.url}/overview?wall=1")  # evaluates alerts that are due
    api = wall.request.get(f"{live_server.url}/api/v1/readiness?unit=D1").json()
    counts = {s: _open_alerts(wall, live_server.url, s) for s in ("critical", "warning", "info")}
    wall.reload()
    assert wall.get_by_test_id("ov-people").inner_text() == f"{api['people_coverable']:,}"
    assert wall.get_by_test_id("ov-headline").inner_text() == "2种 150件"
    assert sum(counts.values()) > 0
    for severity, label in (("critical", "严重"), ("warning", "警告"), ("info", "提示")):
        shown = wall.get_by_test_id(f"ov-alerts-{severity}").inner_text()
        assert shown == f"{label} {counts[severity]:,}", severity
    nodes = wall.locator(".ov-tree svg .tree-node")
    assert nodes.count() == 4  # district, 2 streets, community
    texts = {nodes.nth(i).locator("text").first.text_content():
             nodes.nth(i).locator("text").last.text_content() for i in range(nodes.count())}
    assert texts == {"District One": "在库 100 件", "Street One": "在库 50 件",
                     "Street Two": "在库 0 件", "Community One": "在库 0 件"}
    assert wall.locator("main").bounding_box()["width"] > 1800
    box = wall.get_by_test_id("ov-readiness").bounding_box()
    assert box["y"] + box["height"] < 1080  # the big figure is above the fold
    # One screen: nothing to scroll on a wall display.
    assert wall.evaluate("document.documentElement.scrollHeight") <= 1080
    assert wall.evaluate("document.documentElement.scrollWidth") <= 1920
    path = screenshot(wall, "overview-1920x1080")
    assert path.stat().st_size > 20_000


def test_trend_charts_render_with_their_figures(wall, live_server):
    sign_in(wall, live_server.url, "bureau")
    wall.goto(f"{live_server.url}/trends?item=1010101&days=30")
    assert wall.locator("#stock-trend svg polyline").count() == 1
    assert wall.locator("#stock-trend [data-testid=stock-today]").inner_text() == "100"
    bars = wall.locator("#expiry-trend svg rect")
    assert bars.count() == 13
    screenshot(wall, "trends-1920x1080")


def test_readiness_history_chart_shows_the_daily_snapshots(wall, live_server):
    today = date.today()
    figures = [(3, 4_000, 9_000), (2, 5_500, 9_500), (1, 6_000, 11_000), (0, 7_250, 12_500)]
    with live_server.app.app_context():
        for days_ago, physical, with_agreements in figures:
            db.session.add(ReadinessSnapshot(
                unit_id=live_server.world.units["D1"].id, taken_on=today - timedelta(days_ago),
                target_people=15_000, people_coverable=physical,
                people_coverable_with_agreements=with_agreements, created_at=utcnow()))
        db.session.commit()
    sign_in(wall, live_server.url, "bureau")
    wall.goto(f"{live_server.url}/trends?days=30")
    history = wall.locator("#readiness-history")
    assert history.get_by_test_id("history-physical").inner_text() == "7,250"
    assert history.get_by_test_id("history-with-agreements").inner_text() == "12,500"
    lines = history.locator("svg polyline")
    assert lines.count() == 2  # physical stock, and with agreements
    assert [len(lines.nth(i).get_attribute("points").split()) for i in range(2)] == [4, 4]
    assert history.locator("svg text", has_text="目标 15,000").count() == 1
    assert history.locator("svg line[stroke-dasharray]").count() == 1  # the target line
    # The higher line (with agreements) lies above the other at every point: y is smaller.
    physical, agreements = ([float(p.split(",")[1]) for p in lines.nth(i).get_attribute(
        "points").split()] for i in range(2))
    assert all(a < p for a, p in zip(agreements, physical))
    history.scroll_into_view_if_needed()
    screenshot(wall, "trends-readiness-history-1920x1080")
