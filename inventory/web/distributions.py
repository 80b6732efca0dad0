"""Distribution to households (发放): the record form and the printable sign-off sheet."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import DisasterEvent, Distribution, utcnow
from inventory.schemas.common import form_data
from inventory.schemas.dispatch import DistributionArgs, DistributionIn
from inventory.services import catalog, distribution, events, stock, units
from inventory.services.access import Permission
from inventory.services.dispatch_reports import distribution_totals
from inventory.services.errors import N_, InsufficientStock, InvalidInput
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.dispatch import form_lines
from inventory.web.events import day_bounds
from inventory.web.forms import new_request_id, render_form, try_submit


def _distribute(event: DisasterEvent, form: dict) -> Distribution:
    data = DistributionIn().load({k: v for k, v in form.items() if v is not None}
                                 | {"lines": form_lines()})
    try:
        return distribution.distribute(
            db.session, current_actor(), event=event,
            depot=units.get_depot(db.session, data["depot_code"]),
            household_head=data["household_head"], id_number=data["id_number"],
            household_size=data["household_size"], request_id=data["request_id"], now=utcnow(),
            note=data["note"], lines=[(catalog.get_item(db.session, line["item_code"]),
                                       line["quantity"]) for line in data["lines"]])
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


@bp.get("/events/<code>/distributions")
@permission_required(Permission.VIEW)
def distribution_list(code: str):
    """The register and sign-off sheet (print it), with totals against the request."""
    user = current_actor()
    event = events.get_event(db.session, user, code)
    raw = {k: v for k, v in request.args.items() if v.strip()}
    values, errors = try_submit(lambda: DistributionArgs().load(raw))
    values = values or DistributionArgs().load({})
    stmt = distribution.visible_distributions(user, event)
    depot = units.get_depot(db.session, values["depot"]) if values.get("depot") else None
    if depot is not None:
        stmt = stmt.where(Distribution.depot_id == depot.id)
    if values.get("day"):
        start, end = day_bounds(values["day"])
        stmt = stmt.where(Distribution.distributed_at >= start, Distribution.distributed_at < end)
    page = paginate(db.session, stmt, page=values["page"], per_page=values["per_page"])
    totals = distribution_totals(db.session, event, depot.unit.path if depot else None)
    people = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(
        Distribution.household_size), 0)).where(Distribution.id.in_(
            stmt.with_only_columns(Distribution.id).order_by(None))))
    return render_template("distributions/list.html", event=event, page=page, args=raw,
                           depot=depot, totals=totals, people=people,
                           errors=errors,
                           depots=stock.visible_depots(db.session, user)), 422 if errors else 200
