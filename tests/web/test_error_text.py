"""Error text on pages names fields in the user's language, never by their identifiers."""
import re

import pytest

from tests.conftest import login
from tests.html_forms import as_post, browser_fields, fill


def alert_text(page: str) -> str:
    box = re.search(r'class="flash flash-error" role="alert">(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", " ", box.group(1)) if box else ""


@pytest.mark.parametrize("url, expected, raw", [
    ("/readiness?unit=D1&hours=0", "小时：", "hours:"),
    ("/readiness/purchase-plan?unit=D1&people=-4", "人数：", "people:"),
    ("/alerts?severity=loud", "级别：", "severity:"),
    ("/stock?expiring_within_days=x", "临期天数：", "expiring_within_days:"),
    ("/readiness?unit=D1&hours=0&lang=en", "Hours: ", "hours:"),
    ("/events?status=nope", "状态：", "status:"),
    ("/dispatch/orders?status=nope", "状态：", "status:"),
])
def test_query_errors_name_the_field_in_words(client, world, url, expected, raw):
    login(client, "bureau")
    response = client.get(url)
    text = alert_text(response.get_data(as_text=True))
    assert response.status_code == 422 and expected in text and raw not in text


def test_receiving_note_errors_name_the_field_in_words(client, world):
    login(client, "keeper")
    fields = browser_fields(client.get("/depots/DEP-S1/receive").get_data(as_text=True))
    fill(fields, "item_code", "1020101", occurrence=1)
    response = client.post("/depots/DEP-S1/receive", data=as_post(fields))
    text = alert_text(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "第 2 行：数量：此项为必填项。" in text and "quantity" not in text
