"""The first-cut pages: content, filters, scope."""
from tests.conftest import login


def test_home_shows_headline_totals(client, world):
    login(client, "admin")
    page = client.get("/").get_data(as_text=True)
    assert "2种 180件" in page  # tents 130 + quilts 50


def test_keeper_sees_only_its_subtree(client, world):
    login(client, "keeper")  # scope: Street One
    page = client.get("/stock").get_data(as_text=True)
    assert ">Q1</a>" in page and ">T1</a>" not in page and ">T2</a>" not in page
    assert "1种 50件" in client.get("/").get_data(as_text=True)
    assert client.get("/lots/T2").status_code == 404


def test_district_sees_its_streets_but_not_the_other_district(client, world):
    login(client, "bureau")
    page = client.get("/stock").get_data(as_text=True)
    assert ">T1</a>" in page and ">Q1</a>" in page and ">T2</a>" not in page


def test_stock_filters_and_search(client, world):
    login(client, "admin")
    assert ">T2</a>" not in client.get("/stock?unit=D1").get_data(as_text=True)
    page = client.get("/stock?q=Quilt").get_data(as_text=True)
    assert ">Q1</a>" in page and ">T1</a>" not in page
    assert ">T1</a>" not in client.get("/stock?category=bedding").get_data(as_text=True)


def test_bad_filter_values_are_a_422_not_a_500(client, world):
    login(client, "admin")
    response = client.get("/stock?per_page=100000&expiring_within_days=soon")
    assert response.status_code == 422
    assert "expiring_within_days" in response.get_data(as_text=True)


def test_unknown_filter_code_is_a_404(client, world):
    login(client, "admin")
    assert client.get("/stock?depot=NOPE").status_code == 404


def test_pagination(client, world):
    login(client, "admin")
    page = client.get("/stock?per_page=1&page=2").get_data(as_text=True)
    assert "第 2 / 3 页" in page


def test_lot_page_shows_its_ledger(client, world):
    login(client, "admin")
    page = client.get("/lots/T1").get_data(as_text=True)
    assert "入库" in page and "100" in page


def test_unit_tree_lists_depots_with_totals(client, world):
    login(client, "bureau")
    page = client.get("/units").get_data(as_text=True)
    assert "District One" in page and "DEP-S1" in page and "District Two" not in page


def test_viewer_cannot_open_admin_forms(client, world):
    login(client, "viewer")
    assert client.get("/admin/items/new").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_stock_can_be_filtered_by_depot_and_item_from_the_page(client, world):
    login(client, "admin")
    page = client.get("/stock").get_data(as_text=True)
    assert '<option value="DEP-S1"' in page and '<option value="1020101"' in page
    page = client.get("/stock?depot=DEP-D1&item=1010101").get_data(as_text=True)
    assert ">T1</a>" in page and ">T2</a>" not in page and ">Q1</a>" not in page


def test_the_service_worker_is_served_from_the_root_signed_out_too(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"  # a new version is picked up at once
    assert b"keep-scan-page" in response.data
    again = client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
