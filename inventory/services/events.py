"""Disaster events (灾情事件): record, list, close; and the business codes of dispatch records."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inventory.models import (CodeSequence, DisasterEvent, DisasterEventArea, DispatchOrder,
                              EventStatus, EventType, OrderStatus, Unit, User)
from inventory.services import access
from inventory.services.access import Permission
from inventory.services.errors import N_, InvalidTransition, NotFound, field_error
from inventory.services.queries import text_search
from inventory.services.users import audit

LIVE_ORDER_STATUSES = (OrderStatus.APPROVED, OrderStatus.PICKING, OrderStatus.DISPATCHED)


def next_code(session: Session, prefix: str, now: datetime) -> str:
    """The next readable code of the day, e.g. DO20260701-003, from an atomic counter."""
    stem = f"{prefix}{now:%Y%m%d}-"
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (insert(CodeSequence).values(stem=stem, last=1)
            .on_conflict_do_update(index_elements=["stem"], set_={"last": CodeSequence.last + 1})
            .returning(CodeSequence.last))
    return f"{stem}{session.execute(stmt).scalar_one():03d}"


def create_event(session: Session, user: User, *, name: str, unit: Unit, started_at: datetime,
                 now: datetime, code: str | None = None, type: EventType = EventType.OTHER,
                 response_level: int | None = None, affected_people: int = 0,
                 relocated_people: int = 0, areas: Sequence[Unit] = (),
                 note: str = "", status: EventStatus = EventStatus.ACTIVE) -> DisasterEvent:
    """Record a disaster affecting `unit` (and `areas`); dispatchers and bureau users only."""
    access.require(user, Permission.DISPATCH)
    access.require_unit(user, unit)
    for area in areas:
        access.require_unit(user, area)
    if code and session.scalar(sa.select(DisasterEvent.id).where(DisasterEvent.code == code)):
        raise field_error("code", N_("Code %(code)s is already used."), code=code)
    event = DisasterEvent(code=code or next_code(session, "EV", now), name=name,
                          type=type, unit=unit, started_at=started_at,
                          response_level=response_level, affected_people=affected_people or 0,
                          relocated_people=relocated_people or 0, note=note or "",
                          status=status, created_by_id=user.id, created_at=now,
                          closed_at=now if status is EventStatus.CLOSED else None)
    session.add(event)
    session.flush()
    for area in {a.id: a for a in areas if a.id != unit.id}.values():
        session.add(DisasterEventArea(event_id=event.id, unit_id=area.id))
    session.flush()
    audit(session, action="event.create", actor=user, subject=f"event:{event.code}", now=now,
          detail=f"unit={unit.code} type={type}")
    return event


def update_figures(session: Session, user: User, event: DisasterEvent, *, now: datetime,
                   **figures: int | None) -> DisasterEvent:
    """Update the response level and people figures as reports come in."""
    access.require(user, Permission.DISPATCH)
    access.require_unit(user, event.unit)
    for key in ("response_level", "affected_people", "relocated_people"):
        if key in figures:
            setattr(event, key, figures[key] if key == "response_level" else figures[key] or 0)
    session.flush()
    audit(session, action="event.update", actor=user, subject=f"event:{event.code}", now=now,
          detail=", ".join(f"{k}={v}" for k, v in figures.items()))
    return event


def close_event(session: Session, user: User, event: DisasterEvent, *,
                now: datetime) -> DisasterEvent:
    """Close an event once none of its orders is still under way."""
    access.require(user, Permission.DISPATCH)
    access.require_unit(user, event.unit)
    if event.status is EventStatus.CLOSED:
        raise InvalidTransition(N_("Event %(code)s is already closed."), code=event.code)
    live = session.scalar(sa.select(sa.func.count(DispatchOrder.id)).where(
        DispatchOrder.event_id == event.id, DispatchOrder.status.in_(LIVE_ORDER_STATUSES)))
    if live:
        raise InvalidTransition(N_("%(n)s orders of this event are still under way; "
                                   "receive or cancel them first."), n=live)
    event.status, event.closed_at = EventStatus.CLOSED, now
    session.flush()
    audit(session, action="event.close", actor=user, subject=f"event:{event.code}", now=now)
    return event


def visible_events(user: User) -> sa.Select:
    """Events whose main unit or an affected area lies in the user's area or covers it (a
    district's flood concerns its communities), newest first."""
    stmt = sa.select(DisasterEvent)
    path = access.scope_path(user)
    if path is not None:
        units = sa.select(Unit.id).where(sa.or_(access.unit_filter(user),
                                                sa.literal(path).like(Unit.path + "%")))
        areas = sa.select(DisasterEventArea.event_id).where(DisasterEventArea.unit_id.in_(units))
        stmt = stmt.where(sa.or_(DisasterEvent.unit_id.in_(units), DisasterEvent.id.in_(areas)))
    return stmt.order_by(DisasterEvent.started_at.desc(), DisasterEvent.id.desc())


def find_events(user: User, *, status: str | None = None, q: str | None = None) -> sa.Select:
    """The user's visible events, with the list filters of the page and the API: a status
    and text found in the name or code."""
    stmt = visible_events(user)
    if status:
        stmt = stmt.where(DisasterEvent.status == status)
    if q:
        stmt = stmt.where(text_search(q, DisasterEvent.name, DisasterEvent.code))
    return stmt


def get_event(session: Session, user: User, code: str) -> DisasterEvent:
    """The event with this code if the user may see it; raises NotFound."""
    event = session.scalar(visible_events(user).where(DisasterEvent.code == code))
    if event is None:
        raise NotFound(N_("Event %(code)s not found."), code=code)
    return event


def require_active(event: DisasterEvent) -> None:
    if event.status is not EventStatus.ACTIVE:
        raise InvalidTransition(N_("Event %(code)s is closed."), code=event.code)
