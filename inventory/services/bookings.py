"""Bookings by business codes: what the API, the scan page and the lot page all call.

Resolves codes to models, checks the actor's scope once, makes replays of a request id
idempotent, and calls `services.movements`. Returns the movements, the resulting balances
and warnings (first-expired-first-out) for the keeper.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from sqlalchemy.orm import Session

from inventory.database import core
from inventory.models import (Balance, Depot, Item, Lot, LotSource, Movement, MovementKind,
                              RowReader, Unit, User)
from inventory.services import (access, catalog, dispatch_picking, holdings, line_checks,
                                movements, units)
from inventory.services.access import Permission
from inventory.services.errors import N_, DomainError, Forbidden, NotFound, field_error
from inventory.services.movements import Actor

# A keeper may undo their own booking within this many minutes; later, a bureau user reverses.
KEEPER_UNDO_MINUTES = 15


@dataclass(frozen=True)
class BalanceAfter:
    """A balance as a booking left it: the place (lot, depot, owner) and its figures."""

    lot: Lot
    depot: Depot
    owner: Unit
    quantity: int
    reserved: int

    @property
    def available(self) -> int:
        return self.quantity - self.reserved


@dataclass
class Booking:
    movements: list[Movement]
    balances: list[BalanceAfter] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    replayed: bool = False


def book(session: Session, user: User, command: dict[str, Any], *, now: datetime,
         request_hash: str) -> Booking:
    """Book one validated MovementIn command.

    Idempotency is enforced by the unique request id: a replay fails on insert and the
    caller answers it from `movements.find_replay` (see `api.movements.commit_booking`),
    so the usual, first-time booking pays no extra lookup. Everything is read before the
    first write, in two statements (depot and lot; what the depot holds of the item): on
    SQLite the write transaction holds the one write lock, so it is kept to the
    statements that change something.
    """
    kind = MovementKind(command["kind"])
    access.require(user, Permission.APPROVE_STOCK if kind is MovementKind.WRITE_OFF
                   else Permission.BOOK_STOCK)
    depot, lot, here = _depot_and_lot(session, user, command,
                                      lot_required=kind is not MovementKind.RECEIVE)
    actor = Actor(user=user, request_id=command["request_id"], request_hash=request_hash,
                  reason=command.get("reason") or "", order_code=command.get("order_code"))
    if command.get("order_code"):  # a pick for a dispatch order: its allocation decides
        booked, warnings = dispatch_picking.pick(session, actor, depot, command, now)
        result = booking_of(session, booked)  # read back: a pick may move a reservation
        result.warnings += warnings
        return result
    here, owner = _drawing_on(session, depot, lot, command, kind, here)
    hint = _fefo_warning(here, lot, now.date()) if kind is MovementKind.ISSUE else None
    booked = _HANDLERS[kind](session, actor, depot, lot, owner, command, now)
    result = booking_of(session, booked if isinstance(booked, list) else [booked],
                        known=actor.balances)
    result.warnings += [hint] if hint else []
    return result


def book_many(session: Session, user: User, commands: list[dict[str, Any]], *, request_id: str,
              now: datetime, request_hash: str) -> Booking:
    """Book several lines (a receiving note, a count sheet) in one transaction.

    Line n is booked under request id ``<request_id>#<n>``. Every line is checked (receipts
    first by `line_checks.receipt_problems`) and booked if it passes; when any line is
    refused, `LineErrors` names all of them and the caller rolls back, so nothing is booked.
    A replay fails on the unique request id, like `book`.
    """
    access.require(user, Permission.BOOK_STOCK)
    booked: list[Movement] = []
    known: dict[movements.Place, tuple[int, int]] = {}
    problems: dict[int, list[DomainError]] = {}
    depots: dict[str, Depot] = {}
    for number, command in enumerate(commands, start=1):
        code = command["depot_code"]
        if code not in depots:  # not a line's problem: the whole sheet is refused
            depots[code] = access.require_depot(user, units.get_depot(session, code))
        actor = Actor(user=user, request_id=f"{request_id}#{number}", request_hash=request_hash,
                      reason=command.get("reason") or "")
        found = (line_checks.receipt_problems(session, command, now.date())
                 if MovementKind(command["kind"]) is MovementKind.RECEIVE else [])
        try:
            result = [] if found else _book_line(session, actor, depots[code], command, now)
        except DomainError as error:
            found = [error]
        if found:
            problems[number] = found
            continue
        booked += result if isinstance(result, list) else [result]
        known.update(actor.balances)
    if problems:
        raise line_checks.LineErrors(problems)
    return booking_of(session, booked, known=known)


def _book_line(session: Session, actor: Actor, depot: Depot, command: dict[str, Any],
               now: datetime):
    """One line of `book_many`: its movement(s)."""
    kind = MovementKind(command["kind"])
    lot = _checked_lot(command, movements.get_lot(session, command["lot_code"])
                       if command.get("lot_code") else None,
                       required=kind is not MovementKind.RECEIVE)
    _, owner = _drawing_on(session, depot, lot, command, kind)
    return _HANDLERS[kind](session, actor, depot, lot, owner, command, now)


_DEPOT_AND_LOT = (
    sa.select(Depot, Lot).join(Depot.unit)
    .outerjoin(Lot, Lot.lot_code == sa.bindparam("lot")).outerjoin(Lot.item)
    .where(Depot.code == sa.bindparam("depot"))
    .options(sa.orm.contains_eager(Depot.unit), sa.orm.contains_eager(Lot.item)))

# The same read in Core, for bookings that are not picks: building four objects through the
# ORM's query machinery cost more than twice the statement (docs/benchmarks.md).
_DEPOTS, _UNITS = RowReader(Depot, "d_"), RowReader(Unit, "u_")
_LOTS, _ITEMS = RowReader(Lot, "l_"), RowReader(Item, "i_")
# Where each one's columns start in the row, and the holdings column after them all.
_AT_UNIT = len(_DEPOTS.columns)
_AT_LOT = _AT_UNIT + len(_UNITS.columns)
_AT_ITEM = _AT_LOT + len(_LOTS.columns)
_AT_HELD = _AT_ITEM + len(_ITEMS.columns)
_DEPOT, _UNIT, _LOT, _ITEM = (Depot.__table__, Unit.__table__, Lot.__table__, Item.__table__)


def _depot_and_lot_row(dialect: str) -> sa.Select:
    return (sa.select(*_DEPOTS.columns, *_UNITS.columns, *_LOTS.columns, *_ITEMS.columns,
                      holdings.held_column(dialect, depot_id=_DEPOT.c.id,
                                           item_id=_LOT.c.item_id).label("held"))
            .select_from(_DEPOT.join(_UNIT, _UNIT.c.id == _DEPOT.c.unit_id)
                         .outerjoin(_LOT, _LOT.c.lot_code == sa.bindparam("lot"))
                         .outerjoin(_ITEM, _ITEM.c.id == _LOT.c.item_id))
            .where(_DEPOT.c.code == sa.bindparam("depot")))


_DEPOT_AND_LOT_ROW = {name: _depot_and_lot_row(name) for name in ("sqlite", "postgresql")}


def _depot_and_lot(session: Session, user: User, command: dict[str, Any], *,
                   lot_required: bool) -> tuple[Depot, Lot | None, list[holdings.Held] | None]:
    """The depot (which must lie in the user's area) and the lot a command names, read in
    one statement with their unit and item, and what the depot holds of the item.

    A pick for a dispatch order gets them as the session's own objects (the pick links
    them to the order's allocations) and no holdings; any other booking only reads them,
    and gets them loaded but detached (`models.RowReader`).
    """
    params = {"depot": command["depot_code"], "lot": command.get("lot_code")}
    here = None
    if command.get("order_code"):
        depot, lot = session.execute(_DEPOT_AND_LOT, params).first() or (None, None)
    else:
        connection = core(session)
        row = connection.execute(_DEPOT_AND_LOT_ROW[connection.dialect.name], params).first()
        depot = row and _DEPOTS.instance(row, 0, unit=_UNITS.instance(row, _AT_UNIT))
        lot = row and _LOTS.instance(row, _AT_LOT, item=_ITEMS.instance(row, _AT_ITEM))
        here = holdings.held_from_json(row[_AT_HELD]) if row and lot else None
    if depot is None:
        raise NotFound(N_("Depot %(code)s not found."), code=command["depot_code"])
    return (access.require_depot(user, depot), _checked_lot(command, lot, required=lot_required),
            here)


def _checked_lot(command: dict[str, Any], lot: Lot | None, *, required: bool) -> Lot | None:
    """The lot found for `lot_code`, checked against `item_code`; None if there is none and
    it is not `required` (a receipt may create it); else NotFound."""
    if lot is None:
        if required:
            raise NotFound(N_("Lot %(code)s not found."), code=command.get("lot_code"))
        return None
    if command.get("item_code") and lot.item.code != command["item_code"]:
        raise field_error("item_code", N_("Lot %(lot)s belongs to another item."), lot=lot.lot_code)
    return lot


# Kinds that take stock of an owner already holding the lot here.
_DRAWING = frozenset({MovementKind.ISSUE, MovementKind.LOSS, MovementKind.SCRAP,
                      MovementKind.TRANSFER, MovementKind.COUNT})


def _drawing_on(session: Session, depot: Depot, lot: Lot | None, command: dict[str, Any],
                kind: MovementKind, here: list[holdings.Held] | None = None
                ) -> tuple[list[holdings.Held], Unit | None]:
    """What the depot holds of the lot's item, and the owner the booking draws on
    (receipts and write-offs draw on no one)."""
    if kind not in _DRAWING:
        return [], None
    if here is None:
        here = holdings.held(session, depot_id=depot.id, item_id=lot.item_id)
    return here, _owner(session, depot, lot, here, command, kind)


def _owner(session: Session, depot: Depot, lot: Lot, here: list[holdings.Held],
           command: dict[str, Any], kind: MovementKind) -> Unit:
    """The owner named; else the one holding the lot here (`holdings.drawn_owner`); else
    the depot's own unit."""
    if command.get("owner_code"):
        return units.get_unit(session, command["owner_code"])
    owner_id = holdings.drawn_owner(here, lot_id=lot.id, depot_unit_id=depot.unit_id,
                                    quantity=None if kind is MovementKind.COUNT
                                    else command["quantity"])
    return depot.unit if owner_id in (None, depot.unit_id) else session.get(Unit, owner_id)


def _fefo_warning(here: list[holdings.Held], lot: Lot, today: date) -> dict[str, Any] | None:
    other = holdings.earlier_lot(here, lot_id=lot.id, expiry_date=lot.expiry_date, today=today)
    if other is None:
        return None
    return {"type": "fefo", "lot_code": other.lot_code, "expiry_date": other.expiry_date,
            "message": N_("Lot %(lot)s of the same item expires earlier (%(date)s): issue it first."),
            "params": {"lot": other.lot_code, "date": other.expiry_date.isoformat()}}


# Handlers: (session, actor, depot, lot, owner drawn on or None, command, now) -> movement(s).

def _receive(session, actor: Actor, depot: Depot, lot: Lot | None, owner: Unit | None, command,
             now):
    if lot is None:
        if not command.get("item_code"):
            raise NotFound(N_("Lot %(code)s not found."), code=command.get("lot_code"))
        lot = movements.find_or_create_lot(
            session, item=catalog.get_item(session, command["item_code"]), now=now,
            lot_code=command.get("lot_code"), batch_no=command.get("batch_no") or "",
            expiry_date=command.get("expiry_date"), production_date=command.get("production_date"),
            source=command.get("source") or LotSource.PROCUREMENT,
            supplier=command.get("supplier") or "")
    # A receipt draws on no one: it names its owner or stocks the depot's own unit.
    owner = units.get_unit(session, command["owner_code"]) if command.get(
        "owner_code") else depot.unit
    if not (access.in_scope(actor.user, owner) or depot.unit.path.startswith(owner.path)):
        raise Forbidden(N_("Unit %(code)s is outside your area."), code=owner.code)
    return movements.receive(session, actor, lot=lot, depot=depot, owner=owner,
                             quantity=command["quantity"], now=now, source=command.get("source"))


def _outbound(kind: MovementKind):
    def handler(session, actor: Actor, depot: Depot, lot: Lot, owner: Unit, command, now):
        return movements.issue(session, actor, lot=lot, depot=depot, owner=owner, kind=kind,
                               quantity=command["quantity"], now=now,
                               allow_expired=command.get("confirm_expired", False))
    return handler


def _transfer(session, actor: Actor, depot: Depot, lot: Lot, owner: Unit, command, now):
    to_owner = units.get_unit(session, command["to_owner_code"]) if command.get(
        "to_owner_code") else None
    return movements.transfer(session, actor, lot=lot, depot=depot, owner=owner,
                              to_depot=units.get_depot(session, command["to_depot_code"]),
                              to_owner=to_owner, quantity=command["quantity"], now=now)


def _count(session, actor: Actor, depot: Depot, lot: Lot, owner: Unit, command, now):
    return movements.count(session, actor, lot=lot, depot=depot, owner=owner,
                           counted=command["quantity"], now=now)


def _write_off(session, actor: Actor, depot: Depot, lot: Lot, owner: Unit | None, command, now):
    """Approve whole recorded losses/scraps of the lot here, oldest first, to the quantity."""
    pending = pending_write_offs(session, lot=lot, depot=depot)
    chosen, total = [], 0
    for movement in pending:
        if total + movement.quantity <= command["quantity"]:
            chosen.append(movement)
            total += movement.quantity
    if not chosen or total != command["quantity"]:
        raise field_error("quantity", N_("Write off whole recorded losses or scraps; "
                                         "outstanding here: %(pending)s."),
                          pending=", ".join(str(m.quantity) for m in pending) or "0")
    return [movements.write_off(session, actor, movement=m, now=now, suffix=f"#{i}")
            for i, m in enumerate(chosen, start=1)]


_HANDLERS = {
    MovementKind.RECEIVE: _receive,
    MovementKind.ISSUE: _outbound(MovementKind.ISSUE),
    MovementKind.LOSS: _outbound(MovementKind.LOSS),
    MovementKind.SCRAP: _outbound(MovementKind.SCRAP),
    MovementKind.TRANSFER: _transfer,
    MovementKind.COUNT: _count,
    MovementKind.WRITE_OFF: _write_off,
}


def pending_write_offs(session: Session, *, lot: Lot | None = None, depot: Depot | None = None,
                       user: User | None = None) -> list[Movement]:
    """Losses and scraps not yet written off nor reversed, oldest first."""
    settled = sa.select(Movement.approves_id).where(
        Movement.approves_id.is_not(None),
        Movement.id.not_in(sa.select(Movement.reverses_id).where(Movement.reverses_id.is_not(None))))
    reversed_ids = sa.select(Movement.reverses_id).where(Movement.reverses_id.is_not(None))
    stmt = (sa.select(Movement).where(Movement.kind.in_([MovementKind.LOSS, MovementKind.SCRAP]),
                                      Movement.id.not_in(settled), Movement.id.not_in(reversed_ids))
            .order_by(Movement.created_at, Movement.id))
    if lot is not None:
        stmt = stmt.where(Movement.lot_id == lot.id)
    if depot is not None:
        stmt = stmt.where(Movement.from_depot_id == depot.id)
    if user is not None and access.scope_path(user) is not None:
        stmt = stmt.where(Movement.from_depot_id.in_(
            sa.select(Depot.id).join(Depot.unit).where(access.unit_filter(user))))
    return list(session.scalars(stmt))


def approve_write_offs(session: Session, user: User, pending: list[Movement], *, request_id: str,
                       reason: str, now: datetime, request_hash: str) -> Booking:
    """Approve chosen losses/scraps (核销) in one transaction; bureau users only."""
    access.require(user, Permission.APPROVE_STOCK)
    approved = []
    for number, movement in enumerate(pending, start=1):
        access.require_depot(user, movement.from_depot)
        actor = Actor(user=user, request_id=request_id, request_hash=request_hash, reason=reason)
        approved.append(movements.write_off(session, actor, movement=movement, now=now,
                                            suffix=f"#{number}"))
    return Booking(movements=approved)


def reverse(session: Session, user: User, *, movement_id: int, request_id: str, reason: str,
            request_hash: str, now: datetime) -> Booking:
    """Reverse a movement (bureau users; keepers only their own, within KEEPER_UNDO_MINUTES)."""
    original = session.get(Movement, movement_id)
    if original is None:
        raise NotFound(N_("Movement %(id)s not found."), id=movement_id)
    _check_may_reverse(user, original, now)
    actor = Actor(user=user, request_id=request_id, request_hash=request_hash, reason=reason)
    if original.order_code:  # a pick: the order's allocation and reservation change too
        reversal = dispatch_picking.reverse_pick(session, actor, movement=original, now=now)
    else:
        reversal = movements.reverse(session, actor, movement=original, now=now)
    return booking_of(session, [reversal], known=actor.balances)


def _check_may_reverse(user: User, original: Movement, now: datetime) -> None:
    for depot in (original.from_depot, original.to_depot):
        if depot is not None:
            access.require_depot(user, depot)
    if access.can(user, Permission.APPROVE_STOCK):
        return
    access.require(user, Permission.BOOK_STOCK)
    created = original.created_at if original.created_at.tzinfo else original.created_at.replace(
        tzinfo=now.tzinfo)
    if original.actor_id != user.id or now - created > timedelta(minutes=KEEPER_UNDO_MINUTES):
        raise Forbidden(N_("You can undo only your own bookings of the last %(minutes)s minutes; "
                           "ask a bureau officer to reverse this one."), minutes=KEEPER_UNDO_MINUTES)


def fefo_hint(session: Session, lot: Lot, depot: Depot, today: date) -> dict[str, Any] | None:
    """An earlier-expiring, unexpired lot of the same item with stock in this depot, if any."""
    return _fefo_warning(holdings.held(session, depot_id=depot.id, item_id=lot.item_id), lot,
                         today)


_BALANCE = Balance.__table__
_FIGURES = sa.select(_BALANCE.c.quantity, _BALANCE.c.reserved).where(
    _BALANCE.c.lot_id == sa.bindparam("lot"), _BALANCE.c.depot_id == sa.bindparam("depot"),
    _BALANCE.c.owner_id == sa.bindparam("owner"))


def booking_of(session: Session, booked: list[Movement], replayed: bool = False, *,
               known: dict[movements.Place, tuple[int, int]] | None = None) -> Booking:
    """The movements with the balances they left behind.

    `known` holds the figures the booking's own statements returned (`Actor.balances`);
    any other place (a replay) is read from the database.
    """
    places = {}
    for m in booked:
        for depot, owner in ((m.from_depot, m.from_owner), (m.to_depot, m.to_owner)):
            if depot is not None:
                places[(m.lot_id, depot.id, owner.id)] = (m.lot, depot, owner)
    balances = []
    for place in sorted(places):
        figures = (known or {}).get(place) or session.execute(
            _FIGURES, dict(zip(("lot", "depot", "owner"), place))).first()
        if figures is not None:
            balances.append(BalanceAfter(*places[place], quantity=figures[0], reserved=figures[1]))
    return Booking(movements=booked, balances=balances, replayed=replayed)
