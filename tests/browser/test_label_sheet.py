"""The label sheet in the browser: every listed lot chosen with one box, and a Print button
that opens the print dialog once (app.js and the old print.js both answered it: twice)."""
from tests.browser.conftest import sign_in

COUNT_PRINTS = "window.__prints = 0; window.print = function () { window.__prints += 1; };"


def prints_after_click(page) -> int:
    page.click("[data-print]")
    page.wait_for_timeout(200)  # a second handler would run in the same click
    return page.evaluate("window.__prints")


def test_all_lots_listed_are_chosen_with_one_box(page, live_server):
    sign_in(page, live_server.url, "keeper")
    page.goto(f"{live_server.url}/labels/sheet?picker_depot=DEP-S1")
    boxes = page.locator('input[type="checkbox"][name="lot"]')
    assert boxes.count() >= 1
    page.check("[data-check-all]")
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.click("text=显示标签")
    page.wait_for_load_state("networkidle")
    assert page.locator(".label-sheet img.label").count() == boxes.count()
    assert page.is_checked("[data-check-all]")  # all still chosen after showing them
    page.uncheck("[data-check-all]")
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))


def test_print_opens_the_dialog_once(page, live_server):
    page.context.add_init_script(COUNT_PRINTS)
    sign_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/labels/sheet?lot=T1")
    assert prints_after_click(page) == 1
    page.goto(f"{live_server.url}/readiness")  # loaded print.js for its Print button too
    assert prints_after_click(page) == 1
