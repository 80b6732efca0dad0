"""Trends: stock over time, expiry by month ahead, readiness history — as SVG charts."""
from __future__ import annotations

from datetime import date

from flask import render_template, request

from inventory.auth import current_actor, permission_required
from inventory.charts import Series, bar_chart, line_chart
from inventory.extensions import db
from inventory.i18n import locale_code, translate
from inventory.schemas.common import query_args
from inventory.schemas.reports import TREND_PERIODS, TrendArgs
from inventory.services import access, catalog, stock, trends, units
from inventory.services.access import Permission
from inventory.services.errors import N_
from inventory.templating import day, number
from inventory.web import bp

@bp.get("/trends")
@permission_required(Permission.VIEW)
def trends_page():
    user, today = current_actor(), date.today()
    values = query_args(request.args, TrendArgs())
    unit = _unit(user, values.get("unit"))
    item = catalog.get_item(db.session, values["item"]) if values.get("item") else None
    days = values["days"]
    series = trends.stock_series(db.session, today=today, days=days, unit=unit, item=item)
    expiring = trends.expiring_by_month(db.session, today=today, unit=unit, item=item)
    history = trends.readiness_history(db.session, unit=unit, days=days, today=today) if unit else []
    return render_template(
        "trends.html", unit=unit, item=item, days=days, periods=TREND_PERIODS,
        units=stock.unit_tree(db.session, user), items=catalog.active_items(db.session),
        stock_chart=_stock_chart(series, item), expiry_chart=_expiry_chart(expiring),
        history_chart=_history_chart(history), expiring=expiring, series=series,
        history=history)


def _unit(user, code: str | None):
    if code:
        return access.require_unit(user, units.get_unit(db.session, code))
    return user.unit


def _stock_chart(series, item):
    name = item.display_name(locale_code()) if item else translate(N_("All items (pieces)"))
    labels = [point.strftime("%m-%d") for point, _ in series]
    return line_chart(labels, [Series(name, [q for _, q in series])],
                      title=translate(N_("Stock over time")), number=number)


def _expiry_chart(expiring):
    labels = [translate(N_("Expired")) if m.month == date.min else m.month.strftime("%Y-%m")
              for m in expiring]
    return bar_chart(labels, [m.quantity for m in expiring], number=number,
                     title=translate(N_("Pieces expiring per month")),
                     highlight=[m.month == date.min for m in expiring])


def _history_chart(history):
    if not history:
        return None
    labels = [day(s.taken_on) for s in history]
    return line_chart(labels, [
        Series(translate(N_("Physical stock")), [s.people_coverable for s in history]),
        Series(translate(N_("With agreements")), [s.people_coverable_with_agreements for s in history])],
        title=translate(N_("People coverable over time")), number=number,
        target=history[-1].target_people,
        target_label=translate(N_("Target %(people)s"), people=number(history[-1].target_people)))
