"""Timeliness against the 8-hour target, the dispatch_overdue alert rule, event figures and
the daily event report (每日统报)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import (CallOff, CallOffStatus, Depot, DisasterEvent, Distribution,
                              DistributionLine, DispatchAllocation, DispatchLine, DispatchOrder,
                              EventStatus, Item, OrderStatus, Unit)
from inventory.models.base import as_utc
from inventory.services.errors import N_
from inventory.services.queries import in_subtree

OPEN_STATUSES = (OrderStatus.DRAFT, OrderStatus.APPROVED, OrderStatus.PICKING,
                 OrderStatus.DISPATCHED)
# An open order is a warning once this share of its target has passed, critical after it.
WARNING_SHARE = 0.75
MEASURES = ("requested", "allocated", "dispatched", "received", "distributed")


def completed_at(order: DispatchOrder) -> datetime | None:
    """When everything had arrived (see `DispatchOrder.completed_at`)."""
    return order.completed_at


def elapsed_hours(order: DispatchOrder, now: datetime) -> float:
    """Request-to-receipt hours (to now until everything has arrived)."""
    end = completed_at(order) or now
    return max((end - as_utc(order.requested_at)).total_seconds() / 3600, 0.0)


def on_time(order: DispatchOrder) -> bool | None:
    """True/False once received (within the target or not); None before."""
    end = completed_at(order)
    if end is None:
        return None
    return elapsed_hours(order, end) <= order.target_hours


def _candidate(dedup_key: str, severity: str, message: str, params: dict, value: float, *,
               unit_id=None, depot_id=None, item_id=None, agreement_code=None,
               order_code=None) -> dict:
    return {"dedup_key": dedup_key, "kind": "dispatch_overdue", "severity": severity,
            "message": message, "params": params, "value": round(value, 2), "unit_id": unit_id,
            "depot_id": depot_id, "item_id": item_id, "lot_code": None,
            "agreement_code": agreement_code, "order_code": order_code}


def dispatch_overdue_rule(session: Session, *, today: date, now: datetime) -> list[dict]:
    """Alert candidates: open orders near (warning) or past (critical) their target since the
    request, and agreement call-offs past their due time. `today` is unused (the rule runs
    on hours) but keeps the signature of every alert rule."""
    del today
    found = []
    orders = session.scalars(sa.select(DispatchOrder).join(DisasterEvent).where(
        DispatchOrder.status.in_(OPEN_STATUSES), DisasterEvent.status == EventStatus.ACTIVE)
        .order_by(DispatchOrder.code))
    for order in orders:
        hours = elapsed_hours(order, now)
        params = {"order": order.code, "unit": order.to_unit.name, "hours": round(hours, 1),
                  "target": order.target_hours}
        keys = {"unit_id": order.to_unit_id, "depot_id": order.to_depot_id,
                "order_code": order.code}
        if hours >= order.target_hours:
            found.append(_candidate(
                f"dispatch_overdue:order:{order.code}", "critical",
                N_("Dispatch order %(order)s to %(unit)s: %(hours)s h since the request, past "
                   "the %(target)s h target."), params, hours, **keys))
        elif hours >= WARNING_SHARE * order.target_hours:
            found.append(_candidate(
                f"dispatch_overdue:order:{order.code}", "warning",
                N_("Dispatch order %(order)s to %(unit)s: %(hours)s h since the request, near "
                   "the %(target)s h target."), params, hours, **keys))
    calloffs = session.scalars(sa.select(CallOff).where(
        CallOff.status == CallOffStatus.CALLED, CallOff.due_at < now).order_by(CallOff.code))
    for calloff in calloffs:
        late = (now - as_utc(calloff.due_at)).total_seconds() / 3600
        found.append(_candidate(
            f"dispatch_overdue:calloff:{calloff.code}", "warning",
            N_("Call-off %(calloff)s under agreement %(agreement)s is %(hours)s h overdue."),
            {"calloff": calloff.code, "agreement": calloff.agreement.code,
             "hours": round(late, 1)}, late, unit_id=calloff.order.to_unit_id,
            item_id=calloff.item_id, agreement_code=calloff.agreement.code,
            order_code=calloff.order.code))
    return found


# --- figures ----------------------------------------------------------------------------

@dataclass
class ItemFigures:
    item: Item
    day: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))


@dataclass
class DailyReport:
    event: DisasterEvent
    start: datetime
    end: datetime
    items: list[ItemFigures]
    people_day: int
    people_total: int
    households_day: int
    households_total: int
    orders_by_status: dict[str, int]
    received_orders: int
    on_time_orders: int
    average_hours: float | None


def _sums(session: Session, stmt: sa.Select, when, quantity, start, end) -> dict[int, tuple]:
    """(day, total to `end`) per item id for one measure."""
    rows = session.execute(stmt.with_only_columns(
        Item.id, sa.func.coalesce(sa.func.sum(sa.case((when >= start, quantity), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(quantity), 0)).where(when < end).group_by(Item.id))
    return {item_id: (int(day), int(total)) for item_id, day, total in rows}


def _measures(session: Session, event: DisasterEvent, start: datetime, end: datetime):
    live = DispatchOrder.status != OrderStatus.CANCELLED
    of_event = DispatchOrder.event_id == event.id
    alloc = (sa.select(Item.id).select_from(DispatchAllocation)
             .join(DispatchOrder, DispatchAllocation.order_id == DispatchOrder.id)
             .join(Item, DispatchAllocation.item_id == Item.id).where(of_event, live))
    calls = (sa.select(Item.id).select_from(CallOff)
             .join(DispatchOrder, CallOff.order_id == DispatchOrder.id)
             .join(Item, CallOff.item_id == Item.id).where(of_event))
    return {
        "requested": [_sums(session, sa.select(Item.id).select_from(DispatchLine)
                            .join(DispatchOrder).join(Item).where(of_event, live),
                            DispatchOrder.requested_at, DispatchLine.quantity, start, end)],
        "allocated": [_sums(session, alloc, DispatchOrder.approved_at,
                            DispatchAllocation.quantity, start, end),
                      _sums(session, calls.where(CallOff.status.in_(
                          (CallOffStatus.CALLED, CallOffStatus.RECEIVED))),
                          CallOff.called_at, CallOff.quantity, start, end)],
        "dispatched": [_sums(session, alloc, DispatchOrder.departed_at,
                             DispatchAllocation.picked, start, end)],
        "received": [_sums(session, alloc, DispatchOrder.received_at,
                           DispatchAllocation.received, start, end),
                     _sums(session, calls, CallOff.received_at, CallOff.received_quantity,
                           start, end)],
        "distributed": [_sums(session, sa.select(Item.id).select_from(DistributionLine)
                              .join(Distribution).join(Item)
                              .where(Distribution.event_id == event.id),
                              Distribution.distributed_at, DistributionLine.quantity, start, end)],
    }


def daily_report(session: Session, event: DisasterEvent, *, start: datetime,
                 end: datetime) -> DailyReport:
    """The event's figures for the day [start, end) and cumulative to its end, per item."""
    figures: dict[int, ItemFigures] = {}
    for measure, parts in _measures(session, event, start, end).items():
        for part in parts:
            for item_id, (day, total) in part.items():
                row = figures.setdefault(item_id, ItemFigures(item=session.get(Item, item_id)))
                row.day[measure] += day
                row.total[measure] += total
    people = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(sa.case((Distribution.distributed_at >= start,
                                                       Distribution.household_size), else_=0)), 0),
                  sa.func.coalesce(sa.func.sum(Distribution.household_size), 0),
                  sa.func.coalesce(sa.func.sum(sa.case((Distribution.distributed_at >= start, 1),
                                                       else_=0)), 0),
                  sa.func.count(Distribution.id))
        .where(Distribution.event_id == event.id, Distribution.distributed_at < end)).one()
    orders = session.scalars(sa.select(DispatchOrder).where(
        DispatchOrder.event_id == event.id, DispatchOrder.requested_at < end)).all()
    statuses: dict[str, int] = {}
    for order in orders:
        statuses[order.status.value] = statuses.get(order.status.value, 0) + 1
    received = [o for o in orders if (completed_at(o) or end) < end]
    hours = [elapsed_hours(o, end) for o in received]
    return DailyReport(
        event=event, start=start, end=end,
        items=sorted(figures.values(), key=lambda f: f.item.code),
        people_day=int(people[0]), people_total=int(people[1]), households_day=int(people[2]),
        households_total=int(people[3]), orders_by_status=statuses,
        received_orders=len(received), on_time_orders=sum(1 for o in received if on_time(o)),
        average_hours=round(sum(hours) / len(hours), 1) if hours else None)


def distribution_totals(session: Session, event: DisasterEvent,
                        unit_path: str | None = None) -> list[tuple[Item, int, int, int]]:
    """Per item: requested, received and distributed for the event (within a unit's subtree
    when `unit_path` is given), to set distributions against the request."""
    to_units = sa.select(Unit.id)
    if unit_path:
        to_units = to_units.where(in_subtree(unit_path))
    orders = sa.select(DispatchOrder.id).where(
        DispatchOrder.event_id == event.id, DispatchOrder.status != OrderStatus.CANCELLED,
        DispatchOrder.to_unit_id.in_(to_units))
    figures: dict[int, list[int]] = {}

    def add(rows, index):
        for item_id, quantity in rows:
            figures.setdefault(item_id, [0, 0, 0])[index] += int(quantity or 0)

    add(session.execute(sa.select(DispatchLine.item_id, sa.func.sum(DispatchLine.quantity))
                        .where(DispatchLine.order_id.in_(orders)).group_by(DispatchLine.item_id)), 0)
    add(session.execute(sa.select(DispatchAllocation.item_id, sa.func.sum(DispatchAllocation.received))
                        .where(DispatchAllocation.order_id.in_(orders))
                        .group_by(DispatchAllocation.item_id)), 1)
    add(session.execute(sa.select(CallOff.item_id, sa.func.sum(CallOff.received_quantity))
                        .where(CallOff.order_id.in_(orders)).group_by(CallOff.item_id)), 1)
    depots = sa.select(Depot.id).where(Depot.unit_id.in_(to_units))
    add(session.execute(sa.select(DistributionLine.item_id, sa.func.sum(DistributionLine.quantity))
                        .join(Distribution).where(Distribution.event_id == event.id,
                                                  Distribution.depot_id.in_(depots))
                        .group_by(DistributionLine.item_id)), 2)
    items = {item.id: item for item in session.scalars(
        sa.select(Item).where(Item.id.in_(list(figures))))}
    return [(items[item_id], *values) for item_id, values in
            sorted(figures.items(), key=lambda pair: items[pair[0]].code)]
