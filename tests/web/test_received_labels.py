"""After a receiving note the depot page offers the labels of the lots just received: a
delivery's new lots need labels before anyone can scan them."""
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from tests.conftest import login
from tests.html_forms import as_post, browser_fields, fill


def test_a_receiving_note_leads_to_the_labels_of_its_lots(client, world):
    login(client, "keeper")
    fields = browser_fields(client.get("/depots/DEP-S1/receive").get_data(as_text=True))
    expiry = (date.today() + timedelta(days=400)).isoformat()
    for row, (item, batch) in enumerate((("1020101", "R1"), ("1040101", "R2"))):
        for name, value in (("item_code", item), ("batch_no", batch), ("expiry_date", expiry),
                            ("quantity", "4")):
            fill(fields, name, value, occurrence=row)
    response = client.post("/depots/DEP-S1/receive", data=as_post(fields))
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query)["received"] == [
        "1020101-R1", "1040101-R2"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "刚入库：1020101-R1, 1040101-R2。" in page
    link = page.split('data-testid="received-labels"')[1].split('href="')[1].split('"')[0]
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["lot"] == ["1020101-R1", "1040101-R2"]
    assert "picker_depot" not in query  # the labels at the top, not below a depot's whole list
    sheet = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert sheet.count('src="/labels/lot/1020101-R1.svg') == 1


def test_the_depot_page_names_only_lots_that_exist(client, world):
    login(client, "keeper")
    page = client.get("/depots/DEP-S1?received=Q1&received=<b>nope</b>").get_data(as_text=True)
    section = page.split('data-testid="received-labels"')[1].split("</section>")[0]
    assert "刚入库：Q1。" in section and "nope" not in section
    assert 'data-testid="received-labels"' not in client.get("/depots/DEP-S1").get_data(as_text=True)
