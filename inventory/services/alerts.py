"""Stored alerts (预警): evaluation by dedup key, state changes, lists and the open count.

`evaluate` runs every rule in `RULES` (see `alert_rules`) and upserts one row per
dedup key: a new condition opens an alert; one seen again updates it (an acknowledged
alert stays acknowledged unless its severity rises); a resolved one that comes back is
re-opened; an open or acknowledged alert whose condition is gone is resolved.

Freshness without slowing the scan path: bookings never touch alerts. Each evaluation
records the highest movement id it saw (`AlertRun`); pages and the API call
`refresh_if_stale` before they read alerts, which re-evaluates when the ledger has moved
(or an edit marked the alerts stale, or the day changed) and the last run is older than
the throttle interval.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import (Alert, AlertKind, AlertRun, AlertSeverity, AlertState, Movement,
                              ReadinessSnapshot, Unit, User)
from inventory.models.base import as_utc
from inventory.services import access, readiness_load
from inventory.services.alert_rules import DEFAULT_RULES, AlertCandidate, collect  # noqa: F401
from inventory.services.dispatch_reports import dispatch_overdue_rule
from inventory.services.errors import N_, InvalidTransition, NotFound
from inventory.services.queries import in_subtree
from inventory.services.readiness import AUTO

# Every rule `evaluate` runs; other modules append theirs (e.g. dispatch_overdue).
RULES: list = [*DEFAULT_RULES, dispatch_overdue_rule]
# Within a severity, the alerts about readiness come before those about single lots.
KIND_ORDER = ("shortfall", "bases_below_target", "dispatch_overdue", "below_minimum", "expired",
              "check_overdue", "agreement_expiring", "preposition_below_target", "expiring")
SEVERITY_RANK = {AlertSeverity.INFO: 0, AlertSeverity.WARNING: 1, AlertSeverity.CRITICAL: 2}


@dataclass(frozen=True)
class Evaluation:
    """What one evaluation changed."""

    opened: int
    updated: int
    reopened: int
    resolved: int


def _apply(alert: Alert, candidate: AlertCandidate) -> None:
    alert.kind = AlertKind(candidate.kind)
    alert.severity = AlertSeverity(candidate.severity)
    alert.message = candidate.message
    alert.params = dict(candidate.params)
    alert.value = candidate.value
    for name in ("unit_id", "depot_id", "item_id", "lot_code", "agreement_code", "order_code"):
        setattr(alert, name, getattr(candidate, name))


def _reopen(alert: Alert, now: datetime) -> None:
    alert.state = AlertState.OPEN
    alert.first_seen_at = now
    alert.acknowledged_at = alert.acknowledged_by_id = None
    alert.resolved_at = alert.resolved_by_id = None


def _upsert(session: Session, found: dict[str, AlertCandidate], now: datetime) -> Evaluation:
    live = {a.dedup_key: a for a in session.scalars(
        sa.select(Alert).where(Alert.state != AlertState.RESOLVED))}
    keys = [key for key in found if key not in live]
    for start in range(0, len(keys), 500):
        for alert in session.scalars(sa.select(Alert).where(
                Alert.dedup_key.in_(keys[start:start + 500]))):
            live[alert.dedup_key] = alert
    opened = updated = reopened = resolved = 0
    for key, candidate in found.items():
        alert = live.get(key)
        if alert is None:
            alert = Alert(dedup_key=key, state=AlertState.OPEN, first_seen_at=now)
            session.add(alert)
            opened += 1
        elif alert.state is AlertState.RESOLVED or (
                alert.state is AlertState.ACKNOWLEDGED and SEVERITY_RANK[
                    AlertSeverity(candidate.severity)] > SEVERITY_RANK[alert.severity]):
            _reopen(alert, now)
            reopened += 1
        else:
            updated += 1
        _apply(alert, candidate)
        alert.last_seen_at = now
    for key, alert in live.items():
        if key not in found and alert.state is not AlertState.RESOLVED:
            alert.state, alert.resolved_at, alert.resolved_by_id = AlertState.RESOLVED, now, None
            resolved += 1
    return Evaluation(opened, updated, reopened, resolved)


def evaluate(session: Session, *, today: date, now: datetime, trigger: str = "cli",
             rules: list | None = None, season: str = AUTO) -> Evaluation:
    """Run every rule, upsert alerts by dedup key, resolve the ones whose cause is gone
    (`season`: the INVENTORY_SEASON setting the shortfall rule reads the norms in)."""
    watermark = session.scalar(sa.select(sa.func.max(Movement.id))) or 0
    found = collect(RULES if rules is None else rules, session, today=today, now=now,
                    season=season)
    result = _upsert(session, found, now)
    session.add(AlertRun(started_at=now, trigger=trigger, movement_watermark=watermark,
                         opened=result.opened + result.reopened, resolved=result.resolved))
    session.flush()
    return result


def last_run(session: Session) -> AlertRun | None:
    return session.scalar(sa.select(AlertRun).order_by(AlertRun.id.desc()).limit(1))


def is_stale(session: Session, *, now: datetime, min_interval_seconds: float) -> bool:
    """True when alerts should be re-evaluated before they are read (see module doc)."""
    run = last_run(session)
    if run is None:
        return True
    started = as_utc(run.started_at)
    if started.date() < now.date():
        return True
    if now - started < timedelta(seconds=min_interval_seconds):
        return False
    moved = (session.scalar(sa.select(sa.func.max(Movement.id))) or 0) > run.movement_watermark
    return moved or run.stale


def refresh_if_stale(session: Session, *, today: date, now: datetime,
                     min_interval_seconds: float, season: str = AUTO) -> bool:
    """Re-evaluate when stale; returns whether it did (the caller commits)."""
    if min_interval_seconds < 0 or not is_stale(session, now=now,
                                                min_interval_seconds=min_interval_seconds):
        return False
    evaluate(session, today=today, now=now, trigger="lazy", season=season)
    return True


def mark_stale(session: Session) -> None:
    """After an edit that changes what the rules see (agreements, minimums, norms, targets)."""
    run = last_run(session)
    if run is not None:
        run.stale = True
        session.flush()


def acknowledge(session: Session, alert: Alert, *, user: User, now: datetime) -> Alert:
    """Open → acknowledged (who and when); raises InvalidTransition otherwise."""
    if alert.state is not AlertState.OPEN:
        raise InvalidTransition(N_("Only an open alert can be acknowledged."))
    alert.state, alert.acknowledged_at, alert.acknowledged_by_id = (
        AlertState.ACKNOWLEDGED, now, user.id)
    session.flush()
    return alert


def resolve(session: Session, alert: Alert, *, user: User, now: datetime) -> Alert:
    """Close an alert by hand; the rules re-open it if the condition is still there."""
    if alert.state is AlertState.RESOLVED:
        raise InvalidTransition(N_("The alert is already resolved."))
    alert.state, alert.resolved_at, alert.resolved_by_id = AlertState.RESOLVED, now, user.id
    session.flush()
    return alert


def visible(user: User | None) -> sa.ColumnElement[bool]:
    """Alerts about units in the user's area (unscoped users also see unit-less alerts);
    `None` stands for the system (every alert)."""
    path = access.scope_path(user) if user is not None else None
    if path is None:
        return sa.true()
    return Alert.unit_id.in_(sa.select(Unit.id).where(in_subtree(path)))


def alert_query(user: User, *, kind: str | None = None, severity: str | None = None,
                state: str | None = None, unit: Unit | None = None) -> sa.Select:
    """Alerts the user may see, filtered, most severe and most recent first."""
    stmt = sa.select(Alert).where(visible(user))
    if kind:
        stmt = stmt.where(Alert.kind == AlertKind(kind))
    if severity:
        stmt = stmt.where(Alert.severity == AlertSeverity(severity))
    if state:
        stmt = stmt.where(Alert.state == AlertState(state))
    if unit is not None:
        stmt = stmt.where(Alert.unit_id.in_(sa.select(Unit.id).where(in_subtree(unit.path))))
    rank = sa.case({"critical": 0, "warning": 1, "info": 2}, value=Alert.severity, else_=3)
    kind_rank = sa.case({kind: n for n, kind in enumerate(KIND_ORDER)}, value=Alert.kind,
                        else_=len(KIND_ORDER))
    return stmt.order_by(rank, kind_rank, Alert.last_seen_at.desc(), Alert.id.desc())


def get_visible(session: Session, user: User, alert_id: int) -> Alert:
    """The alert if the user may see it; raises NotFound (also for ids beyond any integer)."""
    alert = None if alert_id >= 2**63 else session.scalar(
        alert_query(user).where(Alert.id == alert_id))
    if alert is None:
        raise NotFound(N_("Alert %(code)s not found."), code=alert_id)
    return alert


def open_count(session: Session, user: User | None) -> int:
    """Open alerts in the user's area (the navigation badge)."""
    return session.scalar(sa.select(sa.func.count(Alert.id)).where(
        Alert.state == AlertState.OPEN, visible(user))) or 0


def message_params(alert: Alert, locale: str) -> dict:
    """The alert's message parameters with the item named in `locale` (English name for
    "en" where the catalogue has one), for the list, the API and the overview."""
    params = dict(alert.params or {})
    code = params.get("item_code")
    item = alert.item
    if code and item is not None and item.code == code:
        params["item"] = item.display_name(locale)
    return params


def take_snapshots(session: Session, *, today: date, now: datetime, season: str = AUTO) -> int:
    """Store today's readiness per active unit (replacing today's earlier snapshot), with
    the norms of `season` (the INVENTORY_SEASON setting)."""
    existing = {s.unit_id: s for s in session.scalars(
        sa.select(ReadinessSnapshot).where(ReadinessSnapshot.taken_on == today))}
    count = 0
    for unit in session.scalars(sa.select(Unit).where(Unit.is_active).order_by(Unit.path)):
        result = readiness_load.load(session, unit, on=today, season=season).readiness
        limiting = next((line.item_id for line in result.items
                         if line.item_code == result.limiting_item_code), None)
        snapshot = existing.get(unit.id) or ReadinessSnapshot(unit_id=unit.id, taken_on=today)
        snapshot.target_people = result.target_people
        snapshot.people_coverable = result.people_coverable
        snapshot.people_coverable_with_agreements = result.people_coverable_with_agreements
        snapshot.limiting_item_id = limiting
        snapshot.created_at = now
        session.add(snapshot)
        count += 1
    session.flush()
    return count
