"""Dispatch orders: the list, a request for an event, the order page, adjusting the
proposal, approval and cancellation."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for

from inventory.api.dispatch import create_order
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import Balance, Depot, Lot, OrderStatus, Unit, utcnow
from inventory.schemas.common import form_data
from inventory.schemas.dispatch import OrderArgs, OrderIn
from inventory.services import access, catalog, dispatch, events, stock
from inventory.services.access import Permission
from inventory.services.errors import N_, field_error
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.dispatch_views import after_action, form_int, order_context
from inventory.web.forms import render_form, try_submit


@bp.get("/dispatch/orders")
@permission_required(Permission.VIEW)
def order_list():
    raw = {k: v for k, v in request.args.items() if v.strip()}
    values, errors = try_submit(lambda: OrderArgs().load(raw))
    values = values or OrderArgs().load({})
    stmt = dispatch.order_query(db.session, current_actor(), status=values.get("status"),
                                event_code=values.get("event"), search=values.get("q"))
    page = paginate(db.session, stmt, page=values["page"], per_page=values["per_page"])
    return render_template("dispatch/list.html", page=page, args=raw, errors=errors,
                           statuses=list(OrderStatus)), 422 if errors else 200


def form_lines(prefix: str = "") -> list[dict]:
    """Item rows of a form (item_code[], quantity[]); blank rows skipped."""
    codes, quantities = request.form.getlist(f"{prefix}item_code"), request.form.getlist(
        f"{prefix}quantity")
    return [{"item_code": code.strip(), "quantity": (quantities[i] if i < len(quantities)
                                                     else "").strip() or None}
            for i, code in enumerate(codes) if code.strip()]


@bp.route("/events/<code>/requests/new", methods=["GET", "POST"])
@permission_required(Permission.DISPATCH)
def request_new(code: str):
    user = current_actor()
    event = events.get_event(db.session, user, code)
    form, errors = {"to_unit_code": request.args.get("unit")}, {}
    if request.method == "POST":
        form = form_data(request.form, drop=("csrf_token", "item_code", "quantity"))
        data = {k: v for k, v in form.items() if v is not None} | {"event_code": event.code}
        if form_lines():
            data["lines"] = form_lines()
        order, errors = try_submit(lambda: create_order(OrderIn().load(data)))
        if order is not None:
            db.session.commit()
            flash(translate(N_("Order %(code)s proposed."), code=order.code), "success")
            return redirect(url_for("web.order_detail", code=order.code))
    return render_form("dispatch/request_form.html", form, errors, event=event,
                       units=stock.unit_tree(db.session, user),
                       depots=stock.visible_depots(db.session, user),
                       items=catalog.active_items(db.session), rows=form_lines())


@bp.get("/dispatch/orders/<code>")
@permission_required(Permission.VIEW)
def order_detail(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)
    return render_template("dispatch/order.html", **order_context(order))


@bp.post("/dispatch/orders/<code>/lines")
@permission_required(Permission.DISPATCH)
def order_lines(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)

    def action():
        lines = [(line.item, form_int(request.form.get(f"line-{line.id}"), f"line-{line.id}"))
                 for line in order.lines]
        return dispatch.set_lines(db.session, current_actor(), order,
                                  [(item, q) for item, q in lines if q], now=utcnow())
    _, errors = try_submit(action)
    return after_action(order, errors, N_("Lines saved and allocation proposed again."))


@bp.post("/dispatch/orders/<code>/adjust")
@permission_required(Permission.DISPATCH)
def order_adjust(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)

    def action():
        quantities = {a.id: form_int(request.form.get(f"quantity-{a.id}"), f"quantity-{a.id}")
                      for a in order.allocations if f"quantity-{a.id}" in request.form}
        additions = []
        if request.form.get("add_balance"):
            additions = [(_balance(request.form["add_balance"]),
                          form_int(request.form.get("add_quantity"), "add_quantity"))]
        return dispatch.adjust(db.session, current_actor(), order, now=utcnow(),
                               quantities=quantities, additions=additions)
    _, errors = try_submit(action)
    return after_action(order, errors, N_("Allocation changed."))


@bp.post("/dispatch/orders/<code>/propose")
@permission_required(Permission.DISPATCH)
def order_propose(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)
    access.require_unit(current_actor(), order.to_unit)
    dispatch.lock(db.session, order, (OrderStatus.DRAFT,))
    dispatch.propose(db.session, current_actor(), order, now=utcnow())
    return after_action(order, {}, N_("Allocation proposed again from current stock."))


@bp.post("/dispatch/orders/<code>/approve")
@permission_required(Permission.APPROVE_DISPATCH)
def order_approve(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)
    dispatch.approve(db.session, current_actor(), order, now=utcnow(),
                     approvers_required=int(current_app.config["DISPATCH_APPROVERS"]))
    message = (N_("Approved: the stock is reserved.") if order.status is OrderStatus.APPROVED
               else N_("Your approval is recorded; a second approver is needed."))
    return after_action(order, {}, message)


@bp.post("/dispatch/orders/<code>/owner-approve/<int:allocation_id>")
@permission_required(Permission.APPROVE_DISPATCH)
def order_owner_approve(code: str, allocation_id: int):
    order = dispatch.get_order(db.session, current_actor(), code)
    dispatch.approve_as_owner(db.session, current_actor(), order, allocation_id, now=utcnow())
    return after_action(order, {}, N_("Owner's approval recorded."))


@bp.post("/dispatch/orders/<code>/cancel")
@permission_required(Permission.DISPATCH)
def order_cancel(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)
    dispatch.cancel(db.session, current_actor(), order, now=utcnow(),
                    reason=request.form.get("reason", "")[:500])
    return after_action(order, {}, N_("Order cancelled; reservations released."))


def _balance(key: str) -> Balance:
    """A balance chosen in the form as "lot|depot|owner" codes."""
    lot_code, _, rest = key.partition("|")
    depot_code, _, owner_code = rest.partition("|")
    balance = db.session.scalar(
        sa.select(Balance).join(Lot, Balance.lot_id == Lot.id)
        .join(Depot, Balance.depot_id == Depot.id).join(Unit, Balance.owner_id == Unit.id)
        .where(Lot.lot_code == lot_code, Depot.code == depot_code, Unit.code == owner_code))
    if balance is None:
        raise field_error("add_balance", N_("Lot %(code)s not found."), code=lot_code)
    return balance
