"""Partners, agreements, checks with photos, and the alert list with its actions."""
import io
from datetime import date, timedelta

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Agreement, AgreementCheck, Alert, AlertState
from tests.conftest import login

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CREDIT = "91150603MA0N1RXK1W"


def make_partner_and_agreement(client):
    assert client.post("/admin/partners/new", data={
        "code": "P1", "name": "安泰储运", "credit_code": CREDIT}).status_code == 302
    today = date.today()
    response = client.post("/admin/agreements/new", data={
        "code": "AG-1", "partner_code": "P1", "owner_code": "D1", "mode": "stock",
        "valid_from": (today - timedelta(days=5)).isoformat(),
        "valid_to": (today + timedelta(days=300)).isoformat(), "lead_time_hours": "6",
        "check_interval_days": "90", "line-0-item_code": "1010101", "line-0-quantity": "400",
        "line-1-item_code": "", "line-1-quantity": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_partner_form_errors_in_place(client, world):
    login(client, "bureau")
    response = client.post("/admin/partners/new", data={"code": "P 1", "name": "",
                                                         "credit_code": "12345"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("code", "name", "credit_code"):
        assert f'id="{field}-error"' in page


def test_partners_and_agreements_pages(client, app, world):
    login(client, "bureau")
    make_partner_and_agreement(client)
    assert "安泰储运" in client.get("/partners?q=安泰").get_data(as_text=True)
    detail = client.get("/agreements/AG-1").get_data(as_text=True)
    assert "安泰储运" in detail and "400" in detail
    assert "AG-1" in client.get("/agreements?mode=stock&state=valid").get_data(as_text=True)
    assert client.get("/agreements/AG-1", headers={}).status_code == 200
    login(client, "keeper2")  # District Two cannot see District One's agreement
    assert client.get("/agreements/AG-1").status_code == 404


def test_agreement_form_names_the_bad_line(client, world):
    login(client, "bureau")
    client.post("/admin/partners/new", data={"code": "P1", "name": "安泰储运"})
    response = client.post("/admin/agreements/new", data={
        "code": "AG-2", "partner_code": "P1", "owner_code": "D1", "mode": "supply",
        "valid_from": "2026-01-01", "valid_to": "2026-12-31", "lead_time_hours": "6",
        "line-0-item_code": "1010101", "line-0-quantity": "10",
        "line-1-item_code": "1020101", "line-1-quantity": "zero"})
    assert response.status_code == 422
    assert 'id="line-1-quantity-error"' in response.get_data(as_text=True)


def test_check_with_photo_is_recorded_and_served_to_signed_in_users(client, app, world):
    login(client, "bureau")
    make_partner_and_agreement(client)
    with app.app_context():
        agreement = db.session.scalar(sa.select(Agreement).where(Agreement.code == "AG-1"))
        line_id = agreement.lines[0].id
    form = {"checked_on": date.today().isoformat(), f"found.{line_id}": "350", "note": "ok"}
    bad = client.post("/agreements/AG-1/checks/new", content_type="multipart/form-data",
                      data=form | {"photo": (io.BytesIO(b"%PDF-1.4 not an image"), "x.pdf")})
    assert bad.status_code == 422 and 'id="photo-error"' in bad.get_data(as_text=True)
    missing = client.post("/agreements/AG-1/checks/new", data={"checked_on": "2026-01-01"})
    assert missing.status_code == 422 and f'id="found.{line_id}-error"' in missing.get_data(
        as_text=True)
    good = client.post("/agreements/AG-1/checks/new", content_type="multipart/form-data",
                       data=form | {"photo": (io.BytesIO(PNG), "shelf.png")})
    assert good.status_code == 302
    with app.app_context():
        check = db.session.scalar(sa.select(AgreementCheck))
        assert check.photo.endswith(".png") and check.lines[0].quantity_found == 350
        check_id = check.id
    photo = client.get(f"/agreement-checks/{check_id}/photo")
    assert photo.status_code == 200 and photo.data == PNG
    readiness = client.get("/api/v1/readiness?unit=D1").json
    assert {i["item_code"]: i for i in readiness["items"]}["1010101"]["agreement"] == 350
    client.post("/logout")
    assert client.get(f"/agreement-checks/{check_id}/photo").status_code == 302


def test_alert_list_filters_acknowledge_and_resolve(client, app, world):
    login(client, "bureau")
    page = client.get("/alerts").get_data(as_text=True)
    assert "缺口" in page and 'data-testid="alert-badge"' in page
    with app.app_context():
        alert = db.session.scalar(sa.select(Alert).where(Alert.dedup_key == "shortfall:D1"))
        alert_id = alert.id
    assert client.post(f"/alerts/{alert_id}/acknowledge",
                       data={"next": "https://evil.example/"}).headers["Location"] == "/alerts"
    with app.app_context():
        alert = db.session.get(Alert, alert_id)
        assert alert.state is AlertState.ACKNOWLEDGED and alert.acknowledged_by.username == "bureau"
    page = client.get("/alerts?state=acknowledged&kind=shortfall").get_data(as_text=True)
    assert "District One" in page and "bureau" in page
    client.post(f"/alerts/{alert_id}/resolve")
    with app.app_context():
        assert db.session.get(Alert, alert_id).state is AlertState.RESOLVED
    assert client.get("/alerts?severity=loud").status_code == 422


def test_viewer_reads_alerts_but_cannot_act(client, app, world):
    login(client, "viewer")
    assert client.get("/alerts").status_code == 200
    with app.app_context():
        alert_id = db.session.scalar(sa.select(Alert.id).limit(1))
    assert client.post(f"/alerts/{alert_id}/acknowledge").status_code == 403


def test_pages_render_in_english(client, world):
    login(client, "bureau")
    for url in ("/readiness", "/alerts", "/agreements", "/partners", "/norms", "/norms/import",
                "/readiness/purchase-plan"):
        response = client.get(url + "?lang=en")
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.get_data(as_text=True)


def test_agreement_edit_changes_terms_and_lines(client, app, world):
    login(client, "bureau")
    make_partner_and_agreement(client)
    page = client.get("/admin/agreements/AG-1/edit").get_data(as_text=True)
    assert 'name="line-0-quantity"' in page and 'value="400"' in page
    today = date.today()
    response = client.post("/admin/agreements/AG-1/edit", data={
        "partner_code": "P1", "owner_code": "D1", "mode": "supply",
        "valid_from": (today - timedelta(days=5)).isoformat(),
        "valid_to": (today + timedelta(days=30)).isoformat(), "lead_time_hours": "4",
        "check_interval_days": "60", "is_active": "1",
        "line-0-item_code": "1010101", "line-0-quantity": "250",
        "line-1-item_code": "1020101", "line-1-quantity": "90"})
    assert response.status_code == 302
    with app.app_context():
        agreement = db.session.scalar(sa.select(Agreement).where(Agreement.code == "AG-1"))
        assert agreement.mode.value == "supply" and agreement.lead_time_hours == 4
        assert sorted((line.item.code, line.quantity) for line in agreement.lines) == [
            ("1010101", 250), ("1020101", 90)]


def test_agreement_stored_near_the_end_of_the_calendar_still_renders(client, app, world):
    # Saved before dates were bounded (or through another path): the next check due lies
    # beyond year 9999. Detail, list, alerts and the agreements export must not 500.
    from inventory.models import AgreementMode, Partner, Unit, utcnow
    from inventory.services import agreements as service
    from inventory.services import alerts as alert_service
    from inventory.services import exports

    with app.app_context():
        partner = service.create_partner(db.session, code="P9", name="远期企业", now=utcnow())
        owner = db.session.scalar(sa.select(Unit).where(Unit.code == "D1"))
        terms = service.AgreementTerms(
            partner=db.session.get(Partner, partner.id), owner=owner, mode=AgreementMode.SUPPLY,
            valid_from=date(9999, 1, 1), valid_to=date(9999, 12, 31), lead_time_hours=6,
            check_interval_days=3650)
        service.create_agreement(db.session, code="AG-FAR", terms=terms, now=utcnow(),
                                 lines=[{"item_code": "1010101", "quantity": 5}])
        db.session.commit()
        alert_service.evaluate(db.session, today=date(9999, 12, 31), now=utcnow())
        table = exports.EXPORTS["agreements"](db.session, exports.ExportArgs(today=date.today()))
        assert [row[-2] for row in table.rows] == [date.max]
        db.session.rollback()
    login(client, "bureau")
    detail = client.get("/agreements/AG-FAR")
    assert detail.status_code == 200 and "9999" in detail.get_data(as_text=True)
    assert client.get("/agreements").status_code == 200


def test_check_interval_is_bounded_with_a_422_naming_the_field(client, world):
    login(client, "bureau")
    client.post("/admin/partners/new", data={"code": "P1", "name": "安泰储运"})
    response = client.post("/admin/agreements/new", data={
        "code": "AG-3", "partner_code": "P1", "owner_code": "D1", "mode": "supply",
        "valid_from": "2026-01-01", "valid_to": "2026-12-31", "lead_time_hours": "6",
        "check_interval_days": "3650", "line-0-item_code": "1010101", "line-0-quantity": "10"})
    assert response.status_code == 422
    assert 'id="check_interval_days-error"' in response.get_data(as_text=True)


def test_alert_texts_name_items_in_the_readers_language(client, app, world, token_for):
    from inventory.models import Depot, DepotMinimum, Item, User
    from tests import factories

    with app.app_context():
        food = db.session.scalar(sa.select(Item).where(Item.code == "1040101"))
        depot = db.session.scalar(sa.select(Depot).where(Depot.code == "DEP-D1"))
        factories.receive(db.session, food, depot, 10, lot_code="F-SOON",
                          expiry=date.today() + timedelta(days=10))
        db.session.add(DepotMinimum(depot_id=depot.id, item_id=food.id, minimum_quantity=50))
        db.session.commit()
    login(client, "bureau")
    client.post("/alerts/evaluate")
    english = client.get("/alerts?lang=en").get_data(as_text=True)
    chinese = client.get("/alerts?lang=zh").get_data(as_text=True)
    chinese_names = ("帐篷", "棉被", "应急食品", "手电筒")
    assert "Lot F-SOON of Ration at" in english and "holds 10 of Ration, below" in english
    assert "worst Tent, 0 of 3750" in english  # the shortfall's worst item
    assert not any(name in english for name in chinese_names)
    assert "应急食品" in chinese and "worst" not in chinese and "Ration" not in chinese
    with app.app_context():  # the API speaks the token user's language
        db.session.execute(sa.update(User).where(User.username == "bureau").values(locale="en"))
        db.session.commit()
    body = client.get("/api/v1/alerts?per_page=100", headers=token_for("bureau")).json
    messages = [a["message"] for a in body["items"] if a["item_code"]]
    assert len(messages) >= 3 and not any(n in m for m in messages for n in chinese_names)
    assert any("Ration" in m for m in messages)
    overview = client.get("/overview?unit=D1&lang=en").get_data(as_text=True)
    assert "worst Tent" in overview or "Ration" in overview
    assert not any(name in overview.split("Most severe open alerts")[1].split("</ul>")[0]
                   for name in chinese_names)
