"""The one-screen overview (一屏观全域): what a leader needs at a glance, in few queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from inventory.models import (Alert, AlertSeverity, AlertState, Balance, Depot, DisasterEvent,
                              DisasterEventArea, DispatchOrder, EventStatus, Lot, Movement,
                              OrderStatus, Unit, User)
from inventory.services import access, alerts, events, readiness_load, stock
from inventory.services.queries import in_subtree
from inventory.services.readiness_load import ReadinessReport

SEVERITY_RANK = {AlertSeverity.CRITICAL: 2, AlertSeverity.WARNING: 1, AlertSeverity.INFO: 0}


@dataclass
class UnitState:
    unit: Unit
    pieces_held: int          # at the unit's own depots (where stock sits)
    worst_alert: AlertSeverity | None


@dataclass
class EventState:
    event: DisasterEvent
    orders_by_status: dict[str, int] = field(default_factory=dict)


@dataclass
class Overview:
    unit: Unit
    readiness: ReadinessReport
    headline: stock.Headline
    units: list[UnitState]
    alerts_by_severity: dict[AlertSeverity, int]
    top_alerts: list[Alert]
    events: list[EventState]
    recent: list[Movement]


def build(session: Session, user: User, unit: Unit, *, today: date, recent: int = 8,
          top: int = 6, season: str = "auto") -> Overview:
    """Readiness (norms of `season`, the INVENTORY_SEASON setting), the unit tree with stock
    and alert state, alerts, events, recent moves."""
    return Overview(
        unit=unit, readiness=readiness_load.load(session, unit, on=today, season=season),
        headline=stock.headline(session, user, today=today, unit=unit),
        units=_units(session, user, unit),
        alerts_by_severity=_alert_counts(session, user, unit),
        top_alerts=list(session.scalars(alerts.alert_query(user, state="open", unit=unit)
                                        .limit(top))),
        events=_events(session, user, unit), recent=_recent(session, user, unit, recent))


def _units(session: Session, user: User, root: Unit) -> list[UnitState]:
    tree = [u for u in stock.unit_tree(session, user) if u.path.startswith(root.path)]
    held = dict(session.execute(
        sa.select(Depot.unit_id, sa.func.sum(Balance.quantity))
        .join(Balance, Balance.depot_id == Depot.id)
        .where(Depot.unit_id.in_([u.id for u in tree])).group_by(Depot.unit_id)).all())
    worst: dict[int, AlertSeverity] = {}
    for unit_id, severity in session.execute(
            sa.select(Alert.unit_id, Alert.severity).where(
                Alert.state == AlertState.OPEN, Alert.unit_id.in_([u.id for u in tree]))
            .distinct()):
        if unit_id not in worst or SEVERITY_RANK[severity] > SEVERITY_RANK[worst[unit_id]]:
            worst[unit_id] = severity
    return [UnitState(u, int(held.get(u.id) or 0), worst.get(u.id)) for u in tree]


def _alert_counts(session: Session, user: User, unit: Unit) -> dict[AlertSeverity, int]:
    """Open alerts about the unit's subtree (that the user may see), per severity."""
    rows = session.execute(sa.select(Alert.severity, sa.func.count(Alert.id))
                           .where(Alert.state == AlertState.OPEN, alerts.visible(user),
                                  Alert.unit_id.in_(sa.select(Unit.id)
                                                    .where(in_subtree(unit.path))))
                           .group_by(Alert.severity))
    counts = {severity: 0 for severity in AlertSeverity}
    counts.update({AlertSeverity(s): int(n) for s, n in rows})
    return counts


def _events(session: Session, user: User, unit: Unit) -> list[EventState]:
    """Active events whose main unit or an affected area lies in the unit's subtree or
    covers it (as events.visible_events does for a user's area)."""
    units = sa.select(Unit.id).where(sa.or_(in_subtree(unit.path),
                                            sa.literal(unit.path).like(Unit.path + "%")))
    areas = sa.select(DisasterEventArea.event_id).where(DisasterEventArea.unit_id.in_(units))
    active = list(session.scalars(
        events.visible_events(user)
        .where(DisasterEvent.status == EventStatus.ACTIVE,
               sa.or_(DisasterEvent.unit_id.in_(units), DisasterEvent.id.in_(areas)))
        .limit(5)))
    states = [EventState(event) for event in active]
    if active:
        counts = session.execute(
            sa.select(DispatchOrder.event_id, DispatchOrder.status, sa.func.count())
            .where(DispatchOrder.event_id.in_([e.id for e in active]))
            .group_by(DispatchOrder.event_id, DispatchOrder.status))
        by_event = {state.event.id: state for state in states}
        for event_id, status, n in counts:
            by_event[event_id].orders_by_status[OrderStatus(status).value] = int(n)
    return states


def _recent(session: Session, user: User, unit: Unit, limit: int) -> list[Movement]:
    depots = (sa.select(Depot.id).join(Unit, Depot.unit_id == Unit.id)
              .where(access.unit_filter(user), in_subtree(unit.path)))
    return list(session.scalars(
        sa.select(Movement).options(selectinload(Movement.lot).selectinload(Lot.item),
                                    selectinload(Movement.from_depot),
                                    selectinload(Movement.to_depot))
        .where(sa.or_(Movement.to_depot_id.in_(depots), Movement.from_depot_id.in_(depots)))
        .order_by(Movement.id.desc()).limit(limit)))
