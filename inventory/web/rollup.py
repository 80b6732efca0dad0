"""The upward roll-up report: on screen, printable, and as xlsx in a fixed layout."""
from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.labels import label
from inventory.reports import Table
from inventory.schemas.common import query_args
from inventory.schemas.reports import ReportArgs
from inventory.services import access, rollup, stock, units
from inventory.services.access import Permission
from inventory.services.errors import N_
from inventory.web import bp
from inventory.web.transfer import download


@bp.get("/rollup")
@bp.get("/rollup.<fmt>")
@permission_required(Permission.VIEW)
def rollup_report(fmt: str | None = None):
    user, today = current_actor(), date.today()
    unit = _unit(user, query_args(request.args, ReportArgs()).get("unit"))
    rows = rollup.rollup(db.session, unit=unit, today=today,
                         season=current_app.config["SEASON"]) if unit else []
    if fmt in ("xlsx", "csv") and unit is not None:
        return download(_table(rows, unit, today), f"rollup-{unit.code}", fmt)
    return render_template("rollup.html", unit=unit, rows=rows, today=today,
                           categories=rollup.CATEGORIES, units=stock.unit_tree(db.session, user))


def _unit(user, code: str | None):
    if code:
        return access.require_unit(user, units.get_unit(db.session, code))
    if user.unit is not None:
        return user.unit
    return next(iter(stock.unit_tree(db.session, user)), None)


def _table(rows, unit, today: date) -> Table:
    columns = ([translate(N_("Unit code")), translate(N_("Unit")), translate(N_("Tier"))]
               + [label("category", c) for c in rollup.CATEGORIES]
               + [translate(N_("Total pieces")), translate(N_("Of which expired")),
                  translate(N_("Kinds of item")), translate(N_("Depots")),
                  translate(N_("Target people")), translate(N_("People coverable (physical)")),
                  translate(N_("People coverable with agreements"))])
    own = translate(N_("Own reserve"))
    body = [[r.unit.code, own if r.own else r.unit.name, label("tier", r.unit.tier)]
            + [r.by_category.get(c, 0) for c in rollup.CATEGORIES]
            + [r.total, r.expired, r.item_kinds, r.depots, r.target_people, r.people_coverable,
               r.people_with_agreements] for r in rows]
    return Table(title=translate(N_("Roll-up")), columns=columns, rows=body,
                 notes=[f"{unit.name} ({unit.code})", today.isoformat()])
