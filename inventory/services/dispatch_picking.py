"""Picking by scan and shipping: the outbound half of a dispatch order.

A keeper scans the order label, then lot labels; each scan books through the usual booking
path (`services.bookings.book` hands commands with an `order_code` to `pick`). The movement
comes out of the order's reservation (`from_reserved`) and carries the order code.

Design of the shipment: a pick is an **issue** out of the supplying depot (the goods are on
the road, in no depot); the receipt books them **into** the receiving depot and a **loss**
for anything that did not arrive (see `services.dispatch_receipt`). A keeper may instead pick
with kind ``transfer`` straight into the order's destination depot; the receipt then only
books the loss. Either way every balance equals its ledger.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import (Balance, Depot, DispatchAllocation, DispatchOrder, Lot,
                              Movement, MovementKind, OrderStatus, User)
from inventory.services import access, movements, reservations
from inventory.services.access import Permission
from inventory.services.dispatch import RESERVING, lock, transition
from inventory.services.errors import (N_, DomainError, InsufficientStock, InvalidTransition,
                                       NotFound, field_error)
from inventory.services.movements import Actor


class PickRefused(DomainError):
    """A scan that does not fit the order: wrong item, wrong depot, or more than allocated."""

    status = 409
    slug = "pick-refused"
    title = N_("Not on this order")


def order_by_code(session: Session, code: str) -> DispatchOrder:
    order = session.scalar(sa.select(DispatchOrder).where(DispatchOrder.code == code))
    if order is None:
        raise NotFound(N_("Dispatch order %(code)s not found."), code=code)
    return order


def pick(session: Session, actor: Actor, depot: Depot, command: dict[str, Any],
         now: datetime) -> tuple[list[Movement], list[dict[str, Any]]]:
    """Book a scanned lot against the order: issue (or transfer to the destination depot)
    from the reservation. Another lot of an allocated item may replace the proposed one
    (its reservation moves, with a FEFO warning when the proposed lot expires earlier).
    Raises PickRefused, InsufficientStock, InvalidTransition."""
    kind = MovementKind(command["kind"])
    if kind not in (MovementKind.ISSUE, MovementKind.TRANSFER):
        raise field_error("order_code", N_("Only an issue or a transfer can fulfil a dispatch "
                                           "order."))
    order = order_by_code(session, command["order_code"])
    lock(session, order, RESERVING)
    if order.status is OrderStatus.APPROVED:
        transition(session, order, OrderStatus.PICKING, picking_started_at=now)
    lot = movements.get_lot(session, command["lot_code"])
    if lot is None:
        raise NotFound(N_("Lot %(code)s not found."), code=command["lot_code"])
    if command.get("item_code") and lot.item.code != command["item_code"]:
        raise field_error("item_code", N_("Lot %(lot)s belongs to another item."), lot=lot.lot_code)
    quantity = command["quantity"]
    here = [a for a in order.allocations if a.depot_id == depot.id and a.item_id == lot.item_id]
    if not here:
        raise PickRefused(N_("%(item)s is not to be picked at %(depot)s for order %(order)s."),
                          item=lot.item, depot=depot.code, order=order.code)
    left = sum(a.outstanding for a in here)
    if quantity > left:
        raise PickRefused(N_("Too many: only %(left)s of %(item)s are still to pick here for "
                             "order %(order)s."), left=left, item=lot.item, order=order.code)
    chunks, warnings = _chunks(session, order, depot, lot, here, quantity, now,
                               command.get("owner_code"))
    booked = [_book(session, actor, order, depot, chunk, take, kind, command, now, number)
              for number, (chunk, take) in enumerate(chunks, start=1)]
    return booked, warnings


def _chunks(session: Session, order: DispatchOrder, depot: Depot, lot: Lot,
            here: list[DispatchAllocation], quantity: int, now: datetime,
            owner_code: str | None) -> tuple[list[tuple[DispatchAllocation, int]], list[dict]]:
    """Which allocations of the scanned lot the quantity comes out of (moving reservations
    from other lots of the item when the keeper took another lot)."""
    chunks: list[tuple[DispatchAllocation, int]] = []
    remaining = quantity
    for a in here:
        if a.lot_id == lot.id and (owner_code is None or a.owner.code == owner_code):
            take = min(a.outstanding, remaining)
            if take:
                chunks.append((a, take))
                remaining -= take
    warnings: list[dict] = []
    others = sorted((a for a in here if a.lot_id != lot.id and a.outstanding),
                    key=lambda a: (a.lot.expiry_date is not None, a.lot.expiry_date),
                    reverse=True)
    for proposed in others:
        if remaining <= 0:
            break
        take = min(proposed.outstanding, remaining)
        replacement = _substitute(session, order, depot, lot, proposed, take, now)
        chunks.append((replacement, take))
        remaining -= take
        warning = _fefo_warning(lot, proposed.lot)
        if warning and warning not in warnings:
            warnings.append(warning)
    if remaining > 0:
        raise PickRefused(N_("Too many: only %(left)s of %(item)s are still to pick here for "
                             "order %(order)s."), left=quantity - remaining, item=lot.item,
                          order=order.code)
    return chunks, warnings


def _substitute(session: Session, order: DispatchOrder, depot: Depot, lot: Lot,
                proposed: DispatchAllocation, quantity: int, now: datetime) -> DispatchAllocation:
    """Move `quantity` of the reservation from the proposed lot to the scanned one (same
    owner: ownership and its approvals stay as they were)."""
    balance = session.scalar(sa.select(Balance).where(
        Balance.lot_id == lot.id, Balance.depot_id == depot.id,
        Balance.owner_id == proposed.owner_id))
    if balance is None:
        raise InsufficientStock(N_("Lot %(lot)s holds nothing of %(owner)s here; pick the "
                                   "proposed lot %(proposed)s."), lot=lot.lot_code,
                                owner=proposed.owner.name, proposed=proposed.lot.lot_code)
    reservations.release(session, lot_id=proposed.lot_id, depot_id=depot.id,
                         owner_id=proposed.owner_id, quantity=quantity, now=now)
    reservations.reserve(session, lot_id=lot.id, depot_id=depot.id, owner_id=proposed.owner_id,
                         quantity=quantity, now=now, lot_code=lot.lot_code, depot_code=depot.code)
    _shift(session, proposed.id, -quantity)
    target = next((a for a in order.allocations if (a.lot_id, a.depot_id, a.owner_id) == (
        lot.id, depot.id, proposed.owner_id)), None)
    if target is None:
        target = DispatchAllocation(
            item_id=lot.item_id, depot_id=depot.id, lot_id=lot.id,
            owner_id=proposed.owner_id, quantity=quantity, lot=lot, depot=depot,
            owner=proposed.owner, needs_owner_approval=proposed.needs_owner_approval,
            owner_approved_by_id=proposed.owner_approved_by_id,
            owner_approved_at=proposed.owner_approved_at)
        order.allocations.append(target)
        session.flush()
    else:
        _shift(session, target.id, quantity)
    session.refresh(proposed)
    session.refresh(target)
    return target


def _shift(session: Session, allocation_id: int, delta: int) -> None:
    """Change an allocation's quantity, never below what was picked from it."""
    result = session.execute(
        sa.update(DispatchAllocation)
        .where(DispatchAllocation.id == allocation_id,
               DispatchAllocation.quantity + delta >= DispatchAllocation.picked)
        .values(quantity=DispatchAllocation.quantity + delta)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise PickRefused(N_("The allocation changed meanwhile; scan again."))


def _fefo_warning(scanned: Lot, proposed: Lot) -> dict[str, Any] | None:
    if proposed.expiry_date is None or (scanned.expiry_date is not None
                                        and scanned.expiry_date <= proposed.expiry_date):
        return None
    return {"type": "fefo", "lot_code": proposed.lot_code, "expiry_date": proposed.expiry_date,
            "message": N_("Lot %(lot)s replaces the proposed lot %(proposed)s, which expires "
                          "earlier (%(date)s)."),
            "params": {"lot": scanned.lot_code, "proposed": proposed.lot_code,
                       "date": proposed.expiry_date.isoformat()}}


def _book(session: Session, actor: Actor, order: DispatchOrder, depot: Depot,
          chunk: DispatchAllocation, quantity: int, kind: MovementKind, command: dict[str, Any],
          now: datetime, number: int) -> Movement:
    transferred = quantity if kind is MovementKind.TRANSFER else 0
    result = session.execute(
        sa.update(DispatchAllocation)
        .where(DispatchAllocation.id == chunk.id,
               DispatchAllocation.picked + quantity <= DispatchAllocation.quantity)
        .values(picked=DispatchAllocation.picked + quantity,
                transferred=DispatchAllocation.transferred + transferred)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise PickRefused(N_("Too many: only %(left)s of %(item)s are still to pick here for "
                             "order %(order)s."), left=chunk.outstanding, item=chunk.lot.item,
                          order=order.code)
    session.refresh(chunk)
    actor = Actor(user=actor.user, request_id=actor.request_id, request_hash=actor.request_hash,
                  reason=actor.reason or order.code, order_code=order.code)
    suffix = "" if number == 1 else f"#{number}"
    if kind is MovementKind.TRANSFER:
        to_depot = _transfer_target(order, command)
        return movements.transfer(session, actor, lot=chunk.lot, depot=depot, owner=chunk.owner,
                                  to_depot=to_depot, to_owner=order.to_unit, quantity=quantity,
                                  now=now, from_reserved=True, suffix=suffix)
    return movements.issue(session, actor, lot=chunk.lot, depot=depot, owner=chunk.owner,
                           quantity=quantity, now=now, from_reserved=True, suffix=suffix,
                           allow_expired=command.get("confirm_expired", False))


def _transfer_target(order: DispatchOrder, command: dict[str, Any]) -> Depot:
    if order.to_depot is None:
        raise field_error("to_depot_code", N_("Order %(order)s has no destination depot; "
                                              "pick with kind issue."), order=order.code)
    if command.get("to_depot_code") not in (None, order.to_depot.code):
        raise field_error("to_depot_code", N_("Order %(order)s goes to %(depot)s."),
                          order=order.code, depot=order.to_depot.code)
    return order.to_depot


def reverse_pick(session: Session, actor: Actor, *, movement: Movement,
                 now: datetime) -> Movement:
    """Reverse a pick while the order is still being picked: the goods go back on the
    balance, the allocation counts them as not picked, and they are reserved for the order
    again, all in the caller's transaction. Once the order is dispatched its picks stand
    (a difference is recorded at receipt); receipt bookings are never reversed here.
    Raises InvalidTransition."""
    if movement.kind is MovementKind.REVERSAL:  # refused with the ledger's own reason
        return movements.reverse(session, actor, movement=movement, now=now, order_checked=True)
    order = order_by_code(session, movement.order_code)
    if movement.kind not in (MovementKind.ISSUE, MovementKind.TRANSFER):
        raise InvalidTransition(N_("Movement %(id)s books the receipt of order %(order)s and "
                                   "cannot be reversed; book a correction instead."),
                                id=movement.id, order=order.code)
    if order.status not in RESERVING:
        raise InvalidTransition(N_("Order %(order)s is %(status)s: its picks can no longer be "
                                   "reversed. Record any difference at receipt."),
                                order=order.code, status=order.status)
    lock(session, order, RESERVING)
    chosen = next((a for a in order.allocations if (a.lot_id, a.depot_id, a.owner_id) == (
        movement.lot_id, movement.from_depot_id, movement.from_owner_id)), None)
    actor = Actor(user=actor.user, request_id=actor.request_id, request_hash=actor.request_hash,
                  reason=actor.reason or order.code, order_code=order.code,
                  balances=actor.balances)
    reversal = movements.reverse(session, actor, movement=movement, now=now, order_checked=True)
    if chosen is None or not _unpick(session, chosen, movement):
        raise InvalidTransition(N_("The pick of movement %(id)s is no longer on order "
                                   "%(order)s."), id=movement.id, order=order.code)
    reservations.reserve(session, lot_id=chosen.lot_id, depot_id=chosen.depot_id,
                         owner_id=chosen.owner_id, quantity=movement.quantity, now=now,
                         lot_code=chosen.lot.lot_code, depot_code=chosen.depot.code)
    actor.balances.pop((chosen.lot_id, chosen.depot_id, chosen.owner_id), None)  # read it back
    session.refresh(chosen)
    return reversal


def _unpick(session: Session, chosen: DispatchAllocation, movement: Movement) -> bool:
    """Count a reversed pick as not picked (compare-and-set); False if it no longer can be."""
    transferred = movement.quantity if movement.kind is MovementKind.TRANSFER else 0
    result = session.execute(
        sa.update(DispatchAllocation)
        .where(DispatchAllocation.id == chosen.id, DispatchAllocation.picked >= movement.quantity,
               DispatchAllocation.transferred >= transferred)
        .values(picked=DispatchAllocation.picked - movement.quantity,
                transferred=DispatchAllocation.transferred - transferred)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


# --- shipping ---------------------------------------------------------------------------

def require_party(user: User, order: DispatchOrder) -> None:
    """The user must act for the destination or for one of the supplying depots."""
    if access.in_scope(user, order.to_unit) or any(
            access.in_scope(user, a.depot.unit) for a in order.allocations):
        return
    access.require_unit(user, order.to_unit)


def dispatch(session: Session, user: User, order: DispatchOrder, *, now: datetime,
             vehicle: str = "", driver: str = "", driver_phone: str = "",
             departed_at: datetime | None = None, eta: datetime | None = None) -> DispatchOrder:
    """Send what was picked (vehicle, driver, departure, ETA); what was not picked is
    released from its reservation and stays in the depot."""
    access.require(user, Permission.BOOK_STOCK)
    require_party(user, order)
    lock(session, order, (OrderStatus.PICKING,))
    if not any(a.picked for a in order.allocations):
        raise InvalidTransition(N_("Nothing has been picked for order %(code)s yet."),
                                code=order.code)
    departed = departed_at or now
    if eta is not None and eta < departed:
        raise field_error("eta", N_("The arrival cannot be before the departure."))
    transition(session, order, OrderStatus.DISPATCHED, departed_at=departed, eta=eta,
               vehicle=vehicle or "", driver=driver or "", driver_phone=driver_phone or "")
    for a in order.allocations:
        if a.outstanding:
            reservations.release(session, lot_id=a.lot_id, depot_id=a.depot_id,
                                 owner_id=a.owner_id, quantity=a.outstanding, now=now)
            a.quantity = a.picked
    session.flush()
    return order


def pick_list(order: DispatchOrder, depot: Depot) -> list[DispatchAllocation]:
    """What to take at `depot`: by item, then first-expiring lot."""
    rows = [a for a in order.allocations if a.depot_id == depot.id and a.quantity]
    return sorted(rows, key=lambda a: (a.item.code, a.lot.expiry_date is None,
                                       a.lot.expiry_date or datetime.max.date(), a.lot.lot_code))


def describe(session: Session, user: User, order: DispatchOrder,
             depot: Depot | None) -> dict[str, Any]:
    """What a scanned order label tells a keeper: the order and what to do next here."""
    here = None
    if depot is not None:
        here = [{"item_code": a.item.code, "lot_code": a.lot.lot_code, "quantity": a.quantity,
                 "picked": a.picked} for a in pick_list(order, depot)]
    if order.status in RESERVING and depot is not None and here:
        action = "pick"
    elif order.status is OrderStatus.DISPATCHED and order.received_at is None:
        action = "receive"
    else:
        action = "view"
    return {"kind": "order", "code": order.code,
            "name": f"{order.code} → {order.to_unit.name}", "owners": [], "warnings": [],
            "order": {"status": order.status.value, "to_unit_code": order.to_unit.code,
                      "to_depot_code": order.to_depot.code if order.to_depot else None,
                      "action": action, "depot_code": depot.code if depot else None,
                      "pick": here}}
