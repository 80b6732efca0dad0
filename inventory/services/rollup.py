"""The upward roll-up (向上级报送): a unit and each of its children, by category, fixed layout.

Figures are the reserve each unit owns (its whole subtree's stock, wherever it sits), so
the children's pieces add up to the unit's own row; each row also says how many people
that reserve relieves against the unit's own target (readiness, owner basis).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Balance, Category, Depot, Item, Lot, Unit
from inventory.services import readiness_load
from inventory.services.queries import expired, in_subtree

CATEGORIES = tuple(Category)


@dataclass
class RollupRow:
    unit: Unit
    by_category: dict[Category, int] = field(default_factory=dict)
    expired: int = 0
    item_kinds: int = 0
    depots: int = 0
    target_people: int = 0
    people_coverable: int = 0          # physical stock only, at the unit's own horizon
    people_with_agreements: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_category.values())


def rollup(session: Session, *, unit: Unit, today: date, season: str = "auto") -> list[RollupRow]:
    """The unit's own row first, then one row per child unit (readiness in the norms of
    `season`, the INVENTORY_SEASON setting)."""
    return [_row(session, unit, today, season)] + [
        _row(session, child, today, season) for child in unit.children if child.is_active]


def _row(session: Session, unit: Unit, today: date, season: str) -> RollupRow:
    owned = (sa.select(Item.category, sa.func.sum(Balance.quantity),
                       sa.func.sum(sa.case((expired(today), Balance.quantity), else_=0)),
                       sa.func.count(sa.distinct(Item.id)))
             .select_from(Balance).join(Lot, Balance.lot_id == Lot.id)
             .join(Item, Lot.item_id == Item.id).join(Unit, Balance.owner_id == Unit.id)
             .where(in_subtree(unit.path), Balance.quantity > 0).group_by(Item.category))
    row = RollupRow(unit=unit)
    for category, pieces, expired_pieces, kinds in session.execute(owned):
        row.by_category[Category(category)] = int(pieces)
        row.expired += int(expired_pieces or 0)
        row.item_kinds += int(kinds)
    row.depots = session.scalar(
        sa.select(sa.func.count(Depot.id)).join(Unit, Depot.unit_id == Unit.id)
        .where(in_subtree(unit.path), Depot.is_active)) or 0
    readiness = readiness_load.load(session, unit, on=today, season=season).readiness
    row.target_people = readiness.target_people
    row.people_coverable = readiness.people_coverable
    row.people_with_agreements = readiness.people_coverable_with_agreements
    return row
