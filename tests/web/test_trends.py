"""Trends: stock over time from the ledger, expiry by month, readiness history."""
from datetime import date, timedelta

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Movement, ReadinessSnapshot, utcnow
from inventory.services import trends
from tests import factories
from tests.conftest import login


def test_stock_series_rebuilds_past_levels_from_the_ledger(session, world):
    tent = world.items["tent"]
    lot = world.lots["T1"]
    # Backdate T1's receipt by 5 days; issue 30 today.
    session.execute(sa.update(Movement).where(Movement.lot_id == lot.id)
                    .values(created_at=utcnow() - timedelta(days=5)))
    from inventory.services import movements
    movements.issue(session, factories.actor(), lot=lot, depot=world.depots["DEP-D1"],
                    owner=world.units["D1"], quantity=30, now=utcnow())
    series = dict(trends.stock_series(session, today=date.today(), days=10, unit=world.units["D1"],
                                      item=tent))
    assert series[date.today()] == 70
    assert series[date.today() - timedelta(days=1)] == 100
    assert series[date.today() - timedelta(days=6)] == 0


def test_expiring_by_month_puts_expired_stock_first(session, world):
    food = world.items["food"]
    today = date.today()
    factories.receive(session, food, world.depots["DEP-S1"], 7, lot_code="OLD",
                      expiry=today - timedelta(days=3))
    factories.receive(session, food, world.depots["DEP-S1"], 11, lot_code="SOON",
                      expiry=today + timedelta(days=40))
    months = trends.expiring_by_month(session, today=today, unit=world.units["S1"])
    assert months[0].month == date.min and months[0].quantity == 7
    soon = (today + timedelta(days=40)).replace(day=1)
    assert {m.month: m.quantity for m in months[1:]}[soon] == 11
    assert len(months) == 13


def test_trends_page_draws_the_charts_in_both_languages(client, app, world):
    with app.app_context():
        db.session.add(ReadinessSnapshot(unit_id=world.units["D1"].id, taken_on=date.today(),
                                         target_people=15000, people_coverable=4000,
                                         people_coverable_with_agreements=9000,
                                         created_at=utcnow()))
        db.session.commit()
    login(client, "bureau")
    page = client.get("/trends?item=1010101&days=30").get_data(as_text=True)
    assert page.count("<svg") == 3 and "帐篷" in page
    english = client.get("/trends?lang=en").get_data(as_text=True)
    assert "Pieces expiring per month" in english
    assert client.get("/trends?unit=D2").status_code == 403


def test_rollup_rows_add_up_to_the_unit_and_download_as_xlsx(client, world):
    import io

    import pandas as pd

    login(client, "admin")
    page = client.get("/rollup?unit=C1").get_data(as_text=True)
    assert 'id="rollup"' in page and "District One" in page and "District Two" in page
    frame = pd.read_excel(io.BytesIO(client.get("/rollup.xlsx?unit=C1").data))
    totals = frame["合计件数"]
    assert totals.iloc[0] == 180 and totals.iloc[1:].sum() == 180
    login(client, "keeper")
    assert client.get("/rollup?unit=D2").status_code == 403


def test_bad_report_arguments_are_422_naming_the_argument(client, world):
    login(client, "admin")
    for path, query, field in [
            ("/trends", "days=7", "时段(天)"), ("/trends", "days=abc", "时段(天)"),
            ("/trends", "item=tent", "物资"), ("/trends", "unit=%3Cx%3E", "单位"),
            ("/trends", "colour=red", "colour"), ("/rollup", "unit=%3Cx%3E", "单位"),
            ("/rollup.xlsx", "colour=red", "colour"), ("/overview", "wall=2", "大屏模式"),
            ("/overview", "unit=a%20b", "单位")]:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, (path, query, response.status_code)
        assert f"<li>{field}：" in response.get_data(as_text=True), (path, query)
    for path in ("/trends?days=365&item=1010101&unit=D1&lang=en", "/rollup?unit=D1&lang=zh",
                 "/overview?wall=1&unit=C1"):
        assert client.get(path).status_code == 200, path
