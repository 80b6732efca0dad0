"""Distribution to households (发放): the record form and the printable sign-off sheet."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import Depot, DisasterEvent, Distribution, utcnow
from inventory.schemas.common import form_data
from inventory.schemas.dispatch import DistributionArgs, DistributionIn
from inventory.services import catalog, distribution, events, stock
from inventory.services.access import Permission
from inventory.services.dispatch_reports import distribution_totals
from inventory.services.errors import N_, InsufficientStock, InvalidInput
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.dispatch import form_lines
from inventory.api.dispatch import known_depot, known_items
from inventory.web.events import day_bounds
from inventory.web.forms import new_request_id, render_form, try_submit


def _distribute(event: DisasterEvent, form: dict) -> Distribution:
    data = DistributionIn().load({k: v for k, v in form.items() if v is not None}
                                 | {"lines": form_lines()})
    depot, lines = known_depot(data["depot_code"]), known_items(data["lines"])
    try:
        return distribution.distribute(
            db.session, current_actor(), event=event, depot=depot,
            household_head=data["household_head"], id_number=data["id_number"],
            household_size=data["household_size"], request_id=data["request_id"], now=utcnow(),
            note=data["note"], lines=lines)
    except InsufficientStock as error:  # shown beside the lines, like a field error
        raise InvalidInput({"lines": [translate(error.message, **error.params)]}) from error


@bp.route("/events/<code>/distribute", methods=["GET", "POST"])
@permission_required(Permission.BOOK_STOCK)
def distribution_new(code: str):
    user = current_actor()
    event = events.get_event(db.session, user, code)
    form, errors = {"depot_code": request.args.get("depot"), "household_size": 1}, {}
    if request.method == "POST":
        form = form_data(request.form, drop=("csrf_token", "item_code", "quantity"))
        record, errors = try_submit(lambda: _distribute(event, form))
        if record is not None:
            db.session.commit()
            flash(translate(N_("Distribution %(code)s to %(head)s recorded."), code=record.code,
                            head=record.household_head), "success")
            return redirect(url_for("web.distribution_new", code=code, depot=record.depot.code))
    return render_form("distributions/form.html", form, errors, event=event,
                       depots=stock.visible_depots(db.session, user),
                       items=catalog.active_items(db.session), rows=form_lines(),
                       request_id=new_request_id())


def _register(event: DisasterEvent) -> tuple[sa.Select, Depot | None, dict, dict, dict]:
    """The event's distributions the user may see, filtered by the query's depot and day:
    (statement, depot, raw arguments, parsed values, field errors)."""
    raw = {k: v for k, v in request.args.items() if v.strip()}
    values, errors = try_submit(lambda: _filters(raw))
    values = values or DistributionArgs().load({})
    stmt = distribution.visible_distributions(current_actor(), event)
    depot = values.get("depot")
    if depot is not None:
        stmt = stmt.where(Distribution.depot_id == depot.id)
    if values.get("day"):
        start, end = day_bounds(values["day"])
        stmt = stmt.where(Distribution.distributed_at >= start, Distribution.distributed_at < end)
    return stmt, depot, raw, values, errors


def _filters(raw: dict) -> dict:
    values = DistributionArgs().load(raw)
    if values.get("depot"):
        values["depot"] = known_depot(values["depot"], "depot")
    return values


@bp.get("/events/<code>/distributions/sheet")
@permission_required(Permission.VIEW)
def distribution_sheet(code: str):
    """The sign-off sheet to print: every household of the filter, on as many pages as
    it takes (the register on screen is paginated)."""
    event = events.get_event(db.session, current_actor(), code)
    stmt, depot, raw, _, errors = _register(event)
    rows = db.session.scalars(stmt.order_by(None).order_by(
        Distribution.distributed_at, Distribution.id)).all()
    return render_template("distributions/sheet.html", event=event, rows=rows, depot=depot,
                           args=raw, errors=errors), 422 if errors else 200


@bp.get("/events/<code>/distributions")
@permission_required(Permission.VIEW)
def distribution_list(code: str):
    """The register, with totals against the request; its sign-off sheet prints apart."""
    user = current_actor()
    event = events.get_event(db.session, user, code)
    stmt, depot, raw, values, errors = _register(event)
    page = paginate(db.session, stmt, page=values["page"], per_page=values["per_page"])
    totals = distribution_totals(db.session, event, depot.unit.path if depot else None)
    people = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(
        Distribution.household_size), 0)).where(Distribution.id.in_(
            stmt.with_only_columns(Distribution.id).order_by(None))))
    return render_template("distributions/list.html", event=event, page=page, args=raw,
                           depot=depot, totals=totals, people=people,
                           errors=errors,
                           depots=stock.visible_depots(db.session, user)), 422 if errors else 200
