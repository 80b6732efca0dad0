"""The readiness page (what-if, drill-down, future dates) and the purchase plan (采购计划清单)."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import Response, current_app, render_template, request
from marshmallow import ValidationError

from inventory import reports
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.freshness import refresh_alerts
from inventory.i18n import locale_code, translate_tree
from inventory.models import Depot, ReadinessSnapshot
from inventory.schemas.readiness import ReadinessArgs
from inventory.labels import label
from inventory.services import exports, readiness_load, readiness_many
from inventory.services.access import Permission
from inventory.services.readiness_load import ReadinessReport
from inventory.services.readiness_many import SubtreeStock
from inventory.web import bp

FUTURE_DAYS = (30, 90, 180)
DEPOT_ROWS = 30


def _args() -> tuple[dict, dict]:
    raw = {k: v for k, v in request.args.items() if v.strip() and k not in ("format", "lang")}
    try:
        return ReadinessArgs().load(raw), {}
    except ValidationError as error:
        return ReadinessArgs().load({"unit": raw["unit"]} if "unit" in raw else {}), \
            translate_tree(error.messages)


def _report(values: dict, **changes) -> ReadinessReport:
    unit = changes.pop("unit", None) or readiness_load.resolve_unit(
        db.session, current_actor(), values.get("unit"))
    options = {"on": values.get("on") or date.today(), "people": values.get("people"),
               "hours": values.get("hours"), "basis": values["basis"],
               "season": values.get("season") or current_app.config["SEASON"]} | changes
    return readiness_load.load(db.session, unit, **options)


def _drill_down(report: ReadinessReport, stock: SubtreeStock) -> dict:
    both = readiness_load.drill_downs(db.session, report)
    by_depot = both["depot"]
    depots = {d.id: d for d in db.session.scalars(sa.select(Depot).where(Depot.id.in_(by_depot)))}
    depot_rows = sorted(((depots[i], r) for i, r in by_depot.items()),
                        key=lambda pair: (-pair[1].people_coverable, pair[0].code))
    units = [child for child in report.unit.children if child.is_active]
    below = readiness_many.load_many(db.session, units, on=report.on, basis=report.basis,
                                     season=report.season, hours=report.readiness.horizon_hours,
                                     stock=stock)
    return {"tiers_result": both["tier"], "depot_rows": depot_rows[:DEPOT_ROWS],
            "depot_count": len(depot_rows),
            "children": [(child, below[child.id]) for child in units]}


def _history(report: ReadinessReport) -> list[ReadinessSnapshot]:
    return list(db.session.scalars(
        sa.select(ReadinessSnapshot).where(ReadinessSnapshot.unit_id == report.unit.id)
        .order_by(ReadinessSnapshot.taken_on.desc()).limit(30)))[::-1]


@bp.get("/readiness")
@permission_required(Permission.VIEW)
def readiness_page():
    refresh_alerts()  # an overview: the badge should count current alerts
    values, errors = _args()
    unit = readiness_load.resolve_unit(db.session, current_actor(), values.get("unit"))
    # The subtree's balances are summed once for the page, its future dates and the units
    # below it (readiness_many), instead of once per figure.
    stock = readiness_many.subtree_stock(db.session, unit, values["basis"])
    report = _report(values, unit=unit, stock=stock)
    r = report.readiness
    futures = [(days, report.on + timedelta(days=days),
                _report(values, unit=unit, on=report.on + timedelta(days=days),
                        people=r.target_people, hours=r.horizon_hours,
                        season=report.season, stock=stock).readiness)
               for days in FUTURE_DAYS]
    below, owned = readiness_load.preposition(db.session, report.unit)
    return render_template(
        "readiness/page.html", report=report, r=r, values=values, errors=errors,
        futures=futures, preposition=(below / owned if owned else None), owned=owned,
        history=_history(report), **_drill_down(report, stock)), 422 if errors else 200


@bp.get("/readiness/purchase-plan")
@permission_required(Permission.VIEW)
def purchase_plan():
    values, errors = _args()
    unit = readiness_load.resolve_unit(db.session, current_actor(), values.get("unit"))
    stock = readiness_many.subtree_stock(db.session, unit, values["basis"])
    report = _report(values, unit=unit, stock=stock)
    days = FUTURE_DAYS[-1]
    args = exports.ExportArgs(today=report.on, unit=report.unit, locale=locale_code(), label=label)
    table = exports.purchase_plan_table(
        db.session, args, people=report.readiness.target_people,
        hours=report.readiness.horizon_hours, days=days, basis=report.basis, season=report.season,
        stock=stock)
    if request.args.get("format") == "xlsx" and not errors:
        name = f"purchase-plan-{report.unit.code}-{report.on.isoformat()}.xlsx"
        return Response(reports.xlsx_bytes(table), mimetype=reports.XLSX_MIMETYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return render_template("readiness/plan.html", report=report, table=table, values=values,
                           errors=errors, days=days), 422 if errors else 200
