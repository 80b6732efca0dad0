"""Readiness of many units, or one unit at several dates, from one pass over the balances.

`readiness_load.load` answers one unit with one GROUP BY over its scope: right for the API.
The shortfall alerts and the daily snapshots want every unit with a target, and the
readiness page wants its unit at four dates plus every unit below it. Loading each of those
separately reads the same balances again and again (at 600,000 balances, a unit and its
children cost two full passes, every date another). Here the scope's balances are summed
once per holding unit (the owner, or the depot's unit on the `location` basis), item,
expiry date and availability; every unit and date is then answered from those rows in
Python with exactly the figures `load` gives (tests/services/test_readiness_many.py).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Agreement, AgreementLine, Balance, Depot, Lot, LotStatus, Unit
from inventory.services import readiness
from inventory.services.readiness import AgreementLineFigures
from inventory.services.readiness_load import (ReadinessReport, assemble, horizon_end,
                                               latest_found, norm_items, scan_options,
                                               scope_condition)

# (item id, expiry date or None, lot usable apart from expiry, on hand, on hand − reserved)
StockRow = tuple[int, date | None, bool, int, int]


@dataclass(frozen=True)
class SubtreeStock:
    """A scope's balances summed per holding unit, item, expiry date and availability."""

    basis: str
    paths: dict[int, str]
    rows: dict[int, list[StockRow]]

    def by_item(self, unit: Unit, cutoff: date) -> dict[int, tuple[int, int]]:
        """{item_id: (on_hand, physical)} of `unit`'s subtree, lots usable at `cutoff`
        (what `readiness_load.stock_by_item` answers from the database)."""
        totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for unit_id, path in self.paths.items():
            if not path.startswith(unit.path):
                continue
            for item_id, expiry, available, on_hand, free in self.rows[unit_id]:
                total = totals[item_id]
                total[0] += on_hand
                if available and (expiry is None or expiry >= cutoff):
                    total[1] += free
        return {item_id: (on_hand, physical) for item_id, (on_hand, physical) in totals.items()}


def subtree_stock(session: Session, root: Unit | None, basis: str) -> SubtreeStock:
    """Sum the balances of `root`'s subtree (None: every balance) in one statement."""
    scope_condition(root, basis, everything=True)  # InvalidInput for an unknown basis
    holder = (Balance.owner_id if basis == "owner" else Depot.unit_id) + 0
    lot_key = Balance.lot_id + 0  # group by expressions: SQLite hashes instead of seeking
    per_lot = sa.select(holder.label("unit_id"), lot_key.label("lot_id"),
                        sa.func.sum(Balance.quantity).label("on_hand"),
                        sa.func.sum(Balance.quantity - Balance.reserved).label("free"))
    if basis != "owner":
        per_lot = per_lot.join(Depot, Depot.id == Balance.depot_id)
    if root is not None:
        per_lot = per_lot.where(scope_condition(root, basis, **scan_options(session, root)))
    per_lot = per_lot.group_by(holder, lot_key).subquery()
    available = Lot.status == LotStatus.AVAILABLE
    stmt = (sa.select(per_lot.c.unit_id, Lot.item_id, Lot.expiry_date, available,
                      sa.func.sum(per_lot.c.on_hand), sa.func.sum(per_lot.c.free))
            .select_from(per_lot).join(Lot, Lot.id == per_lot.c.lot_id)
            .group_by(per_lot.c.unit_id, Lot.item_id, Lot.expiry_date, available))
    rows: dict[int, list[StockRow]] = defaultdict(list)
    for unit_id, item_id, expiry, usable, on_hand, free in session.execute(stmt):
        rows[unit_id].append((item_id, expiry, bool(usable), int(on_hand or 0), int(free or 0)))
    paths = {unit_id: path for unit_id, path in session.execute(sa.select(Unit.id, Unit.path))
             if unit_id in rows}
    return SubtreeStock(basis=basis, paths=paths, rows=dict(rows))


def agreement_lines_by_owner(session: Session, *, on: date
                             ) -> list[tuple[str, int, AgreementLineFigures]]:
    """(owner unit path, item_id, figures) of every agreement line, verified quantities as
    of `on` (as `readiness_load.agreement_lines` gives them per subtree)."""
    rows = session.execute(
        sa.select(AgreementLine.id, AgreementLine.item_id, AgreementLine.quantity, Agreement.mode,
                  Agreement.lead_time_hours, Agreement.valid_from, Agreement.valid_to,
                  Agreement.is_active, Unit.path)
        .join(Agreement, Agreement.id == AgreementLine.agreement_id)
        .join(Unit, Unit.id == Agreement.owner_id)).all()
    verified = latest_found(session, [row.id for row in rows], on=on)
    return [(row.path, row.item_id, AgreementLineFigures(
        mode=row.mode.value, quantity=row.quantity, lead_time_hours=row.lead_time_hours,
        valid_from=row.valid_from, valid_to=row.valid_to, is_active=row.is_active,
        verified_quantity=verified.get(row.id))) for row in rows]


def resident_populations(session: Session) -> dict[int, int | None]:
    """{unit id: its population, or the sum of its children's when it has none}."""
    units = session.execute(sa.select(Unit.id, Unit.parent_id, Unit.population)).all()
    children: dict[int, list[int]] = defaultdict(list)
    for unit_id, parent_id, population in units:
        if parent_id is not None and population is not None:
            children[parent_id].append(population)
    return {unit_id: population if population is not None
            else (sum(children[unit_id]) if children[unit_id] else None)
            for unit_id, _, population in units}


def load_many(session: Session, units: Sequence[Unit], *, on: date, basis: str = "owner",
              season: str = readiness.AUTO, hours: int | None = None,
              stock: SubtreeStock | None = None) -> dict[int, ReadinessReport]:
    """{unit id: report} for several units at one date, each with its own target people
    and (unless `hours` is given) its own horizon: the same reports as `load` per unit.

    `stock` may be given when it is already summed over a subtree holding every unit.
    """
    if not units:
        return {}
    season = readiness.season_on(on, season)
    stock = stock if stock is not None else subtree_stock(session, None, basis)
    if stock.basis != basis:
        raise ValueError("stock summed on another basis")
    norms = norm_items(session, season)
    lines = agreement_lines_by_owner(session, on=on)
    populations = resident_populations(session)
    reports = {}
    for unit in units:
        unit_hours = unit.horizon_hours if hours is None else hours
        reports[unit.id] = assemble(
            unit, on=on, people=unit.target_people, hours=unit_hours, basis=basis,
            season=season, stock=stock.by_item(unit, horizon_end(on, unit_hours)),
            lines=[(item_id, line) for path, item_id, line in lines
                   if path.startswith(unit.path)],
            norms=norms, population=populations.get(unit.id))
    return reports
