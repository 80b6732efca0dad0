"""The alert rules: pure decisions (severity from a figure) and the rules that feed them.

Each rule is `rule(session, *, today, now) -> Iterable[AlertCandidate]`; `services.alerts`
runs every rule in its `RULES` list. A message naming an item carries both `item` (the
Chinese name, for old readers) and `item_code`: the name is chosen in the reader's
language when the alert is shown (`alerts.message_params`). The pure helpers (`shortfall_severity`, `expiry_alert`,
…) hold the thresholds and are unit-tested without a database.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import (Agreement, AgreementCheck, AgreementMode, Balance, Depot,
                              DepotMinimum, Item, Lot, LotStatus, Unit)
from inventory.services import readiness, readiness_load, readiness_many
from inventory.services.readiness import add_days
from inventory.services.errors import N_
from inventory.services.queries import agreement_valid

CRITICAL, WARNING, INFO = "critical", "warning", "info"
EXPIRY_WINDOWS = ((30, CRITICAL), (90, WARNING), (180, INFO))
AGREEMENT_EXPIRY_DAYS = 60


@dataclass
class AlertCandidate:
    """A condition a rule found; `dedup_key` names it across evaluations."""

    dedup_key: str
    kind: str
    severity: str
    message: str
    params: dict
    value: float | None = None
    unit_id: int | None = None
    depot_id: int | None = None
    item_id: int | None = None
    lot_code: str | None = None
    agreement_code: str | None = None
    order_code: str | None = None


# --- pure decisions ---------------------------------------------------------------------------

def shortfall_severity(usable: int, required: int) -> str | None:
    """Below 50 % of required: critical; below 80 %: warning; below 100 %: info."""
    if required <= 0 or usable >= required:
        return None
    ratio = usable / required
    return CRITICAL if ratio < 0.5 else WARNING if ratio < 0.8 else INFO


def expiry_alert(expiry: date, today: date) -> tuple[str, str] | None:
    """(kind, severity) for a lot: expired, or expiring within 30 / 90 / 180 days."""
    days = (expiry - today).days
    if days < 0:
        return "expired", CRITICAL
    for window, severity in EXPIRY_WINDOWS:
        if days <= window:
            return "expiring", severity
    return None


def agreement_expiry_severity(valid_to: date, today: date) -> str | None:
    """An agreement ending within 60 days: warning; within 15 days: critical."""
    days = (valid_to - today).days
    if days < 0 or days > AGREEMENT_EXPIRY_DAYS:
        return None
    return CRITICAL if days <= 15 else WARNING


def check_due(last_checked: date | None, valid_from: date, interval_days: int) -> date:
    """When the next verification check is due (date.max at the latest)."""
    return add_days(last_checked or valid_from, interval_days)


def check_overdue_severity(due: date, today: date, interval_days: int) -> str | None:
    """Overdue: warning; overdue by more than a whole interval: critical."""
    late = (today - due).days
    if late <= 0:
        return None
    return CRITICAL if late > interval_days else WARNING


def below_minimum_severity(quantity: int, minimum: int) -> str | None:
    """Under the depot's minimum: warning; nothing usable at all: critical."""
    if quantity >= minimum:
        return None
    return CRITICAL if quantity <= 0 else WARNING


def bases_severity(bases: int, target: int) -> str | None:
    """Fewer agreement bases than the target: warning; none at all: critical."""
    if bases >= target:
        return None
    return CRITICAL if bases == 0 else WARNING


def preposition_severity(ratio: float, target: float) -> str | None:
    """Less of the unit's stock at lower tiers than the target: warning; under half: critical."""
    if ratio >= target:
        return None
    return CRITICAL if ratio < target / 2 else WARNING


# --- rules ------------------------------------------------------------------------------------

def _units_with(session: Session, column) -> list[Unit]:
    return list(session.scalars(sa.select(Unit).where(Unit.is_active, column > 0)
                                .order_by(Unit.path)))


def shortfall_rule(session: Session, *, today: date, now: datetime,
                   season: str = readiness.AUTO) -> Iterator[AlertCandidate]:
    """One alert per unit with a target whose items fall short (own horizon, owner basis,
    the norms of `season`: a setting, resolved for today).

    Per unit rather than per item: a community short of 25 items is one thing to act on,
    and the purchase plan lists the items. Severity follows the worst item's ratio. Every
    unit is answered from one pass over the balances (`readiness_many`).
    """
    units = _units_with(session, Unit.target_people)
    reports = readiness_many.load_many(session, units, on=today, season=season)
    for unit in units:
        report = reports[unit.id]
        short = [line for line in report.readiness.items
                 if shortfall_severity(line.usable, line.required)]
        if not short:
            continue
        worst = min(short, key=lambda line: (line.usable / line.required, line.item_code))
        item = report.items[worst.item_code]
        r = report.readiness
        yield AlertCandidate(
            dedup_key=f"shortfall:{unit.code}", kind="shortfall",
            severity=shortfall_severity(worst.usable, worst.required),
            value=round(worst.usable / worst.required, 4), unit_id=unit.id, item_id=item.id,
            message=N_("%(unit)s: %(count)s items short of the need of %(people)s people; "
                       "worst %(item)s, %(usable)s of %(required)s. Can relieve %(coverable)s "
                       "people."),
            params={"unit": unit.name, "count": len(short), "people": r.target_people,
                    "item": item.name, "item_code": item.code, "usable": worst.usable,
                    "required": worst.required,
                    "coverable": r.people_coverable_with_agreements,
                    "items": [line.item_code for line in short]})


def below_minimum_rule(session: Session, *, today: date, now: datetime) -> Iterator[AlertCandidate]:
    """Depots holding less usable stock of an item than their minimum."""
    usable = (sa.select(Balance.depot_id, Lot.item_id,
                        sa.func.sum(readiness_load.usable_quantity(today)).label("quantity"))
              .join(Lot, Lot.id == Balance.lot_id)
              .group_by(Balance.depot_id, Lot.item_id).subquery())
    stmt = (sa.select(DepotMinimum, Depot, Item, sa.func.coalesce(usable.c.quantity, 0))
            .join(Depot, Depot.id == DepotMinimum.depot_id)
            .join(Item, Item.id == DepotMinimum.item_id)
            .outerjoin(usable, sa.and_(usable.c.depot_id == DepotMinimum.depot_id,
                                       usable.c.item_id == DepotMinimum.item_id))
            .where(DepotMinimum.minimum_quantity > 0, Depot.is_active))
    for minimum, depot, item, quantity in session.execute(stmt):
        severity = below_minimum_severity(int(quantity), minimum.minimum_quantity)
        if severity is None:
            continue
        yield AlertCandidate(
            dedup_key=f"below_minimum:{depot.code}:{item.code}", kind="below_minimum",
            severity=severity, value=float(quantity), unit_id=depot.unit_id, depot_id=depot.id,
            item_id=item.id,
            message=N_("%(depot)s holds %(quantity)s of %(item)s, below its minimum of "
                       "%(minimum)s."),
            params={"depot": depot.name, "item": item.name, "item_code": item.code,
                    "quantity": int(quantity),
                    "minimum": minimum.minimum_quantity})


def expiry_rule(session: Session, *, today: date, now: datetime) -> Iterator[AlertCandidate]:
    """Lots in stock that expired or expire within 180 days, per depot (rotate them)."""
    horizon = add_days(today, EXPIRY_WINDOWS[-1][0])
    stmt = (sa.select(Lot.lot_code, Lot.expiry_date, Item.id, Item.code, Item.name, Depot.id,
                      Depot.code, Depot.name, Depot.unit_id, sa.func.sum(Balance.quantity))
            .select_from(Balance).join(Lot, Lot.id == Balance.lot_id)
            .join(Item, Item.id == Lot.item_id).join(Depot, Depot.id == Balance.depot_id)
            .where(Lot.expiry_date.is_not(None), Lot.expiry_date <= horizon,
                   Lot.status == LotStatus.AVAILABLE)
            .group_by(Lot.lot_code, Lot.expiry_date, Item.id, Item.code, Item.name, Depot.id,
                      Depot.code, Depot.name, Depot.unit_id)
            .having(sa.func.sum(Balance.quantity) > 0))
    for lot_code, expiry, item_id, item_code, item_name, depot_id, depot_code, depot_name, \
            unit_id, qty in session.execute(stmt):
        kind, severity = expiry_alert(expiry, today)
        days = (expiry - today).days
        message = (N_("Lot %(lot)s of %(item)s at %(depot)s expired on %(date)s: %(quantity)s "
                      "pieces to take out of the reserve and replace.") if kind == "expired" else
                   N_("Lot %(lot)s of %(item)s at %(depot)s expires on %(date)s (in %(days)s "
                      "days): rotate its %(quantity)s pieces (issue them first, buy new)."))
        yield AlertCandidate(
            dedup_key=f"expiry:{lot_code}:{depot_code}", kind=kind, severity=severity,
            value=float(days), unit_id=unit_id, depot_id=depot_id, item_id=item_id,
            lot_code=lot_code, message=message,
            params={"lot": lot_code, "item": item_name, "item_code": item_code,
                    "depot": depot_name,
                    "date": expiry.isoformat(), "days": days, "quantity": int(qty)})


def _valid_agreements(session: Session, today: date) -> list[Agreement]:
    return list(session.scalars(sa.select(Agreement).where(agreement_valid(today))
                                .order_by(Agreement.code)))


def agreement_expiring_rule(session: Session, *, today: date,
                            now: datetime) -> Iterator[AlertCandidate]:
    """Agreements ending within 60 days: renew or replace them."""
    for agreement in _valid_agreements(session, today):
        severity = agreement_expiry_severity(agreement.valid_to, today)
        if severity is None:
            continue
        days = (agreement.valid_to - today).days
        yield AlertCandidate(
            dedup_key=f"agreement_expiring:{agreement.code}", kind="agreement_expiring",
            severity=severity, value=float(days), unit_id=agreement.owner_id,
            agreement_code=agreement.code,
            message=N_("Agreement %(agreement)s with %(partner)s ends on %(date)s (in %(days)s "
                       "days): renew it or find another partner."),
            params={"agreement": agreement.code, "partner": agreement.partner.name,
                    "date": agreement.valid_to.isoformat(), "days": days})


def check_overdue_rule(session: Session, *, today: date, now: datetime) -> Iterator[AlertCandidate]:
    """Valid agreements whose verification check is overdue."""
    agreements = _valid_agreements(session, today)
    last = dict(session.execute(
        sa.select(AgreementCheck.agreement_id, sa.func.max(AgreementCheck.checked_on))
        .where(AgreementCheck.agreement_id.in_([a.id for a in agreements]))
        .group_by(AgreementCheck.agreement_id)).all()) if agreements else {}
    for agreement in agreements:
        due = check_due(last.get(agreement.id), agreement.valid_from, agreement.check_interval_days)
        severity = check_overdue_severity(due, today, agreement.check_interval_days)
        if severity is None:
            continue
        yield AlertCandidate(
            dedup_key=f"check_overdue:{agreement.code}", kind="check_overdue", severity=severity,
            value=float((today - due).days), unit_id=agreement.owner_id,
            agreement_code=agreement.code,
            message=N_("Agreement %(agreement)s with %(partner)s: verification check was due on "
                       "%(date)s."),
            params={"agreement": agreement.code, "partner": agreement.partner.name,
                    "date": due.isoformat()})


def bases_rule(session: Session, *, today: date, now: datetime) -> Iterator[AlertCandidate]:
    """Units with fewer agreement-reserve bases (partners holding stock for the subtree under a
    valid stock-mode agreement) than their target."""
    rows = session.execute(
        sa.select(Unit.path, Agreement.partner_id).join(Unit, Unit.id == Agreement.owner_id)
        .where(agreement_valid(today), Agreement.mode == AgreementMode.STOCK)).all()
    for unit in _units_with(session, Unit.agreement_base_target):
        bases = len({partner for path, partner in rows if path.startswith(unit.path)})
        severity = bases_severity(bases, unit.agreement_base_target)
        if severity is None:
            continue
        yield AlertCandidate(
            dedup_key=f"bases_below_target:{unit.code}", kind="bases_below_target",
            severity=severity, value=float(bases), unit_id=unit.id,
            message=N_("%(unit)s has %(bases)s agreement-reserve bases; the target is %(target)s."),
            params={"unit": unit.name, "bases": bases, "target": unit.agreement_base_target})


def preposition_rule(session: Session, *, today: date, now: datetime) -> Iterator[AlertCandidate]:
    """Units holding less of their own stock at lower tiers than their pre-positioning target."""
    parents = set(session.scalars(sa.select(Unit.parent_id).where(Unit.parent_id.is_not(None))))
    for unit in _units_with(session, Unit.preposition_target):
        if unit.id not in parents:
            continue
        below, owned = readiness_load.preposition(session, unit)
        target = float(unit.preposition_target)
        severity = preposition_severity(below / owned, target) if owned else None
        if severity is None:
            continue
        yield AlertCandidate(
            dedup_key=f"preposition_below_target:{unit.code}", kind="preposition_below_target",
            severity=severity, value=round(below / owned, 4), unit_id=unit.id,
            message=N_("%(unit)s holds %(percent)s of its stock at lower tiers; the target is "
                       "%(target)s."),
            params={"unit": unit.name, "percent": f"{below / owned:.1%}",
                    "target": f"{target:.1%}"})


# Rules that take the season setting (INVENTORY_SEASON) besides today and now.
SEASONAL_RULES = frozenset({shortfall_rule})
DEFAULT_RULES: list = [shortfall_rule, below_minimum_rule, expiry_rule, agreement_expiring_rule,
                       check_overdue_rule, bases_rule, preposition_rule]


def as_candidate(found: AlertCandidate | dict) -> AlertCandidate:
    """Rules may return plain dicts with the AlertCandidate fields."""
    return found if isinstance(found, AlertCandidate) else AlertCandidate(**found)


def collect(rules: Iterable, session: Session, *, today: date, now: datetime,
            season: str = readiness.AUTO) -> dict[str, AlertCandidate]:
    """Every candidate of every rule, by dedup key (a later duplicate key wins)."""
    found: dict[str, AlertCandidate] = {}
    for rule in rules:
        options = {"season": season} if rule in SEASONAL_RULES else {}
        for candidate in rule(session, today=today, now=now, **options):
            candidate = as_candidate(candidate)
            found[candidate.dedup_key] = candidate
    return found
