"""Spreadsheets in and out, and the report pages, in a real browser: the import preview with
bad rows, the busy state while the server works, the commit, and every report page on a
phone without sideways scrolling, in Chinese and English."""
import io

import pandas as pd
import pytest

from inventory.extensions import db
from tests import factories
from tests.browser.conftest import screenshot, sign_in

# Remembers, across the page load the submit starts, what the form looked like just after
# app.js handled the submit (a listener added now runs after app.js's).
RECORD_BUSY = """() => document.addEventListener("submit", (event) => {
  const form = event.target, button = form.querySelector("button[type=submit]");
  const note = form.querySelector("[data-busy-status]");
  sessionStorage.setItem("busy", JSON.stringify({disabled: button.disabled,
    text: button.textContent.trim(), note: note ? !note.hidden : null}));
})"""


def xlsx(path, rows, columns):
    pd.DataFrame(rows, columns=columns).to_excel(path, index=False)
    return path


def busy_state(tab) -> dict:
    return tab.evaluate("JSON.parse(sessionStorage.getItem('busy'))")


def test_import_preview_lists_bad_rows_then_a_good_file_is_imported(page, live_server, tmp_path):
    sign_in(page, live_server.url, "keeper")
    page.goto(f"{live_server.url}/imports")
    columns = ["物资编码", "批次编码", "储备库编码", "数量"]
    bad = xlsx(tmp_path / "bad.xlsx", [["1020101", "B-1", "DEP-S1", "5"],
                                       ["1020101", "B-2", "DEP-D2", "5"],
                                       ["9999999", "B-3", "DEP-S1", "-1"]], columns)
    page.evaluate(RECORD_BUSY)
    page.set_input_files("#f-file", str(bad))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_selector("#import-errors")
    assert busy_state(page) == {"disabled": True, "text": "正在检查文件…", "note": True}
    rows = page.locator("#import-errors tbody tr")
    found = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    assert [(row, column) for row, column, _ in found] == [
        ("3", "储备库编码"), ("4", "数量"), ("4", "物资编码")]
    assert "DEP-D2" in found[0][2] and "9999999" in found[2][2]
    assert page.get_by_role("button", name="导入 3 行").count() == 0  # nothing to confirm
    screenshot(page, "import-preview-errors-zh")

    page.goto(f"{live_server.url}/imports")
    good = xlsx(tmp_path / "good.xlsx", [["1020101", "G-1", "DEP-S1", "7"],
                                         ["1010101", "G-2", "DEP-S1", "3"]], columns)
    page.set_input_files("#f-file", str(good))
    page.get_by_role("button", name="检查文件").click()
    confirm = page.get_by_role("button", name="导入 2 行")
    confirm.wait_for()
    page.wait_for_load_state()  # app.js has run: the recorder's listener comes after its
    page.evaluate(RECORD_BUSY)
    confirm.click()
    page.wait_for_selector(".flash-success")
    assert busy_state(page) == {"disabled": True, "text": "正在导入…", "note": True}
    page.goto(f"{live_server.url}/stock?lot=G-1")
    assert page.get_by_role("link", name="G-1").count() >= 1


def test_import_preview_in_english_names_the_files_columns(page, live_server, tmp_path):
    sign_in(page, live_server.url, "keeper")
    page.goto(f"{live_server.url}/imports?lang=en")
    english = xlsx(tmp_path / "en.xlsx", [["1020101", "E-1", "DEP-S1", "twelve"]],
                   ["Item code", "Lot code", "Depot code", "Quantity"])
    page.set_input_files("#f-file", str(english))
    page.get_by_role("button", name="Check the file").click()
    cells = page.locator("#import-errors tbody tr").first.locator("td").all_inner_texts()
    assert cells[:2] == ["2", "Quantity"] and "whole number" in cells[2]
    screenshot(page, "import-preview-errors-en")


def test_exports_page_downloads_the_register_asked_for(page, live_server):
    sign_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/exports")
    page.fill("#x-stale", "5")
    page.get_by_role("button", name="应用").click()
    page.wait_for_url("**/exports?*stale_days=5*")
    link = page.locator("tr", has_text="数据完整性").get_by_role("link", name="csv")
    assert "stale_days=5" in link.get_attribute("href")
    with page.expect_download() as download:
        link.click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    assert list(frame.columns[:2]) == ["单位编码", "单位名称"] and set(frame["单位编码"]) >= {"D1", "S1"}
    page.fill("#x-since", "2026-05-02")
    page.fill("#x-until", "2026-05-01")
    page.get_by_role("button", name="应用").click()
    assert "截止日期：" in page.locator(".field-errors").inner_text()
    screenshot(page, "exports-bad-period-zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_pages_fit_a_phone_without_sideways_scrolling(phone, live_server, lang):
    with live_server.app.app_context():  # a long option once made the item select 687 px wide
        factories.make_item(db.session, "1099999", name="救灾专用12m²单帐篷(冬季以12m²棉帐篷替代)长名称",
                            name_en="Relief tent 12 m2 single-skin (cold season: 12 m2 "
                                    "insulated tent), with a long name")
        db.session.commit()
    sign_in(phone, live_server.url, "bureau")
    phone.goto(f"{live_server.url}/?lang={lang}")
    wide = {}
    for path in ("/imports", "/exports", "/overview", "/overview?wall=1", "/trends",
                 "/rollup", "/write-offs"):
        phone.goto(f"{live_server.url}{path}")
        scroll, client = phone.evaluate("[document.documentElement.scrollWidth, "
                                        "document.documentElement.clientWidth]")
        if scroll > client:
            wide[path] = scroll
    assert wide == {}
    phone.goto(f"{live_server.url}/trends")
    assert phone.locator("select[name=item]").bounding_box()["width"] <= 390
    screenshot(phone, f"trends-phone-{lang}")
