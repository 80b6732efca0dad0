"""Dispatch orders: request → proposal → adjustment → approval (reserving) → … → cancel.

Status: draft → approved → picking → dispatched → received, or cancelled (from draft,
approved, or picking before anything was picked). Every transition is a compare-and-set
on the status column, so two requests acting on one order cannot both pass; anything
else is an InvalidTransition (409). Picking, dispatch and receipt live in
`services.dispatch_picking`.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from inventory.models import (Balance, CallOff, CallOffStatus, Depot, DisasterEvent,
                              DispatchAllocation, DispatchApproval, DispatchLine, DispatchOrder,
                              DispatchRequest, DispatchRequestLine, Item, OrderStatus, Unit, User)
from inventory.services import access, allocation, catalog, readiness, readiness_load, reservations
from inventory.services import dispatch_sources as sources
from inventory.services.access import Permission
from inventory.services.errors import (N_, Forbidden, InvalidTransition, NotFound, field_error)
from inventory.services.events import get_event, next_code, require_active
from inventory.services.queries import text_search

TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.APPROVED, OrderStatus.CANCELLED}),
    OrderStatus.APPROVED: frozenset({OrderStatus.PICKING, OrderStatus.CANCELLED}),
    OrderStatus.PICKING: frozenset({OrderStatus.DISPATCHED, OrderStatus.CANCELLED}),
    OrderStatus.DISPATCHED: frozenset({OrderStatus.RECEIVED}),
    OrderStatus.RECEIVED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}
# Statuses in which allocations hold reservations (quantity − picked) on their balances.
RESERVING = (OrderStatus.APPROVED, OrderStatus.PICKING)
# Once everything has arrived an order is received: one met only by call-offs straight from
# approved (nothing to pick or ship), one with a shipment once that shipment is in.
COMPLETING = frozenset({OrderStatus.APPROVED, OrderStatus.DISPATCHED})


def transition(session: Session, order: DispatchOrder, target: OrderStatus, *,
               completing: bool = False, **values) -> None:
    """Move `order` to `target` if allowed, atomically (compare-and-set on the status).
    `completing` also allows approved → received (everything delivered by call-offs)."""
    current = order.status
    allowed = TRANSITIONS[current] | (
        {OrderStatus.RECEIVED} if completing and current in COMPLETING else set())
    if target not in allowed:
        raise InvalidTransition(N_("Order %(code)s is %(status)s; it cannot become %(target)s."),
                                code=order.code, status=current, target=target)
    result = session.execute(
        sa.update(DispatchOrder).where(DispatchOrder.id == order.id,
                                       DispatchOrder.status == current)
        .values(status=target, **values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise InvalidTransition(N_("Order %(code)s was changed by someone else; reload it."),
                                code=order.code)
    # The row is already updated: tell the ORM without a second UPDATE.
    for key, value in {"status": target, **values}.items():
        set_committed_value(order, key, value)
    refresh_allocations(session, order)


def lock(session: Session, order: DispatchOrder, statuses: Sequence[OrderStatus]) -> None:
    """Take the order's row (a no-op update) while it is in one of `statuses`, then re-read
    its allocations: changes to one order are serialised, whatever the database."""
    result = session.execute(
        sa.update(DispatchOrder).where(DispatchOrder.id == order.id,
                                       DispatchOrder.status.in_(statuses))
        .values(status=DispatchOrder.status).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        session.refresh(order, ["status"])
        raise InvalidTransition(N_("Order %(code)s is %(status)s; that is not possible now."),
                                code=order.code, status=order.status)
    refresh_allocations(session, order)


def refresh_allocations(session: Session, order: DispatchOrder) -> None:
    """Re-read the order's allocations (another request may have changed them)."""
    session.expire(order, ["allocations"])
    session.execute(sa.select(DispatchAllocation).where(DispatchAllocation.order_id == order.id)
                    .execution_options(populate_existing=True)).all()


# --- creating ---------------------------------------------------------------------------

def norm_lines(session: Session, people: int,
               season: str = readiness.WARM) -> list[tuple[Item, int]]:
    """Item quantities for `people` from the season's norms (the readiness figures: the
    cold-season norm where one is set), rounded up."""
    return [(item, allocation.norm_quantity(people, norm))
            for item, norm in readiness_load.norm_items(session, season)]


def _check_lines(lines: Sequence[tuple[Item, int]]) -> None:
    catalog.check_item_lines(lines, empty=N_("Give the number of people or at least one item line."))


def create_order(session: Session, user: User, *, event: DisasterEvent, to_unit: Unit,
                 now: datetime, to_depot: Depot | None = None,
                 lines: Sequence[tuple[Item, int]] | None = None, people: int | None = None,
                 needed_by: datetime | None = None, note: str = "",
                 target_hours: int = allocation.DEFAULT_TARGET_HOURS,
                 season: str = readiness.AUTO) -> DispatchOrder:
    """Record a request (people → the season's norms, or explicit lines) and its draft order
    with the proposed allocation. Raises Forbidden, InvalidInput, InvalidTransition (closed
    event)."""
    access.require(user, Permission.DISPATCH)
    access.require_unit(user, to_unit)
    require_active(event)
    if to_depot is not None and not to_depot.unit.path.startswith(to_unit.path):
        raise field_error("to_depot_code", N_("Depot %(depot)s is not in %(unit)s."),
                          depot=to_depot.code, unit=to_unit.name)
    if lines and people:
        raise field_error("people", N_("Give either the number of people or item lines."))
    wanted = list(lines) if lines else (norm_lines(
        session, people, readiness.season_on(now.date(), season)) if people else [])
    _check_lines(wanted)
    request = DispatchRequest(code=next_code(session, "RQ", now), event=event,
                              unit=to_unit, depot=to_depot, people=people, requested_at=now,
                              needed_by=needed_by, note=note or "", created_by_id=user.id)
    request.lines = [DispatchRequestLine(item=item, quantity=q) for item, q in wanted]
    session.add(request)
    order = DispatchOrder(code=next_code(session, "DO", now), event=event,
                          request=request, to_unit=to_unit, to_depot=to_depot, people=people,
                          requested_at=now, needed_by=needed_by, target_hours=target_hours,
                          note=note or "", created_by_id=user.id, created_at=now)
    order.lines = [DispatchLine(item=item, quantity=q) for item, q in wanted]
    session.add(order)
    session.flush()
    propose(session, user, order, now=now)
    return order


# --- proposing --------------------------------------------------------------------------

def horizon_hours(order: DispatchOrder, now: datetime) -> float:
    """Hours until the order is needed (its needed-by time, else the target)."""
    if order.needed_by is None:
        return float(order.target_hours)
    needed_by = order.needed_by if order.needed_by.tzinfo else order.needed_by.replace(
        tzinfo=now.tzinfo)
    return max((needed_by - now).total_seconds() / 3600, 0.0)


def propose(session: Session, user: User, order: DispatchOrder, *,
            now: datetime) -> allocation.Proposal:
    """(Re)compute the draft's allocation and call-offs from current stock and agreements."""
    _require_draft(order)
    order.allocations.clear()
    order.calloffs.clear()
    session.flush()
    item_ids = [line.item_id for line in order.lines]
    proposal = allocation.propose(
        [allocation.Need(line.item_id, line.quantity) for line in order.lines],
        sources.candidates(session, item_ids, on=now.date(), exclude_depot_id=order.to_depot_id),
        sources.offers(session, item_ids, on=now.date()), destination_path=order.to_unit.path,
        on=now.date(), horizon_hours=horizon_hours(order, now), target_hours=order.target_hours,
        authority_path=access.scope_path(user))
    for a in proposal.allocations:
        order.allocations.append(DispatchAllocation(
            item_id=a.item_id, depot_id=a.depot_id, lot_id=a.lot_id, owner_id=a.owner_id,
            quantity=a.quantity, needs_owner_approval=a.needs_owner_approval))
    for number, c in enumerate(proposal.calloffs, start=1):
        order.calloffs.append(CallOff(
            code=f"{order.code}-C{number}", agreement_id=c.agreement_id, item_id=c.item_id,
            quantity=c.quantity, lead_time_hours=c.lead_time_hours,
            needs_owner_approval=c.needs_owner_approval))
    order.estimated_hours = proposal.estimated_hours
    order.approvals.clear()
    session.flush()
    return proposal


def unmet(order: DispatchOrder) -> dict[Item, int]:
    """Per item: what neither depots nor call-offs cover."""
    covered: dict[int, int] = {}
    for a in order.allocations:
        covered[a.item_id] = covered.get(a.item_id, 0) + a.quantity
    for c in order.calloffs:
        if c.status is not CallOffStatus.CANCELLED:
            covered[c.item_id] = covered.get(c.item_id, 0) + c.quantity
    return {line.item: line.quantity - covered.get(line.item_id, 0) for line in order.lines
            if line.quantity > covered.get(line.item_id, 0)}


def estimate(order: DispatchOrder) -> float | None:
    """Hours to deliver as allocated: the slowest depot or call-off."""
    hours = [allocation.travel_hours(allocation.tree_distance(order.to_unit.path,
                                                              a.depot.unit.path))
             for a in order.allocations if a.quantity]
    hours += [float(c.lead_time_hours) for c in order.calloffs
              if c.status is not CallOffStatus.CANCELLED]
    return max(hours) if hours else None


# --- adjusting --------------------------------------------------------------------------

def _require_draft(order: DispatchOrder) -> None:
    if order.status is not OrderStatus.DRAFT:
        raise InvalidTransition(N_("Order %(code)s is %(status)s; only a draft can be changed."),
                                code=order.code, status=order.status)


def set_lines(session: Session, user: User, order: DispatchOrder,
              lines: Sequence[tuple[Item, int]], *, now: datetime) -> DispatchOrder:
    """Replace the draft's lines (edited norm quantities) and propose again."""
    access.require(user, Permission.DISPATCH)
    access.require_unit(user, order.to_unit)
    _require_draft(order)
    _check_lines(lines)
    lock(session, order, (OrderStatus.DRAFT,))
    order.lines.clear()
    session.flush()
    order.lines.extend(DispatchLine(item=item, quantity=q) for item, q in lines)
    session.flush()
    propose(session, user, order, now=now)
    return order


def adjust(session: Session, user: User, order: DispatchOrder, *, now: datetime,
           quantities: dict[int, int] | None = None,
           additions: Sequence[tuple[Balance, int]] = ()) -> DispatchOrder:
    """The dispatcher's changes to a draft: new quantities per allocation id (0 drops it)
    and extra balances to draw from. Raises InvalidInput naming the allocation."""
    access.require(user, Permission.DISPATCH)
    access.require_unit(user, order.to_unit)
    _require_draft(order)
    lock(session, order, (OrderStatus.DRAFT,))
    by_id = {a.id: a for a in order.allocations}
    for allocation_id, quantity in (quantities or {}).items():
        if allocation_id not in by_id:
            raise field_error("allocations", N_("Allocation %(id)s is not part of this order."),
                              id=allocation_id)
        if quantity < 0:
            raise field_error(f"quantity-{allocation_id}", N_("Quantity cannot be negative."))
        by_id[allocation_id].quantity = quantity
    for balance, quantity in additions:
        _add(order, balance, quantity, authority_path=access.scope_path(user))
    for dropped in [a for a in order.allocations if a.quantity == 0]:
        order.allocations.remove(dropped)
    _check_not_over(order)
    order.approvals.clear()
    session.flush()
    order.estimated_hours = estimate(order)
    session.flush()
    return order


def _add(order: DispatchOrder, balance: Balance, quantity: int, *,
         authority_path: str | None) -> None:
    if balance.lot.item_id not in {line.item_id for line in order.lines}:
        raise field_error("lot_code", N_("Item %(item)s is not on this order."),
                          item=balance.lot.item.code)
    if quantity <= 0 or quantity > balance.quantity - balance.reserved:
        raise field_error("quantity", N_("Only %(available)s free in this lot here."),
                          available=balance.quantity - balance.reserved)
    for existing in order.allocations:
        if (existing.lot_id, existing.depot_id, existing.owner_id) == (
                balance.lot_id, balance.depot_id, balance.owner_id):
            existing.quantity += quantity
            return
    order.allocations.append(DispatchAllocation(
        item_id=balance.lot.item_id, depot_id=balance.depot_id, lot_id=balance.lot_id,
        owner_id=balance.owner_id, quantity=quantity, depot=balance.depot, lot=balance.lot,
        owner=balance.owner, needs_owner_approval=allocation.needs_owner_approval(
            balance.owner.path, order.to_unit.path, authority_path)))


def _check_not_over(order: DispatchOrder) -> None:
    wanted = {line.item_id: line for line in order.lines}
    totals: dict[int, int] = {}
    for a in order.allocations:
        totals[a.item_id] = totals.get(a.item_id, 0) + a.quantity
    for c in order.calloffs:
        totals[c.item_id] = totals.get(c.item_id, 0) + c.quantity
    for item_id, total in totals.items():
        if total > wanted[item_id].quantity:
            raise field_error("allocations", N_("%(total)s of %(item)s allocated, but the line "
                                                "asks for %(wanted)s."), total=total,
                              item=wanted[item_id].item.code, wanted=wanted[item_id].quantity)


# --- approving and cancelling -----------------------------------------------------------

def approve(session: Session, user: User, order: DispatchOrder, *, now: datetime,
            approvers_required: int = 1) -> DispatchOrder:
    """A bureau user's approval. With the last approval needed, every allocation is reserved
    and every call-off is made against what its agreement has left (all or nothing:
    InsufficientStock when any stock is no longer free or any agreement is used up)."""
    access.require(user, Permission.APPROVE_DISPATCH)
    access.require_unit(user, order.to_unit)
    _require_draft(order)
    lock(session, order, (OrderStatus.DRAFT,))
    session.refresh(order, ["approvals"])  # another approver may have signed meanwhile
    if not order.allocations and not order.calloffs:
        raise InvalidTransition(N_("Nothing is allocated; adjust the proposal first."))
    _owner_approvals(order, user, now)
    if any(a.user_id == user.id for a in order.approvals):
        raise InvalidTransition(N_("You have approved this order already; a second, different "
                                   "approver must approve it."))
    order.approvals.append(DispatchApproval(user_id=user.id, at=now))
    session.flush()
    if len(order.approvals) < approvers_required:
        return order
    transition(session, order, OrderStatus.APPROVED, approved_at=now)
    for a in order.allocations:
        reservations.reserve(session, lot_id=a.lot_id, depot_id=a.depot_id, owner_id=a.owner_id,
                             quantity=a.quantity, now=now, lot_code=a.lot.lot_code,
                             depot_code=a.depot.code)
    for c in order.calloffs:  # each still covered by its agreement, or nothing is approved
        sources.claim(session, c, on=now.date())
        c.called_at, c.due_at = now, now + timedelta(hours=c.lead_time_hours)
    session.flush()
    return order


def _owner_approvals(order: DispatchOrder, user: User, now: datetime) -> None:
    """Cross-unit stock needs its owner: the approver signs for owners in their area."""
    for a in order.allocations:
        if a.needs_owner_approval and a.owner_approved_by_id is None:
            if not access.in_scope(user, a.owner):
                raise Forbidden(N_("Stock of %(owner)s at %(depot)s needs the approval of "
                                   "%(owner)s."), owner=a.owner.name, depot=a.depot.code)
            a.owner_approved_by_id, a.owner_approved_at = user.id, now
    for c in order.calloffs:
        if c.needs_owner_approval and not access.in_scope(user, c.agreement.owner):
            raise Forbidden(N_("Agreement %(agreement)s belongs to %(owner)s: it must approve "
                               "the call-off."), agreement=c.agreement.code,
                            owner=c.agreement.owner.name)


def approve_as_owner(session: Session, user: User, order: DispatchOrder,
                     allocation_id: int, *, now: datetime) -> DispatchAllocation:
    """The owner unit agrees to give its stock to this order (跨单位调拨审批)."""
    access.require(user, Permission.APPROVE_DISPATCH)
    _require_draft(order)
    lock(session, order, (OrderStatus.DRAFT,))
    chosen = next((a for a in order.allocations if a.id == allocation_id), None)
    if chosen is None:
        raise NotFound(N_("Allocation %(id)s not found."), id=allocation_id)
    access.require_unit(user, chosen.owner)
    chosen.owner_approved_by_id, chosen.owner_approved_at = user.id, now
    session.flush()
    return chosen


def cancel(session: Session, user: User, order: DispatchOrder, *, now: datetime,
           reason: str = "") -> DispatchOrder:
    """Cancel before anything left a depot; reservations are released, call-offs withdrawn."""
    access.require(user, Permission.DISPATCH)
    access.require_unit(user, order.to_unit)
    lock(session, order, (OrderStatus.DRAFT, *RESERVING))
    if order.status is OrderStatus.PICKING and any(a.picked for a in order.allocations):
        raise InvalidTransition(N_("Goods of order %(code)s have been picked; reverse those "
                                   "bookings before cancelling."), code=order.code)
    previous = order.status
    transition(session, order, OrderStatus.CANCELLED, cancelled_at=now,
               cancel_reason=(reason or "")[:500])
    if previous in RESERVING:
        for a in order.allocations:
            reservations.release(session, lot_id=a.lot_id, depot_id=a.depot_id,
                                 owner_id=a.owner_id, quantity=a.outstanding, now=now)
    for c in order.calloffs:
        if c.status is not CallOffStatus.RECEIVED:
            c.status = CallOffStatus.CANCELLED
    session.flush()
    return order


# --- reading ----------------------------------------------------------------------------

def visible_orders(user: User) -> sa.Select:
    """Orders to a unit in the user's area, or drawing on a depot or owner in it."""
    stmt = sa.select(DispatchOrder)
    if access.scope_path(user) is not None:
        units = sa.select(Unit.id).where(access.unit_filter(user))
        depots = sa.select(Depot.id).where(Depot.unit_id.in_(units))
        supplying = sa.select(DispatchAllocation.order_id).where(sa.or_(
            DispatchAllocation.depot_id.in_(depots), DispatchAllocation.owner_id.in_(units)))
        stmt = stmt.where(sa.or_(DispatchOrder.to_unit_id.in_(units),
                                 DispatchOrder.id.in_(supplying)))
    return stmt.order_by(DispatchOrder.requested_at.desc(), DispatchOrder.id.desc())


def order_query(session: Session, user: User, *, status: OrderStatus | None = None,
                event_code: str | None = None, search: str | None = None) -> sa.Select:
    """Orders the user may see, filtered by status, event and a code fragment."""
    stmt = visible_orders(user)
    if status:
        stmt = stmt.where(DispatchOrder.status == status)
    if event_code:
        stmt = stmt.where(DispatchOrder.event_id == get_event(session, user, event_code).id)
    if search:
        stmt = stmt.where(text_search(search, DispatchOrder.code))
    return stmt


def get_order(session: Session, user: User, code: str) -> DispatchOrder:
    """The order with this code if the user may see it; raises NotFound."""
    order = session.scalar(visible_orders(user).where(DispatchOrder.code == code))
    if order is None:
        raise NotFound(N_("Dispatch order %(code)s not found."), code=code)
    return order


def supplying_depots(order: DispatchOrder) -> list[Depot]:
    """The depots the order draws on, by code (one pick list each)."""
    return sorted({a.depot_id: a.depot for a in order.allocations}.values(), key=lambda d: d.code)
