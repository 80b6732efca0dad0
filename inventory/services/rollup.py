"""The upward roll-up (向上级报送): a unit and each of its children, by category, fixed layout.

Figures are the reserve each unit owns (its whole subtree's stock, wherever it sits). The
unit's row is followed by its own reserve (本级: stock the unit itself owns) and a row per
child, and those add up to the unit's row; each unit row also says how many people that
reserve relieves against the unit's own target (readiness, owner basis).
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
    target_people: int | None = 0
    people_coverable: int | None = 0          # physical stock only, at the unit's own horizon
    people_with_agreements: int | None = 0
    # The unit's own reserve (本级): what it owns itself, not its children; no readiness.
    own: bool = False

    @property
    def total(self) -> int:
        return sum(self.by_category.values())


def rollup(session: Session, *, unit: Unit, today: date, season: str = "auto") -> list[RollupRow]:
    """The unit's row (its whole subtree) first, then its own reserve (本级), then one row
    per child unit; the rows after the first add up to it in pieces and depots. Readiness
    in the norms of `season` (the INVENTORY_SEASON setting)."""
    children = [_row(session, child, today, season) for child in unit.children]
    return ([_row(session, unit, today, season), _own_row(session, unit, today)]
            + [row for row in children if row.unit.is_active or row.total or row.depots])


def _row(session: Session, unit: Unit, today: date, season: str) -> RollupRow:
    row = _figures(session, RollupRow(unit=unit), today, in_subtree(unit.path))
    readiness = readiness_load.load(session, unit, on=today, season=season).readiness
    row.target_people = readiness.target_people
    row.people_coverable = readiness.people_coverable
    row.people_with_agreements = readiness.people_coverable_with_agreements
    return row


def _own_row(session: Session, unit: Unit, today: date) -> RollupRow:
    row = RollupRow(unit=unit, own=True, target_people=None, people_coverable=None,
                    people_with_agreements=None)
    return _figures(session, row, today, Unit.id == unit.id)


def _figures(session: Session, row: RollupRow, today: date, units) -> RollupRow:
    """Pieces per category, expired pieces and kinds owned by `units` (a predicate on
    Unit), and the active depots of those units."""
    owned = (sa.select(Item.category, sa.func.sum(Balance.quantity),
                       sa.func.sum(sa.case((expired(today), Balance.quantity), else_=0)),
                       sa.func.count(sa.distinct(Item.id)))
             .select_from(Balance).join(Lot, Balance.lot_id == Lot.id)
             .join(Item, Lot.item_id == Item.id).join(Unit, Balance.owner_id == Unit.id)
             .where(units, Balance.quantity > 0).group_by(Item.category))
    for category, pieces, expired_pieces, kinds in session.execute(owned):
        row.by_category[Category(category)] = int(pieces)
        row.expired += int(expired_pieces or 0)
        row.item_kinds += int(kinds)
    row.depots = session.scalar(
        sa.select(sa.func.count(Depot.id)).join(Unit, Depot.unit_id == Unit.id)
        .where(units, Depot.is_active)) or 0
    return row
