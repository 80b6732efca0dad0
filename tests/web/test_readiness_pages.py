"""Readiness, purchase plan, norms (edit and CSV import), unit targets and depot minimums."""
import io
import re
from datetime import date, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from inventory.extensions import db
from inventory.models import DepotMinimum, Item, Unit
from tests import factories
from tests.conftest import login


def big_figure(page: str) -> int:
    marker = 'data-testid="people-coverable" data-value="'
    start = page.index(marker) + len(marker)
    return int(page[start:page.index('"', start)])


def test_readiness_page_shows_the_apis_figures_in_chinese_and_english(client, app, world):
    with app.app_context():
        factories.receive(db.session, db.session.get(Item, world.items["food"].id),
                          world.depots["DEP-D1"], 3000, lot_code="F1")
        db.session.commit()
    login(client, "bureau")
    api = client.get("/api/v1/readiness?unit=D1&people=400").json
    page = client.get("/readiness?unit=D1&people=400").get_data(as_text=True)
    assert big_figure(page) == api["people_coverable"] == 50  # 50 quilts, 1 per person
    assert "可保障 50 人 / 目标 400" in page and "保障能力" in page
    assert 'class="limiting"' in page and "棉被" in page
    english = client.get("/readiness?unit=D1&people=400&lang=en").get_data(as_text=True)
    assert "Can relieve 50 people / target 400" in english


def test_readiness_what_if_and_future_date(client, world):
    login(client, "admin")
    page = client.get("/readiness?unit=C1&people=100&hours=24&basis=location").get_data(
        as_text=True)
    assert 'name="hours" min="1" max="720" value="24"' in page
    assert "District One" in page and "District Two" in page  # drill-down to units below
    later = (date.today() + timedelta(days=90)).isoformat()
    assert later in page  # the "in 90 days" link


def test_readiness_bad_parameters_are_422_and_outside_the_area_403(client, world):
    login(client, "bureau")
    response = client.get("/readiness?unit=D1&hours=0")
    assert response.status_code == 422 and "hours" in response.get_data(as_text=True)
    assert client.get("/readiness?unit=D2").status_code == 403
    assert client.get("/readiness?unit=NOPE").status_code == 404


def test_purchase_plan_on_screen_and_as_xlsx(client, world):
    login(client, "bureau")
    page = client.get("/readiness/purchase-plan?unit=D1&people=100").get_data(as_text=True)
    assert "采购计划" in page and "1040101" in page
    response = client.get("/readiness/purchase-plan?unit=D1&people=100&format=xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "物资编码"))
    plan = {row[0]: row for row in rows[header + 1:]}
    assert plan["1040101"][6] == 300  # 100 people x 3 rations, none in stock
    assert "1010101" not in plan  # 100 tents cover 400 people


def test_norms_page_saves_and_shows_errors_in_place(client, app, world):
    login(client, "bureau")
    page = client.get("/norms").get_data(as_text=True)
    assert 'name="per_person.1010101"' in page
    form = {f"per_person.{item.code}": str(item.per_person) for item in world.items.values()}
    form |= {f"critical.{item.code}": "1" for item in world.items.values() if item.critical}
    bad = client.post("/norms", data=form | {"per_person.1010101": "lots"})
    assert bad.status_code == 422 and 'id="per_person.1010101-error"' in bad.get_data(as_text=True)
    good = client.post("/norms", data=form | {"per_person.1010101": "0.2",
                                              "per_person_cold.1010101": "0.25"})
    assert good.status_code == 302
    with app.app_context():
        tent = db.session.scalar(sa.select(Item).where(Item.code == "1010101"))
        assert (float(tent.per_person), float(tent.per_person_cold), tent.critical) == (
            0.2, 0.25, True)
    login(client, "viewer")
    assert client.post("/norms", data=form).status_code == 403


def test_norm_csv_import_previews_errors_and_is_all_or_nothing(client, app, world):
    login(client, "bureau")
    bad_csv = "code,per_person,critical\n1010101,0.5,1\n9999999,1,0\n1020101,-1,maybe\n"
    response = client.post("/norms/import", data={"file": (io.BytesIO(bad_csv.encode()),
                                                           "norms.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "2 行有误" in page
    with app.app_context():
        assert float(db.session.scalar(sa.select(Item.per_person).where(
            Item.code == "1010101"))) == 0.25
    good_csv = "code,per_person_quantity,critical\n1010101,0.5,1\n1060101,0.25,1\n"
    preview = client.post("/norms/import", data={"file": (io.BytesIO(good_csv.encode()),
                                                          "norms.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200 and 'name="confirm"' in preview.get_data(as_text=True)
    done = client.post("/norms/import", data={"text": good_csv, "confirm": "1"})
    assert done.status_code == 302
    with app.app_context():
        torch = db.session.scalar(sa.select(Item).where(Item.code == "1060101"))
        assert float(torch.per_person) == 0.25 and torch.critical


def test_unit_form_edits_the_readiness_targets(client, app, world):
    login(client, "bureau")
    page = client.get("/admin/units/D1/edit").get_data(as_text=True)
    assert 'name="preposition_target"' in page and 'name="agreement_base_target"' in page
    response = client.post("/admin/units/D1/edit", data={
        "name": "District One", "tier": "district", "parent_code": "C1",
        "target_people": "12000", "horizon_hours": "10", "resident_share_target": "0.12",
        "preposition_target": "0.25", "agreement_base_target": "3"})
    assert response.status_code == 302
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "D1"))
        assert (unit.target_people, unit.horizon_hours, unit.agreement_base_target) == (
            12000, 10, 3)
        assert float(unit.preposition_target) == 0.25
    bad = client.post("/admin/units/D1/edit", data={
        "name": "District One", "tier": "district", "parent_code": "C1",
        "preposition_target": "2"})
    assert bad.status_code == 422 and 'id="preposition_target-error"' in bad.get_data(as_text=True)


def test_depot_minimums_are_set_and_checked(client, app, world):
    login(client, "bureau")
    assert 'name="min.1010101"' in client.get("/admin/depots/DEP-D1/minimums").get_data(
        as_text=True)
    bad = client.post("/admin/depots/DEP-D1/minimums", data={"min.1010101": "-3"})
    assert bad.status_code == 422 and 'id="min.1010101-error"' in bad.get_data(as_text=True)
    assert client.post("/admin/depots/DEP-D1/minimums",
                       data={"min.1010101": "150", "min.1020101": ""}).status_code == 302
    with app.app_context():
        rows = db.session.scalars(sa.select(DepotMinimum)).all()
        assert [(r.minimum_quantity) for r in rows] == [150]
    assert client.get("/admin/depots/DEP-D2/minimums").status_code == 403


def post_norm_file(client, data: bytes, name: str = "norms.csv", url: str = "/norms/import"):
    # Encoded here: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
    return client.post(url, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_norm_import_refuses_unreadable_files_with_422_not_500(client, world):
    login(client, "bureau")
    huge = b"code,per_person\n1010101,\"" + b"9" * 200_000 + b"\"\n"
    response = post_norm_file(client, huge)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "无法按 CSV 读取" in page
    cases = {
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "empty": b"",
        "header only": b"code,per_person\n",
        "no header": b"1010101,0.5\n",
        "utf-16 without BOM": "code,per_person\n1010101,0.5\n".encode("utf-16-le"),
        "over 1 MB of Chinese": "code,per_person\n".encode() + "棉".encode() * 400_000,
    }
    for name, data in cases.items():
        response = post_norm_file(client, data)
        assert response.status_code == 422, name
        assert 'role="alert"' in response.get_data(as_text=True) or \
            'id="file-error"' in response.get_data(as_text=True), name
    english = post_norm_file(client, cases["binary"], "photo.csv", "/norms/import?lang=en")
    assert english.status_code == 422 and "not a CSV text file" in english.get_data(as_text=True)


def test_norm_import_reads_bom_gbk_and_utf16_files(client, world):
    login(client, "bureau")
    text = "code,per_person,critical,备注\n1060101,0.5,1,手电筒\n"
    for data in (b"\xef\xbb\xbf" + text.encode(), text.encode("gbk"),
                 b"\xff\xfe" + text.encode("utf-16-le")):
        response = post_norm_file(client, data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and 'name="confirm"' in page, page[-2000:]
        assert "<td>1060101</td>" in page and ">0.5<" in page


def test_importing_the_default_norm_file_keeps_the_season_profiles(client, app, world):
    from inventory.models import utcnow
    from inventory.services import catalog

    with app.app_context():
        catalog.load_catalogue(db.session, catalog.norm_rows(), now=utcnow())
        db.session.commit()

        def figures(code):
            item = db.session.scalar(sa.select(Item).where(Item.code == code))
            db.session.refresh(item)
            return item.per_person, item.per_person_cold

        stove, coat = figures("1010201"), figures("1020201")
    assert (float(stove[0]), float(stove[1])) == (0, 0.333333)
    assert (float(coat[0]), float(coat[1])) == (0.5, 1)
    login(client, "bureau")
    data = catalog.DEFAULT_NORMS.read_bytes()
    preview = post_norm_file(client, data, "readiness_norms.csv")
    assert preview.status_code == 200, preview.get_data(as_text=True)[-3000:]
    done = client.post("/norms/import", data={"text": data.decode(), "confirm": "1"})
    assert done.status_code == 302
    with app.app_context():
        assert figures("1010201") == stove and figures("1020201") == coat
        assert float(figures("1010101")[0]) == 0.333333  # the world's tent took the file's norm


def test_page_alerts_and_purchase_plan_follow_the_season_setting(world_app):
    app = world_app(SEASON="cold")
    with app.app_context():
        factories.make_item(db.session, "1010201", name="取暖炉", name_en="Stove",
                            category="shelter", per_person=0, per_person_cold=0.5, critical=True)
        db.session.commit()
    client = app.test_client()
    login(client, "bureau")
    page = client.get("/readiness?unit=D1&on=2026-07-15").get_data(as_text=True)
    assert 'data-item="1010201"' in page and "冬季" in page
    warm = client.get("/readiness?unit=D1&on=2026-07-15&season=warm").get_data(as_text=True)
    assert 'data-item="1010201"' not in warm
    # the "in 30 days" link keeps the page's season (its row was computed with it)
    assert re.search(r'href="[^"]*on=2026-08-14[^"]*season=cold', page)
    plan = client.get("/readiness/purchase-plan?unit=D1&format=xlsx")
    rows = list(load_workbook(io.BytesIO(plan.data)).active.iter_rows(values_only=True))
    assert any(row[0] == "1010201" for row in rows)
    alerts_page = client.get("/alerts?kind=shortfall").get_data(as_text=True)
    assert "District One" in alerts_page
    with app.app_context():
        from inventory.models import Alert
        alert = db.session.scalar(sa.select(Alert).where(Alert.dedup_key == "shortfall:D1"))
        assert "1010201" in alert.params["items"]
    target = f"{app.instance_path}/plan.csv"
    export = app.test_cli_runner().invoke(args=["export", "purchase-plan", target, "--unit", "D1"])
    assert export.exit_code == 0, export.output
    with open(target, encoding="utf-8-sig") as handle:
        assert "1010201" in handle.read()


def test_a_unit_scoped_user_can_save_their_own_units_targets_as_the_form_shows_them(client,
                                                                                   app, world):
    # The parent (C1) lies outside the bureau user's area; the form must still offer it,
    # or the browser posts a blank parent and the save is refused.
    login(client, "bureau")
    page = client.get("/admin/units/D1/edit").get_data(as_text=True)
    assert re.search(r'<option value="C1"[^>]*selected', page)
    form = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    form |= {"tier": "district", "parent_code": "C1", "target_people": "12000"}
    form.pop("csrf_token", None)
    response = client.post("/admin/units/D1/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    with app.app_context():
        assert db.session.scalar(sa.select(Unit.target_people).where(Unit.code == "D1")) == 12000
