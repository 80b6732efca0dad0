"""Receipt at the destination, and agreement call-offs delivered against an order.

Receipt books the shipped goods **into** the receiving depot (owned from then on by the
destination unit) and a **loss** for whatever did not arrive, so a discrepancy is both on
the order (received / lost per allocation) and in the ledger's loss register.

An order is received once everything has arrived: its shipment (if it has one) and every
call-off. `received_at` is when the shipment arrived, or, for an order met only by
call-offs, when the last of them did; `dispatch_reports.completed_at` is the latest arrival
of all, the end of the request-to-receipt clock.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import (CallOff, CallOffStatus, Depot, DispatchAllocation, DispatchOrder,
                              Item, Lot, LotSource, MovementKind, OrderStatus, User)
from inventory.services import access, movements
from inventory.services.access import Permission
from inventory.services.dispatch import get_order, lock, transition
from inventory.services.errors import N_, InvalidTransition, NotFound, field_error
from inventory.services.movements import Actor


@dataclass(frozen=True)
class ReceivedLine:
    """What arrived of an item (optionally of one lot)."""

    item: Item
    quantity: int
    lot: Lot | None = None


def receiving_depot(order: DispatchOrder, depot: Depot | None) -> Depot:
    """The depot goods are received into: the one given, else the order's destination depot."""
    chosen = depot or order.to_depot
    if chosen is None:
        raise field_error("depot_code", N_("Choose the depot that receives the goods."))
    if not chosen.unit.path.startswith(order.to_unit.path):
        raise field_error("depot_code", N_("Depot %(depot)s is not in %(unit)s."),
                          depot=chosen.code, unit=order.to_unit.name)
    if order.to_depot is not None and chosen.id != order.to_depot_id and any(
            a.transferred for a in order.allocations):
        raise field_error("depot_code", N_("Goods were transferred to %(depot)s; receive them "
                                           "there."), depot=order.to_depot.code)
    return chosen


def receive(session: Session, user: User, order: DispatchOrder, *, now: datetime,
            lines: Sequence[ReceivedLine] | None = None, depot: Depot | None = None,
            by_allocation: dict[int, int] | None = None, note: str = "") -> DispatchOrder:
    """Confirm what arrived, per item (or lot) `lines` or per allocation id. Anything not
    listed is taken as arrived in full; less than shipped is booked as a loss at the
    receiving depot. Raises InvalidInput for more than shipped, InvalidTransition unless
    the order is dispatched."""
    access.require(user, Permission.BOOK_STOCK)
    require_receivable(order)
    target = access.require_depot(user, receiving_depot(order, depot))
    lock(session, order, (OrderStatus.DISPATCHED,))
    session.refresh(order, ["received_at"])
    require_receivable(order)  # as it is now, under the lock
    received = _split(order, lines or [])
    for allocation_id, quantity in (by_allocation or {}).items():
        shipped = next((a.picked for a in order.allocations if a.id == allocation_id), None)
        if shipped is None or not 0 <= quantity <= shipped:
            raise field_error(f"received-{allocation_id}", N_("Between 0 and %(shipped)s."),
                              shipped=shipped or 0)
        received[allocation_id] = quantity
    arrived = {"received_at": now, "received_by_id": user.id, "receiving_depot_id": target.id}
    if outstanding_calloffs(order):  # the order completes when the last call-off arrives
        for key, value in arrived.items():
            setattr(order, key, value)
    else:
        transition(session, order, OrderStatus.RECEIVED, **arrived)
    for a in order.allocations:
        if not a.picked:
            continue
        got = received.get(a.id, a.picked)
        _book_receipt(session, user, order, a, target, got, now, note)
        a.received, a.lost = got, a.picked - got
    session.flush()
    return order


def require_receivable(order: DispatchOrder) -> None:
    """Is there a shipment on the road to receive? Raises InvalidTransition saying why not."""
    if order.status is OrderStatus.DISPATCHED and order.received_at is not None:
        raise InvalidTransition(N_("The shipment of order %(code)s was received already; the "
                                   "order is complete when its call-offs are delivered."),
                                code=order.code)
    if order.status is OrderStatus.RECEIVED:
        raise InvalidTransition(N_("Order %(code)s has been received already."), code=order.code)
    if order.status is OrderStatus.CANCELLED:
        raise InvalidTransition(N_("Order %(code)s was cancelled; there is nothing to receive."),
                                code=order.code)
    if order.status is not OrderStatus.DISPATCHED:
        raise InvalidTransition(N_("Order %(code)s is %(status)s: nothing is on the way to "
                                   "receive yet."), code=order.code, status=order.status)


def outstanding_calloffs(order: DispatchOrder) -> list[CallOff]:
    """Call-offs still to be delivered."""
    return [c for c in order.calloffs if c.status is CallOffStatus.CALLED]


def has_shipment(order: DispatchOrder) -> bool:
    """Does anything of the order come from depots (to pick, ship and receive)?"""
    return any(a.quantity for a in order.allocations)


def _complete(session: Session, order: DispatchOrder, calloff: CallOff, user: User) -> None:
    """After a call-off delivery: the order is received once nothing is outstanding."""
    if outstanding_calloffs(order):
        return
    if not has_shipment(order) and order.status is OrderStatus.APPROVED:
        transition(session, order, OrderStatus.RECEIVED, completing=True,
                   received_at=calloff.received_at, received_by_id=user.id,
                   receiving_depot_id=calloff.depot_id)
    elif order.status is OrderStatus.DISPATCHED and order.received_at is not None:
        transition(session, order, OrderStatus.RECEIVED)


def _split(order: DispatchOrder, lines: Sequence[ReceivedLine]) -> dict[int, int]:
    """Received quantity per allocation id from per-item (or per-lot) lines."""
    result: dict[int, int] = {}
    shipped = [a for a in order.allocations if a.picked]
    for line in lines:
        if line.quantity < 0:
            raise field_error("lines", N_("Quantity cannot be negative."))
        mine = [a for a in shipped if a.item_id == line.item.id
                and (line.lot is None or a.lot_id == line.lot.id)]
        total = sum(a.picked for a in mine)
        if not mine:
            raise field_error("lines", N_("%(item)s was not shipped on this order."),
                              item=line.item.code)
        if line.quantity > total:
            raise field_error("lines", N_("%(quantity)s of %(item)s received, but only %(shipped)s "
                                          "were shipped."), quantity=line.quantity,
                              item=line.item.code, shipped=total)
        left = line.quantity
        for a in mine:  # fill the allocations in order; the shortfall lands on the last ones
            if a.id in result:
                raise field_error("lines", N_("Item %(item)s is listed twice."), item=line.item.code)
            result[a.id] = min(a.picked, left)
            left -= result[a.id]
    return result


def _book_receipt(session: Session, user: User, order: DispatchOrder, a: DispatchAllocation,
                  depot: Depot, got: int, now: datetime, note: str) -> None:
    actor = Actor(user=user, request_id=f"{order.code}:receipt:{a.id}",
                  reason=note or order.code, order_code=order.code)
    on_the_road = a.picked - a.transferred
    if on_the_road:
        movements.receive(session, actor, lot=a.lot, depot=depot, owner=order.to_unit,
                          quantity=on_the_road, now=now, source=LotSource.ALLOCATION)
    if a.picked > got:
        lost = Actor(user=user, request_id=f"{order.code}:loss:{a.id}", order_code=order.code,
                     reason=note or order.code)
        movements.issue(session, lost, lot=a.lot, depot=depot, owner=order.to_unit,
                        quantity=a.picked - got, now=now, kind=MovementKind.LOSS)


# --- agreement call-offs ----------------------------------------------------------------

def receive_calloff(session: Session, user: User, calloff: CallOff, *, quantity: int,
                    now: datetime, depot: Depot | None = None, batch_no: str = "",
                    expiry_date: date | None = None, accept_excess: bool = False) -> CallOff:
    """Book what the partner delivered under a call-off into the receiving depot (owned by
    the destination unit); the call-off records quantity and time against its lead time.
    Less than called off is kept as the call-off's shortfall; more is refused unless
    `accept_excess` says the receiver takes it."""
    access.require(user, Permission.BOOK_STOCK)
    order = calloff.order
    target = access.require_depot(user, receiving_depot(order, depot))
    if quantity <= 0:
        raise field_error("quantity", N_("Quantity must be a whole number above zero."))
    if quantity > calloff.quantity and not accept_excess:
        raise field_error("quantity", N_("Only %(called)s were called off; tick \"accept more "
                                         "than called off\" to book %(quantity)s."),
                          called=calloff.quantity, quantity=quantity)
    lock(session, order, (OrderStatus.APPROVED, OrderStatus.PICKING, OrderStatus.DISPATCHED))
    result = session.execute(
        sa.update(CallOff).where(CallOff.id == calloff.id, CallOff.status == CallOffStatus.CALLED)
        .values(status=CallOffStatus.RECEIVED, received_quantity=quantity, received_at=now,
                depot_id=target.id).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise InvalidTransition(N_("Call-off %(code)s is %(status)s; it cannot be received."),
                                code=calloff.code, status=calloff.status)
    session.refresh(calloff)
    lot = movements.find_or_create_lot(
        session, item=calloff.item, now=now, batch_no=batch_no or calloff.code,
        expiry_date=expiry_date, source=LotSource.PROCUREMENT,
        supplier=calloff.agreement.partner.name)
    actor = Actor(user=user, request_id=f"{calloff.code}:receipt", order_code=order.code,
                  reason=calloff.agreement.code)
    movements.receive(session, actor, lot=lot, depot=target, owner=order.to_unit,
                      quantity=quantity, now=now, source=LotSource.PROCUREMENT)
    session.refresh(order, ["calloffs"])
    _complete(session, order, calloff, user)
    session.flush()
    return calloff


def calloff_by_code(session: Session, user: User, code: str) -> CallOff:
    """The call-off with this code, if the user may see its order; raises NotFound."""
    calloff = session.scalar(sa.select(CallOff).where(CallOff.code == code))
    if calloff is None:
        raise NotFound(N_("Call-off %(code)s not found."), code=code)
    get_order(session, user, calloff.order.code)  # visibility
    return calloff
