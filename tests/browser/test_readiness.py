"""The readiness page's big figure is the API's figure, also after a what-if."""
from tests.browser.conftest import screenshot, sign_in


def test_big_figure_matches_the_api_and_follows_a_what_if(page, live_server):
    base = live_server.url
    sign_in(page, base, "bureau")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="保障能力").click()
    figure = page.get_by_test_id("people-coverable")
    api = page.request.get(f"{base}/api/v1/readiness?unit=D1").json()
    assert int(figure.get_attribute("data-value")) == api["people_coverable"]
    assert f"目标 {api['target_people']:,}" in figure.inner_text()
    assert page.locator("tr.limiting").get_attribute("data-item") == api["limiting_item_code"]
    screenshot(page, "readiness-zh")
    page.fill("input[name=people]", "40")
    page.fill("input[name=hours]", "24")
    page.get_by_role("button", name="重新测算").click()
    page.wait_for_url("**people=40**")
    api = page.request.get(f"{base}/api/v1/readiness?unit=D1&people=40&hours=24").json()
    figure = page.get_by_test_id("people-coverable")
    assert int(figure.get_attribute("data-value")) == api["people_coverable"]
    assert "目标 40" in figure.inner_text()
    badge = page.get_by_test_id("alert-badge")
    assert int(badge.inner_text()) > 0


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def add_agreement(app) -> None:
    """A partner and a stock agreement of District One (their pages have long labels)."""
    from datetime import date, timedelta

    from inventory.extensions import db
    from inventory.models import AgreementMode, Partner, Unit, utcnow
    from inventory.services import agreements

    with app.app_context():
        partner = agreements.create_partner(db.session, code="P1", name="安泰储运",
                                            credit_code="91150603MA0N1RXK1W", now=utcnow())
        terms = agreements.AgreementTerms(
            partner=db.session.get(Partner, partner.id), mode=AgreementMode.STOCK,
            owner=db.session.scalar(db.select(Unit).where(Unit.code == "D1")),
            valid_from=date.today() - timedelta(days=5),
            valid_to=date.today() + timedelta(days=300), lead_time_hours=6)
        agreements.create_agreement(db.session, code="AG-1", terms=terms, now=utcnow(),
                                    lines=[{"item_code": "1020101", "quantity": 300}])
        db.session.commit()


def test_readiness_agreements_and_alerts_on_a_phone_in_both_languages(phone, live_server):
    import io
    from datetime import date, timedelta

    from openpyxl import load_workbook

    base = live_server.url
    add_agreement(live_server.app)
    sign_in(phone, base, "bureau")
    later = (date.today() + timedelta(days=90)).isoformat()
    for lang, recalculate, ration in (("en", "Recalculate", "Ration"), ("zh", "重新测算", "应急食品")):
        phone.goto(f"{base}/?lang={lang}")
        for url in ("/partners/P1", "/agreements/AG-1", "/agreements", "/norms", "/alerts",
                    "/admin/units/D1/edit", "/readiness"):
            phone.goto(base + url)
            assert no_sideways_scroll(phone), (lang, url)
        phone.fill("input[name=people]", "400")
        phone.select_option("select[name=season]", "cold")
        phone.get_by_role("button", name=recalculate).click()
        phone.wait_for_url("**people=400**")
        api = phone.request.get(f"{base}/api/v1/readiness?unit=D1&people=400&season=cold").json()
        figure = phone.get_by_test_id("people-coverable").get_attribute("data-value")
        assert int(figure) == api["people_coverable"]
        assert ration in phone.get_by_test_id("limiting-item").inner_text()
        assert no_sideways_scroll(phone)
        phone.locator("a[href*='unit=S1']").first.click()  # drill down to a street
        phone.wait_for_url("**unit=S1**")
        assert no_sideways_scroll(phone)
        phone.go_back()
        phone.locator(f"a[href*='on={later}']").click()  # readiness in 90 days
        phone.wait_for_url(f"**on={later}**")
        assert phone.locator("input[name=on]").input_value() == later
        assert phone.locator("select[name=season]").input_value() == "cold"
        phone.locator(".page-head a.button").first.click()  # the purchase plan
        phone.wait_for_url("**/readiness/purchase-plan**")
        assert no_sideways_scroll(phone)
        with phone.expect_download() as download:
            phone.locator(".page-head a.primary").click()
        with open(download.value.path(), "rb") as handle:
            sheet = load_workbook(io.BytesIO(handle.read())).active
        assert any(row[:2] == ("1040101", ration) for row in sheet.iter_rows(values_only=True))
