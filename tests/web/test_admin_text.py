"""Administration pages speak the reader's language: tier names in the tier rules' messages
and field names in error flashes, never the stored codes."""
from tests.conftest import login


def test_tier_rule_messages_name_tiers_in_the_readers_language(client, world):
    login(client, "bureau")
    data = {"code": "S4", "name": "x", "tier": "district", "parent_code": "D1"}
    page = client.post("/admin/units/new", data=data).get_data(as_text=True)
    assert "层级 区级 必须低于上级单位的层级 区级。" in page.split('id="tier-error"')[1][:300]
    english = client.post("/admin/units/new?lang=en", data=data).get_data(as_text=True)
    error = english.split('id="tier-error"')[1][:300]
    assert "Tier District must sit below the parent&#39;s tier District." in error


def test_an_unknown_tier_lists_the_configured_tiers_by_name(client, world):
    login(client, "bureau")
    page = client.post("/admin/units/new?lang=en", data={
        "code": "S4", "name": "x", "tier": "galaxy", "parent_code": "D1"}).get_data(as_text=True)
    assert "configured tiers: City, District, Street, Community." in page


def test_a_refused_storage_location_names_the_field_in_words(client, world):
    login(client, "bureau")
    response = client.post("/admin/depots/DEP-D1/locations", data={"code": "a b", "name": ""},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "编码：" in page and "名称：" in page
    assert "code:" not in page and "name:" not in page
