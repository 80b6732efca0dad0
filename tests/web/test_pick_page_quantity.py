"""The pick page's quantity is checked by the server: a bad one is named in the page and kept
in its box; a booked scan says which lot and how much."""
import re

from tests.conftest import login
from tests.web.test_dispatch_pages import new_event, new_order, shelter  # noqa: F401


def pick_error(page: str) -> str:
    return re.search(r'data-testid="pick-error">([^<]*)<', page).group(1)


def test_a_bad_quantity_is_named_in_the_page_and_kept(client, world, shelter):  # noqa: F811
    login(client, "admin")
    order = new_order(client, new_event(client), item_code=["1020101"], quantity=["5"])
    client.post(f"/dispatch/orders/{order}/approve")
    url = f"/dispatch/orders/{order}/pick/DEP-S1"
    page = client.get(url).get_data(as_text=True)
    box = re.search(r'<input name="quantity"[^>]*>', page).group(0)
    assert "min=" not in box and 'type="number"' not in box  # the browser never blocks a scan
    response = client.post(url, data={"payload": "/q/T/Q1", "quantity": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and pick_error(page) == "数量：不能小于 1。"
    assert re.search(r'<input name="quantity"[^>]*value="0"', page)
    assert re.search(r'<input id="pick-scan"[^>]*>', page).group(0).count("value=") == 0
    response = client.post(url, data={"payload": "/q/T/Q1", "quantity": " 2 "})
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "已登记：批次 Q1 出库 2 pcs。" in page
    assert re.search(r'<input name="quantity"[^>]*value=""', page)  # a booked scan clears it
