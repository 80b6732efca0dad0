"""Every change of quantity: a ledger row plus a conditional balance update, one transaction.

Each function writes its statements at once and never commits; the caller (a view or CLI
command) commits once. Quantities are never read, modified and written back: balances
change through ``UPDATE ... SET quantity = quantity - :q WHERE quantity - reserved >= :q``
(or an upsert for credits), so concurrent scans of the same lot cannot overdraw it.

The statements are plain SQL expressions on the tables, built once at import: on the scan
path building and flushing ORM objects cost several times more than the statements
themselves (see docs/benchmarks.md).
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from inventory.database import core
from inventory.models import (Balance, Depot, Item, Lot, LotSource, Movement, MovementKind, Unit,
                              User, loaded)
from inventory.services.errors import (N_, DomainError, IdempotencyConflict, InsufficientStock,
                                       field_error)

OUTBOUND_KINDS = (MovementKind.ISSUE, MovementKind.LOSS, MovementKind.SCRAP)


class ExpiredLot(DomainError):
    status = 409
    slug = "expired-lot"
    title = N_("The lot has expired")


Place = tuple[int, int, int]  # (lot_id, depot_id, owner_id): one balance


@dataclass(frozen=True)
class Actor:
    """Who books, and the request that carries the booking.

    `balances` collects what each balance statement of the booking left, place →
    (quantity, reserved), read back with RETURNING: every statement here that changes a
    balance records it, so the answer needs no second read inside the write transaction.
    """

    user: User | None
    request_id: str
    request_hash: str = ""
    reason: str = ""
    order_code: str | None = None
    balances: dict[Place, tuple[int, int]] = field(default_factory=dict, compare=False,
                                                   repr=False)

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None


def new_request_id() -> str:
    return str(uuid.uuid4())


def system_actor(reason: str = "", user: User | None = None) -> Actor:
    """An Actor for server-side bookings (demo data, imports) with a fresh request id."""
    return Actor(user=user, request_id=new_request_id(), reason=reason)


# --- lots -----------------------------------------------------------------------------------

_LOT_BY_CODE = sa.select(Lot).where(Lot.lot_code == sa.bindparam("code")).options(joinedload(Lot.item))


def get_lot(session: Session, lot_code: str) -> Lot | None:
    """The lot with this code (its item loaded too), or None."""
    return session.scalar(_LOT_BY_CODE, {"code": lot_code})


def make_lot_code(item: Item, batch_no: str) -> str:
    """Item code plus the supplier's batch, e.g. 1020101-2026A (what a label will encode)."""
    cleaned = re.sub(r"[^0-9A-Za-z._-]+", "", batch_no.upper())[:40] or uuid.uuid4().hex[:8].upper()
    return f"{item.code}-{cleaned}"


def find_or_create_lot(session: Session, *, item: Item, now: datetime, lot_code: str | None = None,
                       batch_no: str = "", expiry_date: date | None = None,
                       production_date: date | None = None,
                       source: LotSource = LotSource.PROCUREMENT, supplier: str = "") -> Lot:
    """The lot with this code (checked against the item and expiry) or a new one."""
    code = lot_code or make_lot_code(item, batch_no)
    lot = get_lot(session, code)
    if lot is not None:
        if lot.item_id != item.id:
            raise field_error("lot_code", N_("Lot %(lot)s belongs to another item."), lot=code)
        if expiry_date is not None and lot.expiry_date not in (None, expiry_date):
            raise field_error("expiry_date", N_("Lot %(lot)s already has expiry date %(date)s."),
                              lot=code, date=lot.expiry_date.isoformat())
        return lot
    if item.shelf_life_days and expiry_date is None:
        raise field_error("expiry_date", N_("Item %(item)s has a shelf life: give the expiry date."),
                          item=item.code)
    lot = Lot(lot_code=code, item=item, batch_no=batch_no or "", expiry_date=expiry_date,
              production_date=production_date, source=source, supplier=supplier or "",
              created_at=now)
    session.add(lot)
    session.flush()
    return lot


# --- idempotency ----------------------------------------------------------------------------

def find_replay(session: Session, request_id: str, request_hash: str) -> list[Movement] | None:
    """Movements already booked under `request_id` (None if none).

    Raises IdempotencyConflict when the id was used for a different request body.
    """
    # "<id>#<n>" for the lines of a bulk booking; '#' + 1 is '$', an index-friendly range.
    rows = list(session.scalars(
        sa.select(Movement)
        .where(sa.or_(Movement.request_id == request_id,
                      sa.and_(Movement.request_id > request_id + "#",
                              Movement.request_id < request_id + "$")))
        .order_by(Movement.id)))
    if not rows:
        return None
    if any(row.request_hash != request_hash for row in rows):
        raise IdempotencyConflict(N_("Request id %(id)s was already used for another booking."),
                                  id=request_id)
    return rows


# --- balance primitives ---------------------------------------------------------------------

_BALANCE = Balance.__table__
_MOVEMENT = Movement.__table__


def _upsert(dialect: str) -> sa.Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(_BALANCE).values(
        lot_id=sa.bindparam("b_lot"), depot_id=sa.bindparam("b_depot"),
        owner_id=sa.bindparam("b_owner"), quantity=sa.bindparam("b_qty"), reserved=0,
        updated_at=sa.bindparam("b_now"))
    return stmt.on_conflict_do_update(
        index_elements=["lot_id", "depot_id", "owner_id"],
        set_={"quantity": _BALANCE.c.quantity + stmt.excluded.quantity,
              "updated_at": stmt.excluded.updated_at},
    ).returning(_BALANCE.c.quantity, _BALANCE.c.reserved)


_CREDIT = {"postgresql": _upsert("postgresql"), "sqlite": _upsert("sqlite")}


def _credit(session: Session, actor: Actor, *, lot: Lot, depot: Depot, owner: Unit,
            quantity: int, now: datetime) -> None:
    """Add to a balance, creating it if needed, in one atomic upsert."""
    connection = core(session)
    left = connection.execute(_CREDIT[connection.dialect.name],
                              {"b_lot": lot.id, "b_depot": depot.id, "b_owner": owner.id,
                               "b_qty": quantity, "b_now": now}).one()
    actor.balances[(lot.id, depot.id, owner.id)] = (left[0], left[1])


def _balance_key():
    return sa.and_(_BALANCE.c.lot_id == sa.bindparam("b_lot"),
                   _BALANCE.c.depot_id == sa.bindparam("b_depot"),
                   _BALANCE.c.owner_id == sa.bindparam("b_owner"))


_DEBIT_AVAILABLE = (
    sa.update(_BALANCE)
    .where(_balance_key(), _BALANCE.c.quantity - _BALANCE.c.reserved >= sa.bindparam("b_qty"))
    .values(quantity=_BALANCE.c.quantity - sa.bindparam("b_qty"),
            updated_at=sa.bindparam("b_now"))
    .returning(_BALANCE.c.quantity, _BALANCE.c.reserved))
_DEBIT_RESERVED = (
    sa.update(_BALANCE)
    .where(_balance_key(), _BALANCE.c.reserved >= sa.bindparam("b_qty"))
    .values(quantity=_BALANCE.c.quantity - sa.bindparam("b_qty"),
            reserved=_BALANCE.c.reserved - sa.bindparam("b_qty"),
            updated_at=sa.bindparam("b_now"))
    .returning(_BALANCE.c.quantity, _BALANCE.c.reserved))
_AVAILABLE = sa.select(_BALANCE.c.quantity - _BALANCE.c.reserved).where(_balance_key())
_FIGURES = sa.select(_BALANCE.c.quantity, _BALANCE.c.reserved).where(_balance_key())
_SET_COUNTED = (
    sa.update(_BALANCE)
    .where(_balance_key(), _BALANCE.c.quantity == sa.bindparam("b_seen"))
    .values(quantity=sa.bindparam("b_counted"), updated_at=sa.bindparam("b_now"))
    .returning(_BALANCE.c.quantity, _BALANCE.c.reserved))


def _debit(session: Session, actor: Actor, *, lot: Lot, depot: Depot, owner: Unit,
           quantity: int, now: datetime, from_reserved: bool = False) -> None:
    """Take from a balance only if enough is there (and not promised); else InsufficientStock.

    With `from_reserved` the quantity comes out of what a dispatch order reserved.
    """
    key = {"b_lot": lot.id, "b_depot": depot.id, "b_owner": owner.id}
    left = core(session).execute(_DEBIT_RESERVED if from_reserved else _DEBIT_AVAILABLE,
                                 {**key, "b_qty": quantity, "b_now": now}).first()
    if left is not None:
        actor.balances[(lot.id, depot.id, owner.id)] = (left[0], left[1])
    else:
        available = session.scalar(_AVAILABLE, key) or 0
        raise InsufficientStock(
            N_("Only %(available)s of lot %(lot)s available at %(depot)s; %(requested)s asked."),
            available=available, lot=lot.lot_code, depot=depot.code, requested=quantity)


_PLACES = ("lot", "from_depot", "to_depot", "from_owner", "to_owner", "reverses", "approves")
_INSERT_MOVEMENT = sa.insert(_MOVEMENT)
_NO_PLACE = dict.fromkeys(f"{name}_id" for name in _PLACES)


def _record(session: Session, actor: Actor, *, kind: MovementKind, lot: Lot, quantity: int,
            now: datetime, suffix: str = "", source: LotSource | None = None,
            counted_quantity: int | None = None, **places) -> Movement:
    """Insert the ledger row and return it as a persistent Movement.

    One INSERT, no unit-of-work flush. The related objects the caller already holds are
    set on the result as loaded, so `movement.lot` and friends need no query afterwards.
    A duplicate request id raises IntegrityError here, as a flush would.
    """
    session.flush()  # anything still pending (e.g. a new lot) goes in first
    places["lot"] = lot
    ids = {f"{name}_id": getattr(obj, "id", None) for name, obj in places.items()}
    values = {**_NO_PLACE, **ids, "kind": kind, "source": source, "quantity": quantity,
              "counted_quantity": counted_quantity, "actor_id": actor.user_id,
              "reason": actor.reason or "", "request_id": actor.request_id + suffix,
              "request_hash": actor.request_hash, "order_code": actor.order_code,
              "created_at": now}
    # NULLs are left to the column defaults: fewer parameters to convert on every insert.
    result = core(session).execute(
        _INSERT_MOVEMENT, {key: value for key, value in values.items() if value is not None})
    return _loaded_movement(result.inserted_primary_key[0], values, places, actor.user)


def _loaded_movement(movement_id: int, values: dict, places: dict, user: User | None) -> Movement:
    """The row just inserted as a Movement with its columns and related objects loaded,
    outside the unit of work (`models.loaded`): nothing about it is left to flush, and
    it needs no lazy load, so it serves the same detached."""
    return loaded(Movement, {**values, "id": movement_id}, actor=user,
                  **{name: places.get(name) for name in _PLACES})


def _positive(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise field_error("quantity", N_("Quantity must be a whole number above zero."))


# --- bookings -------------------------------------------------------------------------------

def receive(session: Session, actor: Actor, *, lot: Lot, depot: Depot, owner: Unit,
            quantity: int, now: datetime, source: LotSource | None = None,
            suffix: str = "") -> Movement:
    """Book `quantity` of `lot` into `depot` for `owner` (入库)."""
    _positive(quantity)
    _credit(session, actor, lot=lot, depot=depot, owner=owner, quantity=quantity, now=now)
    movement = _record(session, actor, kind=MovementKind.RECEIVE, lot=lot, quantity=quantity,
                       now=now, suffix=suffix, to_depot=depot, to_owner=owner,
                       source=source or lot.source)
    return movement


def issue(session: Session, actor: Actor, *, lot: Lot, depot: Depot, owner: Unit, quantity: int,
          now: datetime, kind: MovementKind = MovementKind.ISSUE, allow_expired: bool = False,
          from_reserved: bool = False, suffix: str = "") -> Movement:
    """Take `quantity` out of a depot (出库, or loss/scrap); raises InsufficientStock, ExpiredLot."""
    _positive(quantity)
    if kind not in OUTBOUND_KINDS:
        raise field_error("kind", N_("Not an outbound kind: %(kind)s."), kind=str(kind))
    if kind is MovementKind.ISSUE and lot.is_expired(now.date()) and not allow_expired:
        raise ExpiredLot(N_("Lot %(lot)s expired on %(date)s; confirm to issue it anyway."),
                         lot=lot.lot_code, date=lot.expiry_date.isoformat())
    _debit(session, actor, lot=lot, depot=depot, owner=owner, quantity=quantity, now=now,
           from_reserved=from_reserved)
    movement = _record(session, actor, kind=kind, lot=lot, quantity=quantity, now=now,
                       suffix=suffix, from_depot=depot, from_owner=owner)
    return movement


def transfer(session: Session, actor: Actor, *, lot: Lot, depot: Depot, owner: Unit,
             to_depot: Depot, quantity: int, now: datetime, to_owner: Unit | None = None,
             from_reserved: bool = False, suffix: str = "") -> Movement:
    """Move stock to another depot (调拨/前置); the owner stays unless `to_owner` hands it over."""
    _positive(quantity)
    target_owner = to_owner or owner
    if to_depot.id == depot.id and target_owner.id == owner.id:
        raise field_error("to_depot_code", N_("Choose another depot or another owner."))
    _debit(session, actor, lot=lot, depot=depot, owner=owner, quantity=quantity, now=now,
           from_reserved=from_reserved)
    _credit(session, actor, lot=lot, depot=to_depot, owner=target_owner, quantity=quantity,
            now=now)
    movement = _record(session, actor, kind=MovementKind.TRANSFER, lot=lot, quantity=quantity,
                       now=now, suffix=suffix, from_depot=depot, from_owner=owner,
                       to_depot=to_depot, to_owner=target_owner)
    return movement


def count(session: Session, actor: Actor, *, lot: Lot, depot: Depot, owner: Unit, counted: int,
          now: datetime, suffix: str = "", attempts: int = 5) -> Movement:
    """Stocktake (盘点): set the balance to `counted`, booking the difference.

    The balance is compared and set in one statement (optimistic check on the figure
    just read), so a scan booked meanwhile is never silently overwritten.
    """
    if not isinstance(counted, int) or isinstance(counted, bool) or counted < 0:
        raise field_error("quantity", N_("The counted quantity must be a whole number, zero or more."))
    key = {"b_lot": lot.id, "b_depot": depot.id, "b_owner": owner.id}
    for _ in range(attempts):
        seen = core(session).execute(_FIGURES, key).first()
        if seen is None:
            return _count_new(session, actor, lot=lot, depot=depot, owner=owner,
                              counted=counted, now=now, suffix=suffix)
        if counted < seen.reserved:
            raise InsufficientStock(
                N_("%(reserved)s of lot %(lot)s are reserved for dispatch; count cannot be lower."),
                reserved=seen.reserved, lot=lot.lot_code)
        left = core(session).execute(_SET_COUNTED, {**key, "b_seen": seen.quantity,
                                                    "b_counted": counted, "b_now": now}).first()
        if left is not None:
            actor.balances[(lot.id, depot.id, owner.id)] = (left[0], left[1])
            return _count_movement(session, actor, lot=lot, depot=depot, owner=owner,
                                   counted=counted, delta=counted - seen.quantity, now=now,
                                   suffix=suffix)
    raise DomainError(N_("The balance kept changing during the count; count again."))


def _count_new(session: Session, actor: Actor, *, lot, depot, owner, counted, now, suffix):
    if counted > 0:
        _credit(session, actor, lot=lot, depot=depot, owner=owner, quantity=counted, now=now)
    return _count_movement(session, actor, lot=lot, depot=depot, owner=owner, counted=counted,
                           delta=counted, now=now, suffix=suffix)


def _count_movement(session: Session, actor: Actor, *, lot, depot, owner, counted, delta, now,
                    suffix) -> Movement:
    place = ({"to_depot": depot, "to_owner": owner} if delta > 0 else
             {"from_depot": depot, "from_owner": owner} if delta < 0 else
             {"to_depot": depot, "from_depot": depot, "to_owner": owner, "from_owner": owner})
    movement = _record(session, actor, kind=MovementKind.COUNT, lot=lot, quantity=abs(delta),
                       now=now, suffix=suffix, counted_quantity=counted, **place)
    return movement


# --- corrections ----------------------------------------------------------------------------

def reverse(session: Session, actor: Actor, *, movement: Movement, now: datetime,
            order_checked: bool = False) -> Movement:
    """Book the opposite of `movement` (冲销) with a reference to it; the ledger is never edited.

    A movement of a dispatch order changes the order's figures too: it is reversed through
    `services.dispatch_picking.reverse_pick`, which passes `order_checked`.
    """
    if movement.order_code and not order_checked:
        raise DomainError(N_("Movement %(id)s belongs to dispatch order %(order)s; reverse it "
                             "through the order."), id=movement.id, order=movement.order_code)
    if movement.kind is MovementKind.REVERSAL:
        raise DomainError(N_("A reversal cannot be reversed; book the movement again instead."))
    if movement.quantity == 0:  # a count that found no difference
        raise DomainError(N_("Movement %(id)s changed no quantity; there is nothing to reverse."),
                          id=movement.id)
    if _already(session, Movement.reverses_id, movement.id):
        raise DomainError(N_("Movement %(id)s has already been reversed."), id=movement.id)
    if movement.kind in (MovementKind.LOSS, MovementKind.SCRAP) and _already(
            session, Movement.approves_id, movement.id, unreversed=True):
        raise DomainError(N_("Movement %(id)s is written off; reverse the write-off first."),
                          id=movement.id)
    lot = movement.lot
    if movement.to_depot is not None and movement.quantity:
        _debit(session, actor, lot=lot, depot=movement.to_depot, owner=movement.to_owner,
               quantity=movement.quantity, now=now)
    if movement.from_depot is not None and movement.quantity:
        _credit(session, actor, lot=lot, depot=movement.from_depot, owner=movement.from_owner,
                quantity=movement.quantity, now=now)
    reversal = _record(session, actor, kind=MovementKind.REVERSAL, lot=lot,
                       quantity=movement.quantity, now=now, reverses=movement,
                       from_depot=movement.to_depot, from_owner=movement.to_owner,
                       to_depot=movement.from_depot, to_owner=movement.from_owner)
    return reversal


def write_off(session: Session, actor: Actor, *, movement: Movement, now: datetime,
              suffix: str = "") -> Movement:
    """Approve a recorded loss or scrap (核销); moves nothing, feeds the write-off register."""
    if movement.kind not in (MovementKind.LOSS, MovementKind.SCRAP):
        raise DomainError(N_("Only losses and scraps can be written off."))
    if _already(session, Movement.reverses_id, movement.id):
        raise DomainError(N_("Movement %(id)s has been reversed."), id=movement.id)
    if _already(session, Movement.approves_id, movement.id, unreversed=True):
        raise DomainError(N_("Movement %(id)s is already written off."), id=movement.id)
    approval = _record(session, actor, kind=MovementKind.WRITE_OFF, lot=movement.lot,
                       quantity=movement.quantity, now=now, approves=movement, suffix=suffix)
    return approval


def _already(session: Session, column, movement_id: int, unreversed: bool = False) -> bool:
    """Is there a movement whose `column` points at `movement_id` (and, optionally, still stands)?"""
    stmt = sa.select(Movement.id).where(column == movement_id)
    if unreversed:
        reversed_ids = sa.select(Movement.reverses_id).where(Movement.reverses_id.is_not(None))
        stmt = stmt.where(Movement.id.not_in(reversed_ids))
    return session.scalar(stmt.limit(1)) is not None
