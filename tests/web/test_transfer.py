"""Import pages (upload → preview → confirm) and register downloads."""
import io
from datetime import date

import pandas as pd
import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Balance, Lot
from tests.conftest import login


def xlsx(rows, columns=("物资编码", "批次编码", "储备库编码", "数量")):
    buffer = io.BytesIO()
    pd.DataFrame(rows, columns=list(columns)).to_excel(buffer, index=False)
    return buffer.getvalue()


def upload(client, data, name="stock.xlsx", kind="stock"):
    return client.post("/imports", data={"kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def on_hand(app, lot_code):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.sum(Balance.quantity)).join(Lot)
                                 .where(Lot.lot_code == lot_code))


def test_preview_then_confirm_books_the_stock(client, app, world):
    login(client, "keeper")
    preview = upload(client, xlsx([["1020101", "NEW-1", "DEP-S1", "12"]]))
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "NEW-1" not in page and on_hand(app, "NEW-1") is None  # nothing booked yet
    token = page.split('name="token" value="')[1].split('"')[0]
    done = client.post("/imports/confirm", data={"token": token})
    assert done.status_code == 200 and on_hand(app, "NEW-1") == 12
    assert client.post("/imports/confirm", data={"token": token}).status_code == 409


def test_bad_rows_are_listed_with_row_and_column_and_nothing_is_booked(client, app, world):
    login(client, "keeper")
    response = upload(client, xlsx([["1020101", "NEW-1", "DEP-S1", "12"],
                                    ["1020101", "NEW-2", "DEP-D2", "zwölf"]]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="import-errors"' in page and "DEP-D2" in page and ">3</td>" in page
    assert "数量" in page
    assert on_hand(app, "NEW-1") is None


def test_malformed_and_wrong_type_files_get_a_clear_error(client, world):
    login(client, "keeper")
    response = upload(client, b"not a zip", name="stock.xlsx")
    assert response.status_code == 422 and "xlsx" in response.get_data(as_text=True)
    assert upload(client, b"x", name="stock.exe").status_code == 422


def test_keepers_cannot_import_the_catalogue(client, world):
    login(client, "keeper")
    response = upload(client, xlsx([["1099999", "x", "个"]], ("物资编码", "物资名称", "计量单位")),
                      kind="items")
    assert response.status_code == 403


def test_templates_download_with_chinese_headers(client, world):
    login(client, "admin")
    response = client.get("/imports/template/stock.xlsx")
    assert response.status_code == 200
    frame = pd.read_excel(io.BytesIO(response.data))
    assert list(frame.columns)[:3] == ["物资编码", "批次编码", "生产批号"]
    assert client.get("/imports/template/nothing.xlsx").status_code == 404


def test_exports_download_within_the_users_area(client, world):
    login(client, "bureau")  # scope: District One
    response = client.get("/exports/stock.xlsx")
    frame = pd.read_excel(io.BytesIO(response.data))
    assert set(frame["批次编码"]) == {"T1", "Q1"}  # T2 sits in District Two
    assert client.get("/exports/stock.xlsx?unit=D2").status_code == 403
    csv = client.get(f"/exports/ledger.csv?since={date.today().isoformat()}")
    assert csv.status_code == 200 and csv.data.decode("utf-8-sig").startswith("流水号")
    assert client.get("/exports/ledger.csv?since=yesterday").status_code == 422
    assert "completeness" in client.get("/exports").get_data(as_text=True)


def test_export_headers_follow_the_language(client, world):
    login(client, "admin")
    client.get("/?lang=en")
    frame = pd.read_excel(io.BytesIO(client.get("/exports/stock.xlsx?lang=en").data))
    assert list(frame.columns)[0] == "Item code"


def _backdate_ledger(app, days):
    from datetime import timedelta

    from inventory.models import Movement, utcnow

    with app.app_context():
        db.session.execute(sa.update(Movement).values(created_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def test_completeness_takes_the_number_of_days_from_the_exports_form(client, app, world):
    _backdate_ledger(app, 10)
    login(client, "admin")
    form = client.get("/exports").get_data(as_text=True)
    assert 'name="stale_days"' in form and 'max="3650"' in form
    assert 'value="5"' in client.get("/exports?stale_days=5").get_data(as_text=True)

    def statuses(query):
        response = client.get(f"/exports/completeness.csv{query}")
        assert response.status_code == 200
        frame = pd.read_csv(io.StringIO(response.data.decode("utf-8-sig")), dtype=str)
        return dict(zip(frame["储备库编码"].fillna(""), frame["状态"]))

    assert statuses("")["DEP-D1"] == "正常"  # 10 days < 30
    assert statuses("?stale_days=5")["DEP-D1"] == "长期未更新"


def test_bad_export_arguments_are_422_naming_the_argument(client, world):
    login(client, "admin")
    for query, field in [("until=9999-12-31", "截止日期"), ("since=0001-01-01", "起始日期"),
                         ("since=2026-02-30", "起始日期"), ("stale_days=0", "未更新天数"),
                         ("stale_days=abc", "未更新天数"), ("stale_days=3651", "未更新天数"),
                         ("since=2026-05-02&until=2026-05-01", "截止日期"),
                         ("unit=%3Cx%3E", "单位"), ("colour=red", "colour")]:
        for path in ("/exports/ledger.xlsx", "/exports/completeness.csv", "/exports"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 422, (path, query, response.status_code)
            assert f"<li>{field}：" in response.get_data(as_text=True), (path, query)
    assert client.get("/exports/ledger.xlsx?until=2199-12-31&lang=en").status_code == 200


def test_preview_names_columns_as_the_file_writes_them(client, world):
    login(client, "keeper")
    client.get("/?lang=en")
    english = xlsx([["1040101", "F-1", "DEP-S1", "twelve"]],
                   ("Item code", "Lot code", "Depot code", "Quantity"))
    page = upload(client, english).get_data(as_text=True)
    errors = page.split('id="import-errors"')[1].split("</table>")[0]
    assert "<td>Quantity</td>" in errors and "数量" not in errors
    # The food lot has no expiry date, and the file no such column: its English title.
    assert "<td>Expiry date</td>" in errors and "有效期至" not in errors and "shelf life" in errors
    missing = upload(client, xlsx([["1020101", "3"]], ("Item code", "Quantity")))
    assert "<td>Depot code</td>" in missing.get_data(as_text=True)
    client.get("/?lang=zh")
    chinese = upload(client, xlsx([["1020101", "N-1", "DEP-S1", "x"]]))
    assert "<td>数量</td>" in chinese.get_data(as_text=True)


def test_the_page_sends_files_above_its_row_limit_to_the_command_line(world_app):
    app = world_app(IMPORT_PAGE_MAX_ROWS=2)
    client = app.test_client()
    login(client, "keeper")
    assert "2 行" in client.get("/imports").get_data(as_text=True)
    rows = [["1020101", f"N-{n}", "DEP-S1", "1"] for n in range(3)]
    response = upload(client, xlsx(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "超过 2 行" in page and "flask --app wsgi import-stock FILE" in page
    assert upload(client, xlsx(rows[:2])).status_code == 200
    assert "data-busy-status" in client.get("/imports").get_data(as_text=True)
