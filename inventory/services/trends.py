"""Trends: stock over time from the ledger, expiry by month ahead, readiness history.

Stock on a past day is today's stock minus what the ledger booked after that day; the
daily sums come from one GROUP BY, so a long ledger costs one query, not one per day.
Days are UTC days.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Balance, Depot, Item, Lot, Movement, ReadinessSnapshot, Unit
from inventory.services.queries import in_subtree


def _depots_in(unit: Unit | None):
    stmt = sa.select(Depot.id)
    if unit is not None:
        stmt = stmt.join(Unit, Depot.unit_id == Unit.id).where(in_subtree(unit.path))
    return stmt


def stock_series(session: Session, *, today: date, days: int, unit: Unit | None = None,
                 item: Item | None = None) -> list[tuple[date, int]]:
    """Pieces held in the unit's depots (of one item, or all) at the end of each day."""
    depots = _depots_in(unit)
    now_stmt = (sa.select(sa.func.coalesce(sa.func.sum(Balance.quantity), 0))
                .join(Lot, Balance.lot_id == Lot.id).where(Balance.depot_id.in_(depots)))
    day = sa.func.date(Movement.created_at)
    entering = sa.case((Movement.to_depot_id.in_(depots), Movement.quantity), else_=0)
    leaving = sa.case((Movement.from_depot_id.in_(depots), Movement.quantity), else_=0)
    start = today - timedelta(days=days)
    delta_stmt = (sa.select(day.label("day"), sa.func.sum(entering - leaving))
                  .join(Lot, Movement.lot_id == Lot.id)
                  .where(Movement.created_at >= datetime.combine(start, time.min, timezone.utc))
                  .group_by(day))
    if item is not None:
        now_stmt = now_stmt.where(Lot.item_id == item.id)
        delta_stmt = delta_stmt.where(Lot.item_id == item.id)
    level = int(session.scalar(now_stmt) or 0)
    deltas = {_as_date(d): int(q or 0) for d, q in session.execute(delta_stmt)}
    series = []
    for offset in range(0, days + 1):
        current = today - timedelta(days=offset)
        series.append((current, level))
        level -= deltas.get(current, 0)
    return list(reversed(series))


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class ExpiryMonth:
    month: date          # first day of the month; date.min for "already expired"
    quantity: int


def expiring_by_month(session: Session, *, today: date, months: int = 12,
                      unit: Unit | None = None, item: Item | None = None) -> list[ExpiryMonth]:
    """Pieces whose lots expire in each of the next `months` months (first: already expired)."""
    stmt = (sa.select(Lot.expiry_date, sa.func.sum(Balance.quantity))
            .join(Lot, Balance.lot_id == Lot.id)
            .where(Balance.depot_id.in_(_depots_in(unit)), Balance.quantity > 0,
                   Lot.expiry_date.is_not(None))
            .group_by(Lot.expiry_date))
    if item is not None:
        stmt = stmt.where(Lot.item_id == item.id)
    first = today.replace(day=1)
    buckets: dict[date, int] = defaultdict(int)
    for expiry, quantity in session.execute(stmt):
        expiry = _as_date(expiry)
        if expiry < today:
            buckets[date.min] += int(quantity)
        else:
            buckets[expiry.replace(day=1)] += int(quantity)
    result = [ExpiryMonth(date.min, buckets[date.min])]
    month = first
    for _ in range(months):
        result.append(ExpiryMonth(month, buckets.get(month, 0)))
        month = (month + timedelta(days=32)).replace(day=1)
    return result


def readiness_history(session: Session, *, unit: Unit, days: int, today: date) -> list[ReadinessSnapshot]:
    """The unit's daily readiness snapshots (taken by check-alerts), oldest first."""
    return list(session.scalars(
        sa.select(ReadinessSnapshot)
        .where(ReadinessSnapshot.unit_id == unit.id,
               ReadinessSnapshot.taken_on >= today - timedelta(days=days))
        .order_by(ReadinessSnapshot.taken_on)))
