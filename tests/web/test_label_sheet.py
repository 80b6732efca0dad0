"""The label sheet as a bureau clerk uses it for a new delivery: lots of several depots and the
depots' own labels chosen on the page, bad or too many copies named on the page itself with
what was chosen kept, and the SVG and PNG of each label to download."""
import re

from tests.conftest import login


def sheet(client, query: str):
    response = client.get(f"/labels/sheet?{query}")
    return response.status_code, response.get_data(as_text=True)


def picker_form(page: str) -> str:
    return re.search(r'<form method="get" class="filters">.*?</form>', page, re.S).group(0)


def test_too_many_labels_are_refused_naming_copies_not_cut_short(client, world):
    login(client, "keeper")
    status, page = sheet(client, "lot=Q1&depot=DEP-S1&copies=50&lot=Q1&lot=Q1&lot=Q1"
                                 "&lot=Q1&lot=Q1&lot=Q1&lot=Q1")  # 9 labels × 50 = 450
    assert status == 422
    assert "份数：" in page and "450" in page and "400" in page
    assert 'src="/labels/lot/Q1.svg' not in page  # not the first 400 of them, silently
    assert 'value="Q1"' in page and 'value="50"' in page  # the choice is kept


def test_bad_copies_are_named_on_the_sheet_with_the_chosen_lots_kept(client, world):
    login(client, "keeper")
    status, page = sheet(client, "picker_depot=DEP-S1&lot=Q1&copies=0&layout=thermal")
    assert status == 422 and "份数：" in page
    assert "Print labels" in page or "打印标签" in page  # the sheet's own form, not an error page
    assert re.search(r'type="checkbox" name="lot" value="Q1" checked', page)
    assert re.search(r'name="layout" value="thermal" checked', page)
    assert 'aria-invalid="true"' in page


def test_the_picked_depots_own_label_can_be_chosen(client, world):
    login(client, "keeper")
    _, page = sheet(client, "picker_depot=DEP-S1")
    assert re.search(r'type="checkbox" name="depot" value="DEP-S1"(?! checked)', page)
    status, page = sheet(client, "picker_depot=DEP-S1&depot=DEP-S1&copies=2")
    assert status == 200 and page.count('src="/labels/depot/DEP-S1.svg?lang=zh"') == 2
    assert re.search(r'type="checkbox" name="depot" value="DEP-S1" checked', page)


def test_listing_another_depots_lots_keeps_what_was_chosen(client, world):
    login(client, "keeper")
    _, page = sheet(client, "picker_depot=DEP-S1&lot=Q1&depot=DEP-S1&copies=3&layout=thermal")
    form = picker_form(page)
    for field in ('name="lot" value="Q1"', 'name="depot" value="DEP-S1"',
                  'name="copies" value="3"', 'name="layout" value="thermal"'):
        assert field in form, field


def test_each_chosen_label_can_be_downloaded_as_svg_and_png(client, world):
    login(client, "keeper")
    _, page = sheet(client, "lot=Q1&depot=DEP-S1&copies=3")
    assert page.count('href="/labels/lot/Q1.png?lang=zh" download="Q1.png"') == 1
    assert page.count('href="/labels/lot/Q1.svg?lang=zh" download="Q1.svg"') == 1
    assert 'href="/labels/depot/DEP-S1.png?lang=zh" download="DEP-S1.png"' in page
    assert client.get("/labels/lot/Q1.png").mimetype == "image/png"


def test_label_images_are_addressed_in_the_pages_language(client, world):
    """The browser keeps a label image for minutes: after a switch to English, the sheet must
    not show the Chinese image it kept under the same address."""
    login(client, "keeper")
    _, chinese = sheet(client, "lot=Q1")
    _, english = sheet(client, "lot=Q1&lang=en")
    assert 'src="/labels/lot/Q1.svg?lang=zh"' in chinese
    assert 'src="/labels/lot/Q1.svg?lang=en"' in english
    svg = client.get("/labels/lot/Q1.svg?lang=en").get_data(as_text=True)
    assert "Pack " in svg and "每件" not in svg


def test_a_depot_with_more_lots_than_listed_says_so(client, world, monkeypatch):
    from inventory.web import labels as label_views

    login(client, "keeper")
    _, page = sheet(client, "picker_depot=DEP-S1")
    assert "Only the first lots" not in page and "仅列出" not in page
    monkeypatch.setattr(label_views, "PICKER_LIMIT", 0)
    _, page = sheet(client, "picker_depot=DEP-S1")
    assert "仅列出" in page  # the list is not silently cut short
