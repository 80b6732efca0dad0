"""The order's way out and in: pick lists with scanning, shipping, receipt, call-off
receipt, and the order's QR label."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from inventory import qr
from inventory.api.dispatch import known_depot, to_utc
from inventory.api.movements import commit_booking, request_hash
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate, translate_tree
from inventory.label_images import Label, label_svg
from inventory.models import Depot, DispatchOrder, Lot, OrderStatus, utcnow
from inventory.schemas.common import form_data
from inventory.schemas.dispatch import MAX_QUANTITY, CallOffReceiveIn, DispatchIn
from inventory.schemas.movements import MovementIn
from inventory.services import (access, bookings, dispatch, dispatch_picking, dispatch_receipt,
                                dispatch_sources,
                                scans, stock)
from inventory.services.access import Permission
from inventory.services.dispatch_reports import elapsed_hours, on_time
from inventory.services.errors import N_, DomainError, InvalidInput, NotFound, field_error
from inventory.services.movements import get_lot
from inventory.web import bp
from inventory.web.bookings import flash_booking
from inventory.web.forms import new_request_id, render_form, try_submit
from inventory.web.labels import public_url


def receiving_depots(order: DispatchOrder) -> list[Depot]:
    return [d for d in stock.all_depots(db.session) if d.unit.path.startswith(order.to_unit.path)]


def order_context(order: DispatchOrder, errors: dict | None = None) -> dict[str, Any]:
    """Everything the order page shows."""
    covered: dict[int, dict[str, int]] = {}
    for a in order.allocations:
        covered.setdefault(a.item_id, {"allocated": 0, "called": 0})["allocated"] += a.quantity
    for c in order.calloffs:
        covered.setdefault(c.item_id, {"allocated": 0, "called": 0})["called"] += c.quantity
    candidates = []
    if order.status is OrderStatus.DRAFT:
        candidates = dispatch_sources.candidates(db.session, [line.item_id for line in order.lines],
                                         on=date.today(), exclude_depot_id=order.to_depot_id)
    return {"order": order, "unmet": dispatch.unmet(order), "covered": covered,
            "depots": dispatch.supplying_depots(order), "candidates": candidates,
            "receiving_depots": receiving_depots(order), "errors": errors or {},
            "elapsed": elapsed_hours(order, utcnow()), "on_time": on_time(order),
            "approvers_required": int(current_app.config["DISPATCH_APPROVERS"]),
            "items": {line.item_id: line.item for line in order.lines}}


def after_action(order: DispatchOrder, errors: dict, message: str):
    """Commit and go back to the order page, or show it again with the errors (422)."""
    if errors:
        return render_template("dispatch/order.html", **order_context(order, errors)), 422
    db.session.commit()
    flash(translate(message), "success")
    return redirect(url_for("web.order_detail", code=order.code))


def form_int(value: str | None, name: str, maximum: int = MAX_QUANTITY) -> int:
    """A whole number 0..maximum typed into field `name` (blank: 0); else InvalidInput."""
    try:
        number = int((value or "0").strip() or 0)
    except ValueError:
        raise field_error(name, N_("Not a valid whole number.")) from None
    if not 0 <= number <= maximum:
        raise field_error(name, N_("Enter a whole number from 0 to %(maximum)s."),
                          maximum=f"{maximum:,}")
    return number


def _filled(form) -> dict:
    """The form's non-blank fields (blank optional fields take their defaults)."""
    return {key: value for key, value in form_data(form).items() if value is not None}


def _supplying(order: DispatchOrder, depot_code: str) -> Depot:
    depot = next((d for d in dispatch.supplying_depots(order) if d.code == depot_code), None)
    if depot is None:
        raise NotFound(N_("Depot %(code)s not found."), code=depot_code)
    return depot


@bp.route("/dispatch/orders/<code>/pick/<depot_code>", methods=["GET", "POST"])
@permission_required(Permission.VIEW)
def order_pick(code: str, depot_code: str):
    """The pick list (printable, with the order's label) and the scan box for keepers."""
    order = dispatch.get_order(db.session, current_actor(), code)
    depot = _supplying(order, depot_code)
    error, status = None, 200
    if request.method == "POST":
        access.require(current_actor(), Permission.BOOK_STOCK)
        try:
            _scan(order, depot)
            return redirect(url_for("web.order_pick", code=code, depot_code=depot_code), 303)
        except (ValidationError, DomainError) as refused:
            db.session.rollback()
            error, status = _message(refused), getattr(refused, "status", 422)
            order = dispatch.get_order(db.session, current_actor(), code)
            depot = _supplying(order, depot_code)
    return render_template("dispatch/pick.html", order=order, depot=depot, error=error,
                           rows=dispatch_picking.pick_list(order, depot),
                           quantity=request.form.get("quantity", "") if error else "",
                           request_id=new_request_id()), status


# What the keeper calls the fields a scan can get wrong (other fields: the message alone).
SCAN_FIELDS = {"quantity": N_("Quantity"), "lot_code": N_("Lot"), "payload": N_("Label"),
               "order_code": N_("Order"), "to_depot_code": N_("Destination depot")}


def _message(error: Exception) -> str:
    """A refusal as one sentence in the user's language, fields by their names."""
    if isinstance(error, ValidationError):
        tree = translate_tree(error.messages)
    elif isinstance(error, InvalidInput):
        tree = translate_tree(error.errors, error.params)
    else:
        return translate(error.message, **error.params)
    if not isinstance(tree, dict):
        tree = {"_schema": tree}
    return " ".join(_named(field, messages) for field, messages in tree.items())


def _named(field: str, messages: Any) -> str:
    if isinstance(messages, dict):
        text = " ".join(_named(key, value) for key, value in messages.items())
    else:
        text = " ".join(map(str, messages if isinstance(messages, list) else [messages]))
    name = SCAN_FIELDS.get(field)
    return translate(N_("%(field)s: %(text)s"), field=translate(name), text=text) \
        if name else text


def _scan(order: DispatchOrder, depot: Depot) -> None:
    """Book one scanned lot label against the order (the keyboard-wedge path)."""
    scanned = scans.read(db.session, request.form.get("payload", ""))
    if scanned.kind == "order":
        if scanned.code != order.code:
            raise field_error("payload", N_("This label belongs to order %(code)s."),
                              code=scanned.code)
        flash(translate(N_("Order %(code)s: now scan the lot labels."), code=order.code), "info")
        return
    if scanned.kind != "lot":
        raise field_error("payload", N_("Scan a lot label."))
    lot = get_lot(db.session, scanned.code)
    if lot is None:
        raise NotFound(N_("Lot %(code)s not found."), code=scanned.code)
    form = {"request_id": request.form.get("request_id") or new_request_id(), "kind": "issue",
            "depot_code": depot.code, "lot_code": lot.lot_code, "order_code": order.code,
            "quantity": (request.form.get("quantity") or "").strip()
            or _still_to_pick(order, depot, lot),
            "confirm_expired": bool(request.form.get("confirm_expired"))}
    command = MovementIn().load(form)
    booking = commit_booking(lambda: bookings.book(
        db.session, current_actor(), command, now=utcnow(), request_hash=request_hash(form)),
        command["request_id"], request_hash(form))
    flash_booking(booking)


def _still_to_pick(order: DispatchOrder, depot: Depot, lot: Lot) -> int:
    """Default quantity of a scan: what is left of this lot here, else of its item."""
    here = [a for a in order.allocations if a.depot_id == depot.id and a.item_id == lot.item_id]
    same_lot = sum(a.outstanding for a in here if a.lot_id == lot.id)
    return same_lot or sum(a.outstanding for a in here) or 1  # 1: let the pick say why not


@bp.post("/dispatch/orders/<code>/dispatch")
@permission_required(Permission.BOOK_STOCK)
def order_dispatch(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)

    def action():
        data = DispatchIn().load(_filled(request.form))
        return dispatch_picking.dispatch(
            db.session, current_actor(), order, now=utcnow(), vehicle=data["vehicle"],
            driver=data["driver"], driver_phone=data["driver_phone"],
            departed_at=to_utc(data.get("departed_at")), eta=to_utc(data.get("eta")))
    _, errors = try_submit(action)
    return after_action(order, errors, N_("Dispatched."))


@bp.route("/dispatch/orders/<code>/receive", methods=["GET", "POST"])
@permission_required(Permission.BOOK_STOCK)
def order_receive(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)
    try:
        dispatch_receipt.require_receivable(order)
    except DomainError as refused:  # a clear word instead of a form that cannot be sent
        return render_template("dispatch/receive.html", order=order, form={}, errors={},
                               depots=[], refused=_message(refused)), refused.status
    form = {"depot_code": order.to_depot.code if order.to_depot else None}
    errors: dict = {}
    if request.method == "POST":
        form = form_data(request.form)
        result, errors = try_submit(lambda: _receive(order, form))
        if result is not None:
            db.session.commit()
            flash(translate(N_("Receipt of %(code)s recorded."), code=code), "success")
            return redirect(url_for("web.order_detail", code=code))
    return render_form("dispatch/receive.html", form, errors, order=order,
                       depots=receiving_depots(order))


def _receive(order: DispatchOrder, form: dict) -> DispatchOrder:
    quantities = {}
    for a in order.allocations:
        value = form.get(f"received-{a.id}")
        if a.picked and value is not None:
            quantities[a.id] = form_int(value, f"received-{a.id}")
    depot = known_depot(form.get("depot_code"))
    return dispatch_receipt.receive(db.session, current_actor(), order, now=utcnow(),
                                    depot=depot, by_allocation=quantities,
                                    note=(form.get("note") or "")[:500])


@bp.post("/dispatch/call-offs/<code>/receive")
@permission_required(Permission.BOOK_STOCK)
def calloff_receive(code: str):
    calloff = dispatch_receipt.calloff_by_code(db.session, current_actor(), code)
    order = calloff.order

    def action():
        data = CallOffReceiveIn().load(
            {key: value for key, value in form_data(
                request.form, checkboxes=("accept_excess",)).items() if value is not None})
        depot = known_depot(data.get("depot_code"))
        return dispatch_receipt.receive_calloff(
            db.session, current_actor(), calloff, quantity=data["quantity"], now=utcnow(),
            depot=depot, batch_no=data["batch_no"], expiry_date=data.get("expiry_date"),
            accept_excess=data["accept_excess"])
    _, errors = try_submit(action)
    return after_action(order, errors, N_("Delivery under the call-off booked."))


@bp.get("/labels/order/<code>.svg")
@permission_required(Permission.VIEW)
def order_label_image(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)
    label = Label(payload=qr.payload("order", order.code, public_url()),
                  title=order.to_unit.name, lines=(order.code, order.event.name))
    return Response(label_svg(label), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=300"})
