"""The count sheet says when each line was last counted, so a keeper sees what has gone
longest without a check."""
import re

from tests.conftest import login
from tests.web.test_booking_pages import request_id


def _last_counted(page: str, lot_code: str) -> str:
    row = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", page, re.S) if f">{lot_code}<" in r)
    cell = re.search(r'data-label="上次盘点"[^>]*>(.*?)</td>', row, re.S)
    return cell.group(1).strip()


def test_each_line_says_when_it_was_last_counted(client, world):
    login(client, "keeper")
    page = client.get("/depots/DEP-S1/count").get_data(as_text=True)
    assert "<th>上次盘点</th>" in page and _last_counted(page, "Q1") == "从未"
    field = re.search(r'name="(counted-\d+)"', page).group(1)
    booked = client.post("/depots/DEP-S1/count", data={"request_id": request_id(page), field: "50"})
    assert booked.status_code == 302
    again = client.get("/depots/DEP-S1/count").get_data(as_text=True)
    assert re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}", _last_counted(again, "Q1"))
