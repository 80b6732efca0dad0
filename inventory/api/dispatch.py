"""Events and dispatch orders (contract.md "Events", "Dispatch"): same services as the pages."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import current_app, request
from sqlalchemy.orm import Session

from inventory.api import bp
from inventory.api.common import args, dump_page, json_body, paging
from inventory.api.spec import documented
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.models import Depot, DisasterEvent, DispatchOrder, Item, utcnow
from inventory.schemas.common import page_schema
from inventory.schemas.dispatch import (CallOffOut, CallOffReceiveIn, CancelIn, DispatchIn,
                                        EventArgs, EventIn, EventOut, OrderArgs, OrderIn,
                                        OrderOut, ReceiveIn)
from inventory.services import (catalog, dispatch, dispatch_picking, dispatch_receipt, events,
                                units)
from inventory.services.access import Permission
from inventory.services.dispatch_receipt import ReceivedLine
from inventory.services.movements import get_lot
from inventory.services.errors import N_, InvalidInput, NotFound
from inventory.services.pagination import paginate

T = TypeVar("T")


def to_utc(value: datetime | None) -> datetime | None:
    """A client's time as UTC; naive times are read in INVENTORY_TIMEZONE."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    return value.astimezone(timezone.utc)


def known(lookup: Callable[[Session, str], T], code: str, field: str) -> T:
    """The unit, depot or item whose code was given in `field`: an unknown code is a 422
    naming that field (it is bad input, not a missing page)."""
    try:
        return lookup(db.session, code)
    except NotFound as error:
        raise InvalidInput({field: [error.message]}, **error.params) from error


def known_depot(code: str | None, field: str = "depot_code") -> Depot | None:
    return known(units.get_depot, code, field) if code else None


def known_items(lines: list[dict]) -> list[tuple[Item, int]]:
    """(item, quantity) of validated lines; an unknown item code is named by its line."""
    result = []
    for number, line in enumerate(lines):
        try:
            result.append((catalog.get_item(db.session, line["item_code"]), line["quantity"]))
        except NotFound as error:
            raise InvalidInput({"lines": {number: {"item_code": [error.message]}}},
                               **error.params) from error
    return result


def optional_body() -> Any:
    """The JSON body, or {} when none was sent (approve and cancel need no fields)."""
    return json_body() if request.get_data() else {}


def create_event(data: dict[str, Any]) -> DisasterEvent:
    """Resolve codes and create the event (shared by the API and the page)."""
    session = db.session
    unit = known(units.get_unit, data.pop("unit_code"), "unit_code")
    areas = [known(units.get_unit, code, "area_codes") for code in data.pop("area_codes", [])]
    started = to_utc(data.pop("started_at", None)) or utcnow()
    return events.create_event(session, current_actor(), unit=unit, areas=areas,
                               started_at=started, now=utcnow(), **data)


def create_order(data: dict[str, Any]) -> DispatchOrder:
    """Resolve codes and create the request, the draft order and its proposal."""
    session, user = db.session, current_actor()
    event = events.get_event(session, user, data["event_code"])
    to_unit = known(units.get_unit, data["to_unit_code"], "to_unit_code")
    to_depot = known_depot(data.get("to_depot_code"), "to_depot_code")
    lines = known_items(data.get("lines") or [])
    return dispatch.create_order(
        session, user, event=event, to_unit=to_unit, to_depot=to_depot, lines=lines or None,
        people=data.get("people"), needed_by=to_utc(data.get("needed_by")),
        note=data.get("note") or "", now=utcnow(),
        target_hours=data.get("target_hours") or to_unit.horizon_hours,
        season=current_app.config["SEASON"])


def received_lines(lines: list[dict]) -> list[ReceivedLine]:
    result = []
    for number, ((item, quantity), line) in enumerate(zip(known_items(lines), lines)):
        lot = None
        if line.get("lot_code"):
            lot = get_lot(db.session, line["lot_code"])
            if lot is None:
                raise InvalidInput({"lines": {number: {"lot_code": [N_("Lot %(code)s not "
                                                                       "found.")]}}},
                                   code=line["lot_code"])
        result.append(ReceivedLine(item=item, quantity=quantity, lot=lot))
    return result


@bp.get("/events")
@documented("List disaster events in your area", "events", query=EventArgs,
            response=page_schema(EventOut))
@permission_required(Permission.VIEW)
def events_list():
    values = args(EventArgs())
    page_args = paging(values)
    stmt = events.find_events(current_actor(), status=values.get("status"), q=values.get("q"))
    return dump_page(paginate(db.session, stmt, **page_args), EventOut())


@bp.post("/events")
@documented("Record a disaster event", "events", body=EventIn, response=EventOut, status=201)
@permission_required(Permission.DISPATCH)
def events_create():
    event = create_event(EventIn().load(json_body()))
    db.session.commit()
    return EventOut().dump(event), 201


@bp.get("/events/<code>")
@documented("One disaster event", "events", response=EventOut)
@permission_required(Permission.VIEW)
def events_detail(code: str):
    return EventOut().dump(events.get_event(db.session, current_actor(), code))


@bp.get("/dispatch-orders")
@documented("List dispatch orders you may see", "dispatch", query=OrderArgs,
            response=page_schema(OrderOut))
@permission_required(Permission.VIEW)
def orders_list():
    values = args(OrderArgs())
    page_args = paging(values)
    stmt = dispatch.order_query(db.session, current_actor(), status=values.get("status"),
                                event_code=values.get("event"), search=values.get("q"))
    return dump_page(paginate(db.session, stmt, **page_args), OrderOut())


@bp.post("/dispatch-orders")
@documented("Request goods and get the proposed allocation (a draft order)", "dispatch",
            body=OrderIn, response=OrderOut, status=201)
@permission_required(Permission.DISPATCH)
def orders_create():
    order = create_order(OrderIn().load(json_body()))
    db.session.commit()
    return OrderOut().dump(order), 201


@bp.get("/dispatch-orders/<code>")
@documented("One dispatch order with its allocation and progress", "dispatch",
            response=OrderOut)
@permission_required(Permission.VIEW)
def orders_detail(code: str):
    return OrderOut().dump(dispatch.get_order(db.session, current_actor(), code))


@bp.post("/dispatch-orders/<code>/approve")
@documented("Approve: reserve the allocated stock (409 if no longer free)", "dispatch",
            response=OrderOut)
@permission_required(Permission.APPROVE_DISPATCH)
def orders_approve(code: str):
    optional_body()
    order = dispatch.approve(db.session, current_actor(),
                             dispatch.get_order(db.session, current_actor(), code), now=utcnow(),
                             approvers_required=int(current_app.config["DISPATCH_APPROVERS"]))
    db.session.commit()
    return OrderOut().dump(order)


@bp.post("/dispatch-orders/<code>/cancel")
@documented("Cancel and release the reservations", "dispatch", body=CancelIn,
            response=OrderOut)
@permission_required(Permission.DISPATCH)
def orders_cancel(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)  # scope before the body
    data = CancelIn().load(optional_body())
    order = dispatch.cancel(db.session, current_actor(), order, now=utcnow(),
                            reason=data["reason"])
    db.session.commit()
    return OrderOut().dump(order)


@bp.post("/dispatch-orders/<code>/dispatch")
@documented("Send what was picked (vehicle, driver, departure, ETA)", "dispatch",
            body=DispatchIn, response=OrderOut)
@permission_required(Permission.BOOK_STOCK)
def orders_dispatch(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)  # scope before the body
    data = DispatchIn().load(optional_body())
    order = dispatch_picking.dispatch(
        db.session, current_actor(), order, now=utcnow(), vehicle=data["vehicle"], driver=data["driver"],
        driver_phone=data["driver_phone"], departed_at=to_utc(data.get("departed_at")),
        eta=to_utc(data.get("eta")))
    db.session.commit()
    return OrderOut().dump(order)


@bp.post("/dispatch-orders/<code>/receive")
@documented("Confirm receipt; less than shipped is booked as a loss", "dispatch",
            body=ReceiveIn, response=OrderOut)
@permission_required(Permission.BOOK_STOCK)
def orders_receive(code: str):
    order = dispatch.get_order(db.session, current_actor(), code)  # scope before the body
    data = ReceiveIn().load(optional_body())
    depot = known_depot(data.get("depot_code"))
    dispatch_receipt.receive(db.session, current_actor(), order, now=utcnow(), depot=depot,
                             lines=received_lines(data["lines"]), note=data["note"])
    db.session.commit()
    return OrderOut().dump(order)


@bp.post("/call-offs/<code>/receive")
@documented("Book what a partner delivered under a call-off", "dispatch",
            body=CallOffReceiveIn, response=CallOffOut)
@permission_required(Permission.BOOK_STOCK)
def calloffs_receive(code: str):
    data = CallOffReceiveIn().load(json_body())
    calloff = dispatch_receipt.calloff_by_code(db.session, current_actor(), code)
    depot = known_depot(data.get("depot_code"))
    dispatch_receipt.receive_calloff(
        db.session, current_actor(), calloff, quantity=data["quantity"], now=utcnow(),
        depot=depot, batch_no=data["batch_no"], expiry_date=data.get("expiry_date"),
        accept_excess=data["accept_excess"])
    db.session.commit()
    return CallOffOut().dump(calloff)
