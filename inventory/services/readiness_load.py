"""Readiness from the database: figures aggregated in SQL, then `readiness.compute`.

Balances are summed with GROUP BY in the database, never loaded as ORM objects (at
600,000 balance rows that is the difference between 0.1 s and several seconds).

- Scope: the unit's subtree, on the `owner` basis (stock owned by units of the subtree,
  wherever it sits) or the `location` basis (stock sitting in the subtree's depots).
  Agreements always count by their owner unit: their goods sit at the partner, not in a depot.
- Usable physical stock: lots not quarantined and not expired at the end of the horizon
  (a lot is usable through its expiry day; the horizon's end day is `on` plus the whole days
  of `hours`), minus quantities reserved for dispatch orders.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from inventory.models import (Agreement, AgreementCheck, AgreementCheckLine, AgreementLine,
                              Balance, Depot, Item, Lot, LotStatus, Unit)
from inventory.models import User
from inventory.services import access, readiness
from inventory.services.errors import N_, field_error
from inventory.services.units import get_unit
from inventory.services.queries import in_subtree
from inventory.services.readiness import AgreementLineFigures, ItemFigures, Readiness

if TYPE_CHECKING:
    from inventory.services.readiness_many import SubtreeStock

BASES = ("owner", "location")
DepotUnit = aliased(Unit, name="depot_unit")


@dataclass
class ReadinessReport:
    """The answer for one unit, with what the page needs beside the contract's figures."""

    unit: Unit
    basis: str
    on: date
    season: str
    readiness: Readiness
    items: dict[str, Item]
    agreement_by_mode: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def resident_target(self) -> float:
        return float(self.unit.resident_share_target)


def horizon_end(on: date, hours: int) -> date:
    """The day the horizon ends on: lots must not be expired on it."""
    return readiness.add_days(on, hours // 24)


def scope_condition(unit: Unit, basis: str, *, scan: bool = False,
                    everything: bool = False) -> sa.ColumnElement[bool]:
    """Balances in scope: owned by (owner) or held in depots of (location) the subtree.

    With `scan`, the id column is wrapped (`owner_id + 0`) so SQLite does not walk the index
    and look every balance up at random: for a subtree holding most of the stock, one
    sequential scan of the table is several times faster. With `everything` (the subtree
    is the whole tree) no row needs a check at all.
    """
    if basis not in BASES:
        raise field_error("basis", N_("Must be one of: %(choices)s."), choices=", ".join(BASES))
    if everything:
        return sa.true()
    subtree = sa.select(Unit.id).where(in_subtree(unit.path))
    if basis == "owner":
        column = Balance.owner_id + 0 if scan else Balance.owner_id
        return column.in_(subtree)
    column = Balance.depot_id + 0 if scan else Balance.depot_id
    return column.in_(sa.select(Depot.id).where(Depot.unit_id.in_(subtree)))


def scan_options(session: Session, unit: Unit) -> dict[str, bool]:
    """How to filter a subtree: scan when it holds over a quarter of all units (don't seek),
    no filter at all when it holds every unit."""
    inside = session.scalar(sa.select(sa.func.count(Unit.id)).where(in_subtree(unit.path)))
    total = session.scalar(sa.select(sa.func.count(Unit.id)))
    return {"scan": inside * 4 > total, "everything": inside == total}


def usable_quantity(cutoff: date) -> sa.ColumnElement[int]:
    """Per balance: quantity − reserved when the lot is usable at `cutoff`, else 0."""
    usable = sa.and_(Lot.status == LotStatus.AVAILABLE,
                     sa.or_(Lot.expiry_date.is_(None), Lot.expiry_date >= cutoff))
    return sa.case((usable, Balance.quantity - Balance.reserved), else_=0)


def stock_by_item(session: Session, unit: Unit, *, basis: str,
                  cutoff: date) -> dict[int, tuple[int, int]]:
    """{item_id: (on_hand, physical)} for the scope.

    Balances are first summed per lot (one pass over the balance table, grouped by an
    expression so SQLite hashes instead of walking the lot index), then lots are judged
    usable and summed per item.
    """
    lot_key = (Balance.lot_id + 0).label("lot_id")
    per_lot = (sa.select(lot_key, sa.func.sum(Balance.quantity).label("on_hand"),
                         sa.func.sum(Balance.quantity - Balance.reserved).label("free"))
               .where(scope_condition(unit, basis, **scan_options(session, unit)))
               .group_by(lot_key).subquery())
    usable = sa.and_(Lot.status == LotStatus.AVAILABLE,
                     sa.or_(Lot.expiry_date.is_(None), Lot.expiry_date >= cutoff))
    stmt = (sa.select(Lot.item_id, sa.func.sum(per_lot.c.on_hand),
                      sa.func.sum(sa.case((usable, per_lot.c.free), else_=0)))
            .select_from(per_lot).join(Lot, Lot.id == per_lot.c.lot_id)
            .group_by(Lot.item_id))
    return {item_id: (int(on_hand or 0), int(physical or 0))
            for item_id, on_hand, physical in session.execute(stmt)}


def physical_by_depot(session: Session, unit: Unit, *, basis: str,
                      cutoff: date) -> dict[int, tuple[str, dict[int, int]]]:
    """{depot_id: (tier of the depot's unit, {item_id: physical})} for drill-down (where
    the stock sits), every depot holding a balance in scope."""
    stmt = (sa.select(Balance.depot_id, DepotUnit.tier, Lot.item_id,
                      sa.func.sum(usable_quantity(cutoff)))
            .select_from(Balance).join(Lot, Lot.id == Balance.lot_id)
            .join(Depot, Depot.id == Balance.depot_id)
            .join(DepotUnit, DepotUnit.id == Depot.unit_id)
            .where(scope_condition(unit, basis, **scan_options(session, unit)))
            .group_by(Balance.depot_id, DepotUnit.tier, Lot.item_id))
    result: dict[int, tuple[str, dict[int, int]]] = {}
    for depot_id, tier, item_id, physical in session.execute(stmt):
        result.setdefault(depot_id, (tier, {}))[1][item_id] = int(physical or 0)
    return result


def agreement_lines(session: Session, unit: Unit, *,
                    on: date) -> list[tuple[int, AgreementLineFigures]]:
    """(item_id, figures) of every agreement line owned by the subtree, with the quantity
    found at the latest check on or before `on`."""
    rows = session.execute(
        sa.select(AgreementLine.id, AgreementLine.item_id, AgreementLine.quantity, Agreement.mode,
                  Agreement.lead_time_hours, Agreement.valid_from, Agreement.valid_to,
                  Agreement.is_active)
        .join(Agreement, Agreement.id == AgreementLine.agreement_id)
        .where(Agreement.owner_id.in_(sa.select(Unit.id).where(in_subtree(unit.path))))).all()
    verified = latest_found(session, [row.id for row in rows], on=on)
    return [(row.item_id, AgreementLineFigures(
        mode=row.mode.value, quantity=row.quantity, lead_time_hours=row.lead_time_hours,
        valid_from=row.valid_from, valid_to=row.valid_to, is_active=row.is_active,
        verified_quantity=verified.get(row.id))) for row in rows]


def latest_found(session: Session, line_ids: list[int], *, on: date) -> dict[int, int]:
    """{agreement line id: quantity found at its latest check on or before `on`}."""
    if not line_ids:
        return {}
    found: dict[int, int] = {}
    stmt = (sa.select(AgreementCheckLine.line_id, AgreementCheckLine.quantity_found)
            .join(AgreementCheck, AgreementCheck.id == AgreementCheckLine.check_id)
            .where(AgreementCheckLine.line_id.in_(line_ids), AgreementCheck.checked_on <= on)
            .order_by(AgreementCheck.checked_on, AgreementCheck.id))
    for line_id, quantity in session.execute(stmt):
        found[line_id] = quantity  # later checks overwrite earlier ones
    return found


def resident_population(session: Session, unit: Unit) -> int | None:
    """The unit's own population, or the sum of its children's when it has none."""
    if unit.population is not None:
        return unit.population
    total = session.scalar(sa.select(sa.func.sum(Unit.population)).where(
        Unit.parent_id == unit.id, Unit.population.is_not(None)))
    return int(total) if total is not None else None


def norm_items(session: Session, season: str) -> list[tuple[Item, Decimal]]:
    """Active items in the norm for the season, with their per-person figure."""
    items = session.scalars(sa.select(Item).where(Item.is_active).order_by(Item.code))
    pairs = [(item, readiness.norm_for(item.per_person, item.per_person_cold, season))
             for item in items]
    return [(item, norm) for item, norm in pairs if norm > 0]


def load(session: Session, unit: Unit, *, on: date, people: int | None = None,
         hours: int | None = None, basis: str = "owner", season: str = readiness.AUTO,
         stock: SubtreeStock | None = None) -> ReadinessReport:
    """Readiness of `unit`'s subtree; people and hours default to the unit's targets, the
    season (a setting: auto, warm or cold) is resolved for the date `on`.

    `stock` (from `readiness_many.subtree_stock` over a subtree holding the unit, same
    basis) answers from balances already summed instead of reading them again.
    """
    season = readiness.season_on(on, season)
    people = unit.target_people if people is None else people
    hours = unit.horizon_hours if hours is None else hours
    cutoff = horizon_end(on, hours)
    if stock is not None and stock.basis != basis:
        raise ValueError("stock summed on another basis")
    quantities = (stock.by_item(unit, cutoff) if stock is not None
                  else stock_by_item(session, unit, basis=basis, cutoff=cutoff))
    return assemble(unit, on=on, people=people, hours=hours, basis=basis, season=season,
                    stock=quantities, lines=agreement_lines(session, unit, on=on),
                    norms=norm_items(session, season),
                    population=resident_population(session, unit))


def assemble(unit: Unit, *, on: date, people: int, hours: int, basis: str, season: str,
             stock: dict[int, tuple[int, int]], lines: list[tuple[int, AgreementLineFigures]],
             norms: list[tuple[Item, Decimal]], population: int | None) -> ReadinessReport:
    """The report from figures already read: {item_id: (on_hand, physical)}, the agreement
    lines owned by the subtree, the season's norms and the resident population."""
    by_mode: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    agreement: dict[int, int] = defaultdict(int)
    for item_id, line in lines:
        counted = readiness.agreement_quantity(line, on=on, horizon_hours=hours)
        agreement[item_id] += counted
        by_mode[line.mode][item_id] += counted
    figures = [ItemFigures(item_code=item.code, per_person=norm, critical=item.critical,
                           on_hand=stock.get(item.id, (0, 0))[0],
                           physical=stock.get(item.id, (0, 0))[1],
                           agreement=agreement.get(item.id, 0), item_id=item.id)
               for item, norm in norms]
    result = readiness.compute(figures, people=people, horizon_hours=hours,
                               resident_population=population)
    codes = {item.id: item.code for item, _ in norms}
    modes = {mode: {codes[i]: q for i, q in quantities.items() if i in codes}
             for mode, quantities in by_mode.items()}
    return ReadinessReport(unit=unit, basis=basis, on=on, season=season, readiness=result,
                           items={item.code: item for item, _ in norms}, agreement_by_mode=modes)


def drill_downs(session: Session, report: ReadinessReport) -> dict[str, dict[object, Readiness]]:
    """Readiness of the physical stock at each depot and at each tier, from one query:
    {"depot": {depot_id: Readiness}, "tier": {tier: Readiness}}.

    The lines hold only the items people coverable depends on (the critical items, or every
    norm item when none is critical): the breakdowns show whom a depot could relieve and
    what limits it, and at 1,000 depots × 200 items the other lines only cost time.
    """
    r = report.readiness
    pool = [line for line in r.items if line.critical] or list(r.items)
    norms = {line.item_code: ItemFigures(item_code=line.item_code, per_person=line.per_person,
                                         critical=line.critical) for line in pool}
    codes = {report.items[code].id: code for code in norms}
    depots: dict[object, dict[str, int]] = {}
    tiers: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for depot_id, (tier, quantities) in physical_by_depot(
            session, report.unit, basis=report.basis,
            cutoff=horizon_end(report.on, r.horizon_hours)).items():
        depots[depot_id] = {codes[i]: q for i, q in quantities.items() if i in codes}
        tier_total = tiers[tier]
        for code, quantity in depots[depot_id].items():
            tier_total[code] += quantity
    return {group: readiness.group_readiness(
                {key: dict(quantities) for key, quantities in groups.items()}, norms,
                people=r.target_people, horizon_hours=r.horizon_hours)
            for group, groups in (("depot", depots), ("tier", tiers))}


def preposition(session: Session, unit: Unit) -> tuple[int, int]:
    """(pieces the unit owns held at depots of units below it, pieces the unit owns)."""
    below = sa.and_(Depot.unit_id != unit.id, in_subtree(unit.path, DepotUnit.path))
    stmt = (sa.select(sa.func.coalesce(sa.func.sum(sa.case((below, Balance.quantity), else_=0)), 0),
                      sa.func.coalesce(sa.func.sum(Balance.quantity), 0))
            .select_from(Balance).join(Depot, Depot.id == Balance.depot_id)
            .join(DepotUnit, DepotUnit.id == Depot.unit_id)
            .where(Balance.owner_id == unit.id))
    held_below, owned = session.execute(stmt).one()
    return int(held_below), int(owned)


def resolve_unit(session: Session, user: User, code: str | None) -> Unit:
    """The unit asked for (in the user's area), else the user's own unit, else the only
    top-level unit; raises NotFound, Forbidden, or InvalidInput when a choice is needed."""
    if code:
        return access.require_unit(user, get_unit(session, code))
    if user.unit is not None:
        return user.unit
    roots = list(session.scalars(sa.select(Unit).where(Unit.parent_id.is_(None))
                                 .order_by(Unit.code).limit(2)))
    if len(roots) != 1:
        raise field_error("unit", N_("Choose a unit."))
    return roots[0]
