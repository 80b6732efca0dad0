"""Distribution to households (发放): issue movements from a shelter or community depot,
one record per household with its head, masked ID number and size (台账, 严发放)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import (Balance, DisasterEvent, Depot, Distribution, DistributionLine, Item,
                              Lot, Unit, User)
from inventory.services import access, catalog, movements
from inventory.services.access import Permission
from inventory.services.errors import N_, InsufficientStock, field_error
from inventory.services.events import next_code, require_active
from inventory.services.movements import Actor
from inventory.services.queries import available_lot, expired

_ID_NUMBER = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_MASKED = re.compile(r"^\d{4}\*{7,10}[\dX]{4}$")


def mask_id_number(raw: str) -> str:
    """Keep the first and last four characters of a resident ID number, star the rest:
    150602199001011234 → 1506**********1234. Only this masked form is ever stored."""
    value = re.sub(r"\s+", "", raw or "").upper()
    if _MASKED.match(value) and len(value) in (15, 18):
        return value
    if not _ID_NUMBER.match(value):
        raise field_error("id_number", N_("Enter the 18-digit resident ID number (15 digits for "
                                          "an old card)."))
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def _draw(session: Session, depot: Depot, item: Item, quantity: int,
          today: date) -> list[tuple[Balance, int]]:
    """Free, usable stock of the item at the depot, first-expired-first-out, the depot's own
    unit's stock first; raises InsufficientStock when there is not enough."""
    rows = session.scalars(
        sa.select(Balance).join(Lot, Balance.lot_id == Lot.id).join(Unit, Balance.owner_id == Unit.id)
        .where(Balance.depot_id == depot.id, Lot.item_id == item.id,
               Balance.quantity > Balance.reserved, available_lot(), ~expired(today))
        .order_by(Lot.expiry_date.is_(None), Lot.expiry_date, Unit.id != depot.unit_id,
                  Lot.lot_code, Balance.id)).all()
    taken, remaining = [], quantity
    for balance in rows:
        take = min(remaining, balance.quantity - balance.reserved)
        if take > 0:
            taken.append((balance, take))
            remaining -= take
        if remaining == 0:
            return taken
    raise InsufficientStock(N_("Only %(available)s of %(item)s are free at %(depot)s; "
                               "%(requested)s asked."), available=quantity - remaining,
                            item=item, depot=depot.name, requested=quantity)


def _check(household_head: str, household_size: int, lines: Sequence[tuple[Item, int]]) -> None:
    if not (household_head or "").strip():
        raise field_error("household_head", N_("This field is required."))
    if not isinstance(household_size, int) or household_size < 1:
        raise field_error("household_size", N_("Quantity must be a whole number above zero."))
    catalog.check_item_lines(lines, empty=N_("Fill in at least one line."))


def distribute(session: Session, user: User, *, event: DisasterEvent, depot: Depot,
               household_head: str, id_number: str, household_size: int,
               lines: Sequence[tuple[Item, int]], request_id: str, now: datetime,
               note: str = "") -> Distribution:
    """Record goods handed to one household and issue them from `depot` (FEFO).

    A repeated `request_id` (a double submit) returns the first record unchanged.
    Raises InvalidInput, InsufficientStock, Forbidden, InvalidTransition (closed event).
    """
    access.require(user, Permission.BOOK_STOCK)
    access.require_depot(user, depot)
    existing = session.scalar(sa.select(Distribution).where(Distribution.request_id == request_id))
    if existing is not None:
        return existing
    require_active(event)
    _check(household_head, household_size, lines)
    record = Distribution(code=next_code(session, "DS", now), event=event,
                          depot=depot, household_head=household_head.strip()[:100],
                          id_number_masked=mask_id_number(id_number),
                          household_size=household_size, distributed_at=now,
                          note=(note or "")[:500], request_id=request_id, created_by_id=user.id)
    session.add(record)
    session.flush()
    number = 0
    for item, quantity in lines:
        for balance, take in _draw(session, depot, item, quantity, now.date()):
            number += 1
            actor = Actor(user=user, request_id=f"{request_id}#{number}",
                          reason=f"{record.code} {record.household_head}")
            movement = movements.issue(session, actor, lot=balance.lot, depot=depot,
                                       owner=balance.owner, quantity=take, now=now)
            record.lines.append(DistributionLine(item=item, lot=balance.lot,
                                                 owner_id=balance.owner_id, quantity=take,
                                                 movement_id=movement.id))
    session.flush()
    return record


def visible_distributions(user: User, event: DisasterEvent) -> sa.Select:
    """The event's distributions at depots in the user's area, newest first."""
    stmt = sa.select(Distribution).where(Distribution.event_id == event.id)
    if access.scope_path(user) is not None:
        stmt = stmt.where(Distribution.depot_id.in_(
            sa.select(Depot.id).join(Unit, Depot.unit_id == Unit.id).where(access.unit_filter(user))))
    return stmt.order_by(Distribution.distributed_at.desc(), Distribution.id.desc())
