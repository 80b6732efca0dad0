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
from sqlalchemy.orm import Session, selectinload

from inventory.models import (Alert, AlertKind, AlertRun, AlertSeverity, AlertState, Movement,
                              ReadinessSnapshot, Unit, User)
from inventory.models.base import as_utc
from inventory.services import access, readiness_many
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


# What a rule decides about an alert; compared with the stored row to skip unchanged ones.
FIELDS = ("kind", "severity", "message", "params", "value", "unit_id", "depot_id", "item_id",
          "lot_code", "agreement_code", "order_code")
STORED = [Alert.id, Alert.dedup_key, Alert.state, *(getattr(Alert, name) for name in FIELDS)]


def _values(candidate: AlertCandidate) -> dict:
    values = {name: getattr(candidate, name) for name in FIELDS}
    values.update(kind=AlertKind(candidate.kind), severity=AlertSeverity(candidate.severity),
                  params=dict(candidate.params))
    return values


def _reopened(now: datetime) -> dict:
    return {"state": AlertState.OPEN, "first_seen_at": now, "acknowledged_at": None,
            "acknowledged_by_id": None, "resolved_at": None, "resolved_by_id": None}


def _stored(session: Session, found: dict[str, AlertCandidate]) -> dict[str, sa.Row]:
    """Live alerts, and resolved ones whose condition is back, as plain rows by key."""
    rows = {row.dedup_key: row for row in session.execute(
        sa.select(*STORED).where(Alert.state != AlertState.RESOLVED))}
    keys = [key for key in found if key not in rows]
    for start in range(0, len(keys), 500):
        rows.update((row.dedup_key, row) for row in session.execute(
            sa.select(*STORED).where(Alert.dedup_key.in_(keys[start:start + 500]))))
    return rows


def _upsert(session: Session, found: dict[str, AlertCandidate], now: datetime) -> Evaluation:
    """Write the evaluation in bulk statements: new alerts inserted, changed ones updated,
    vanished ones resolved, and every live one's last_seen_at set in one UPDATE. Alerts
    seen again unchanged cost no statement of their own (at 600,000 balances the expiry
    rule alone finds about 150,000 of them on every evaluation)."""
    stored = _stored(session, found)
    inserts, changes = [], []
    opened = updated = reopened = 0
    for key, candidate in found.items():
        values, row = _values(candidate), stored.get(key)
        if row is None:
            inserts.append({"dedup_key": key, "first_seen_at": now, "last_seen_at": now,
                            **_reopened(now), **values})
            opened += 1
        elif row.state is AlertState.RESOLVED or (
                row.state is AlertState.ACKNOWLEDGED
                and SEVERITY_RANK[values["severity"]] > SEVERITY_RANK[row.severity]):
            changes.append({"id": row.id, **_reopened(now), **values})
            reopened += 1
        else:
            updated += 1
            if any(getattr(row, name) != value for name, value in values.items()):
                changes.append({"id": row.id, **values})
    gone = [row.id for key, row in stored.items()
            if key not in found and row.state is not AlertState.RESOLVED]
    if inserts:
        session.execute(sa.insert(Alert), inserts)
    if changes:
        session.execute(sa.update(Alert), changes)
    for start in range(0, len(gone), 500):
        session.execute(sa.update(Alert).where(Alert.id.in_(gone[start:start + 500]))
                        .values(state=AlertState.RESOLVED, resolved_at=now, resolved_by_id=None)
                        .execution_options(synchronize_session=False))
    session.execute(sa.update(Alert).where(Alert.state != AlertState.RESOLVED)
                    .values(last_seen_at=now).execution_options(synchronize_session=False))
    for instance in list(session.identity_map.values()):  # loaded before: read them again
        if isinstance(instance, Alert):
            session.expire(instance)
    return Evaluation(opened, updated, reopened, len(gone))


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
    """Alerts the user may see, filtered, most severe and most recent first; with the
    unit, depot and item every list shows (one query each for a page, not one per alert)."""
    stmt = sa.select(Alert).where(visible(user)).options(
        selectinload(Alert.unit), selectinload(Alert.depot), selectinload(Alert.item))
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
    units = list(session.scalars(sa.select(Unit).where(Unit.is_active).order_by(Unit.path)))
    reports = readiness_many.load_many(session, units, on=today, season=season)
    for unit in units:
        result = reports[unit.id].readiness
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
