"""Readiness (保障能力): how many people the reserve can relieve at a horizon, and what limits it.

The core here is pure (no database): dataclasses in, dataclasses out, unit-tested under
`tests/unit/test_readiness.py`. `services.readiness_load` gathers the figures in SQL and
calls `compute`.

Definitions (contract.md, "Readiness"):
- required = ⌈people × per_person⌉ (whole pieces)
- physical = usable physical stock (not expired at the horizon, not quarantined, not reserved)
- agreement = agreement quantity counted at this horizon (`agreement_quantity`)
- usable = physical + agreement; shortfall = max(0, required − usable)
- people_covered = ⌊physical ÷ per_person⌋ (and with agreements: ⌊usable ÷ per_person⌋)
- people_coverable = min over critical items of people_covered; the limiting item is named.
  A norm without critical items falls back to every item in the norm; an empty norm gives 0.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

WARM, COLD, AUTO = "warm", "cold", "auto"
SEASONS = (WARM, COLD)
SEASON_SETTINGS = (AUTO, WARM, COLD)
# "auto": the cold-season norms (stoves, padded coats for everyone) from November to March,
# the northern heating season that the norm table's "cold season" notes refer to.
COLD_MONTHS = frozenset({11, 12, 1, 2, 3})


@dataclass(frozen=True)
class ItemFigures:
    """One norm item with the stock counted for it (input of `compute`)."""

    item_code: str
    per_person: Decimal
    critical: bool
    on_hand: int = 0
    physical: int = 0
    agreement: int = 0
    item_id: int | None = None


@dataclass(frozen=True)
class ItemReadiness:
    """One item's line in the readiness answer."""

    item_code: str
    critical: bool
    per_person: Decimal
    required: int
    on_hand: int
    physical: int
    agreement: int
    usable: int
    shortfall: int
    people_covered: int
    people_covered_with_agreements: int
    item_id: int | None = None

    @property
    def coverage(self) -> float:
        """Usable physical stock as a share of the requirement (1.0 = fully covered)."""
        return self.physical / self.required if self.required else 1.0

    @property
    def coverage_with_agreements(self) -> float:
        return self.usable / self.required if self.required else 1.0


@dataclass(frozen=True)
class Readiness:
    """People coverable now (physical) and with agreements, the limiting items, per-item lines."""

    target_people: int
    horizon_hours: int
    people_coverable: int
    people_coverable_with_agreements: int
    limiting_item_code: str | None
    limiting_item_code_with_agreements: str | None
    resident_population: int | None
    resident_coverage_ratio: float | None
    items: list[ItemReadiness] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """People coverable (physical) as a share of the target."""
        return self.people_coverable / self.target_people if self.target_people else 1.0

    @property
    def ratio_with_agreements(self) -> float:
        return (self.people_coverable_with_agreements / self.target_people
                if self.target_people else 1.0)


def required_quantity(people: int, per_person: Decimal) -> int:
    """Whole pieces needed for `people` (rounded up: a third of a tent is a tent)."""
    return math.ceil(Decimal(people) * Decimal(per_person))


def people_for(quantity: int, per_person: Decimal) -> int:
    """⌊quantity ÷ per_person⌋; a quantity covers nobody when it is zero or negative."""
    if per_person <= 0:
        raise ValueError("per_person must be positive")
    return max(int(Decimal(quantity) // Decimal(per_person)), 0)


def item_line(figures: ItemFigures, people: int) -> ItemReadiness:
    """The readiness line of one item for `people`."""
    required = required_quantity(people, figures.per_person)
    usable = figures.physical + figures.agreement
    return ItemReadiness(
        item_code=figures.item_code, critical=figures.critical, per_person=figures.per_person,
        required=required, on_hand=figures.on_hand, physical=figures.physical,
        agreement=figures.agreement, usable=usable, shortfall=max(required - usable, 0),
        people_covered=people_for(figures.physical, figures.per_person),
        people_covered_with_agreements=people_for(usable, figures.per_person),
        item_id=figures.item_id)


def _limiting(lines: Sequence[ItemReadiness], attribute: str) -> tuple[int, str | None]:
    """(min people, item code) over critical lines, else over all lines; (0, None) if none."""
    pool = [line for line in lines if line.critical] or list(lines)
    if not pool:
        return 0, None
    best = min(pool, key=lambda line: (getattr(line, attribute), line.item_code))
    return getattr(best, attribute), best.item_code


def compute(items: Iterable[ItemFigures], *, people: int, horizon_hours: int,
            resident_population: int | None = None) -> Readiness:
    """Readiness of the given items for `people` at `horizon_hours`.

    Items with a zero per-person norm are not part of the norm and are left out. Lines are
    ordered critical first, then by coverage (worst first), then by code.
    """
    lines = [item_line(f, people) for f in items if f.per_person > 0]
    lines.sort(key=lambda line: (not line.critical, line.coverage, line.item_code))
    coverable, limiting = _limiting(lines, "people_covered")
    with_agreements, limiting_with = _limiting(lines, "people_covered_with_agreements")
    ratio = (coverable / resident_population) if resident_population else None
    return Readiness(target_people=people, horizon_hours=horizon_hours,
                     people_coverable=coverable, people_coverable_with_agreements=with_agreements,
                     limiting_item_code=limiting, limiting_item_code_with_agreements=limiting_with,
                     resident_population=resident_population, resident_coverage_ratio=ratio,
                     items=lines)


def add_days(day: date, days: int) -> date:
    """`day` plus `days`, held at the first or last representable date instead of
    overflowing (a stored date near year 9999 plus an interval must not answer 500)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def season_on(day: date, setting: str = AUTO) -> str:
    """The season whose norms apply on `day`: the setting when it names a season
    (INVENTORY_SEASON=warm|cold); for "auto", cold in COLD_MONTHS and warm otherwise."""
    if setting in SEASONS:
        return setting
    return COLD if day.month in COLD_MONTHS else WARM


def norm_for(per_person: Decimal, per_person_cold: Decimal | None, season: str) -> Decimal:
    """The per-person norm in a season: the cold-season figure where one is set."""
    if season == COLD and per_person_cold is not None:
        return Decimal(per_person_cold)
    return Decimal(per_person)


# --- agreements -------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgreementLineFigures:
    """One agreement line as readiness sees it (input of `agreement_quantity`)."""

    mode: str                    # "stock", "supply" or "capacity"
    quantity: int                # contracted; for capacity: quantity per day
    lead_time_hours: int
    valid_from: date
    valid_to: date
    is_active: bool = True
    verified_quantity: int | None = None  # stock mode: quantity found at the last check


def agreement_quantity(line: AgreementLineFigures, *, on: date, horizon_hours: int) -> int:
    """What an agreement line contributes at a date and horizon.

    Nothing unless the agreement is active and valid on `on` (both ends included) and its
    lead time fits the horizon (lead_time_hours ≤ horizon_hours). Then:
    - stock: the quantity found at the last verification check, capped at the contracted
      quantity (goods found beyond the contract are not ours); the contracted quantity while
      no check has been made;
    - supply: the contracted quantity;
    - capacity: quantity per day × horizon_hours ÷ 24, rounded down (production is assumed
      to run over the whole horizon; the lead time only gates whether it counts).
    """
    if not line.is_active or not (line.valid_from <= on <= line.valid_to):
        return 0
    if line.lead_time_hours > horizon_hours:
        return 0
    if line.mode == "stock":
        if line.verified_quantity is None:
            return line.quantity
        return max(min(line.verified_quantity, line.quantity), 0)
    if line.mode == "capacity":
        return line.quantity * horizon_hours // 24
    return line.quantity


# --- purchase plan ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanLine:
    """采购计划清单: what to buy now to reach the target, and what expiry adds later."""

    item_code: str
    critical: bool
    required: int
    usable: int
    to_buy_now: int
    to_buy_for_expiry: int
    pack_size: int

    @property
    def to_buy(self) -> int:
        """Total to buy, rounded up to whole packs."""
        total = self.to_buy_now + self.to_buy_for_expiry
        return math.ceil(total / self.pack_size) * self.pack_size if total else 0


def purchase_plan(now: Readiness, later: Readiness,
                  pack_sizes: dict[str, int] | None = None) -> list[PlanLine]:
    """Quantities to buy per item: the shortfall today, plus what expiry removes by `later`.

    `later` is the readiness at a future date (same people and horizon); the difference in
    shortfall is stock that expires in between and must be rotated (轮换). Items with
    nothing to buy are left out; critical items first.
    """
    later_by_code = {line.item_code: line for line in later.items}
    plan = []
    for line in now.items:
        future = later_by_code.get(line.item_code)
        extra = max((future.shortfall if future else 0) - line.shortfall, 0)
        if line.shortfall or extra:
            plan.append(PlanLine(item_code=line.item_code, critical=line.critical,
                                 required=line.required, usable=line.usable,
                                 to_buy_now=line.shortfall, to_buy_for_expiry=extra,
                                 pack_size=max((pack_sizes or {}).get(line.item_code, 1), 1)))
    plan.sort(key=lambda p: (not p.critical, -p.to_buy_now, p.item_code))
    return plan


def group_readiness(groups: dict[object, dict[str, int]], norms: dict[str, ItemFigures], *,
                    people: int, horizon_hours: int) -> dict[object, Readiness]:
    """Readiness of each group's physical stock alone (for drill-down by tier or depot).

    `groups` maps a key to {item_code: physical quantity}; items of the norm a group lacks
    count as zero.
    """
    result = {}
    for key, quantities in groups.items():
        figures = [ItemFigures(item_code=code, per_person=norm.per_person, critical=norm.critical,
                               on_hand=quantities.get(code, 0), physical=quantities.get(code, 0))
                   for code, norm in norms.items()]
        result[key] = compute(figures, people=people, horizon_hours=horizon_hours)
    return result
