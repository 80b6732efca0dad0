"""What one depot holds of one item: whose stock a booking draws on, and which lot should
go out first (first-expired-first-out, 近效期先出).

`held` reads the balances in one statement; the rules are pure functions over its rows,
so the booking path pays one query for both questions and the rules are tested without
a database (tests/unit/test_holdings.py).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import json

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Balance, Lot
from inventory.services.errors import N_, field_error


@dataclass(frozen=True)
class Held:
    """One balance above zero: a lot of the item, held in the depot for an owner unit."""

    lot_id: int
    owner_id: int
    quantity: int
    reserved: int
    lot_code: str
    expiry_date: date | None

    @property
    def available(self) -> int:
        return self.quantity - self.reserved


_BALANCE, _LOT = Balance.__table__, Lot.__table__
# The item's lots as a subquery: the balances are then found by (depot, lot) in the index,
# so the cost follows the item's few lots, not every balance of a large depot (the join
# on lot.item_id made SQLite walk all of the depot's balances).
_HELD = (sa.select(_BALANCE.c.lot_id, _BALANCE.c.owner_id, _BALANCE.c.quantity,
                   _BALANCE.c.reserved, _LOT.c.lot_code, _LOT.c.expiry_date)
         .join(_LOT, _LOT.c.id == _BALANCE.c.lot_id)
         .where(_BALANCE.c.depot_id == sa.bindparam("depot"),
                _BALANCE.c.lot_id.in_(sa.select(_LOT.c.id)
                                      .where(_LOT.c.item_id == sa.bindparam("item"))),
                _BALANCE.c.quantity > 0))


def held(session: Session, *, depot_id: int, item_id: int) -> list[Held]:
    """The balances above zero of the item's lots in the depot."""
    return [Held(*row) for row in session.execute(_HELD, {"depot": depot_id, "item": item_id})]


def held_column(dialect: str, *, depot_id: sa.ColumnElement, item_id: sa.ColumnElement
                ) -> sa.ScalarSelect:
    """What `held` reads, as one JSON column of a row that has the depot and the item: a
    booking gets it in the statement that reads its depot and lot, one round trip fewer
    on every scan. Parse it with `held_from_json`."""
    # Aliases throughout: the row this is a column of reads `balance` and `lot` itself.
    held, lot, same_item = _BALANCE.alias("held"), _LOT.alias("held_lot"), _LOT.alias("item_lot")
    fields = (held.c.lot_id, held.c.owner_id, held.c.quantity, held.c.reserved,
              lot.c.lot_code, lot.c.expiry_date)
    aggregate = (sa.func.json_agg(sa.func.json_build_array(*fields)) if dialect == "postgresql"
                 else sa.func.json_group_array(sa.func.json_array(*fields)))
    return (sa.select(aggregate).select_from(held.join(lot, lot.c.id == held.c.lot_id))
            .where(held.c.depot_id == depot_id,
                   held.c.lot_id.in_(sa.select(same_item.c.id)
                                     .where(same_item.c.item_id == item_id)
                                     .correlate(*_outer_tables(item_id))),
                   held.c.quantity > 0)
            .scalar_subquery())


def _outer_tables(column: sa.ColumnElement) -> list[sa.FromClause]:
    """The table a column of the enclosing row belongs to (none for a literal): named for
    correlation, since it sits two selects further out."""
    table = getattr(column, "table", None)
    return [table] if table is not None else []


def held_from_json(value: str | list | None) -> list[Held]:
    """The rows of `held_column`: SQLite hands back JSON text, PostgreSQL parsed JSON (or
    NULL for none)."""
    rows = json.loads(value) if isinstance(value, str) else (value or [])
    return [Held(lot_id, owner_id, quantity, reserved, lot_code,
                 date.fromisoformat(expiry) if expiry else None)
            for lot_id, owner_id, quantity, reserved, lot_code, expiry in rows]


def drawn_owner(rows: Sequence[Held], *, lot_id: int, depot_unit_id: int,
                quantity: int | None) -> int | None:
    """The owner unit whose stock of the lot a booking draws on, or None if nobody holds it.

    The depot's own unit comes first, then whoever has the most available; with a
    `quantity`, the first of them with enough. Without one (a count) the owner must be
    unique: several raise InvalidInput on `owner_code`.
    """
    owners = sorted((row for row in rows if row.lot_id == lot_id),
                    key=lambda row: (row.owner_id != depot_unit_id, -row.available))
    if not owners:
        return None
    if quantity is None:
        if len(owners) > 1:
            raise field_error("owner_code", N_("Several units own this lot here; choose the owner."))
        return owners[0].owner_id
    return next((row.owner_id for row in owners if row.available >= quantity), owners[0].owner_id)


def earlier_lot(rows: Sequence[Held], *, lot_id: int, expiry_date: date | None,
                today: date) -> Held | None:
    """Another lot with stock available that is not yet expired and expires before
    `expiry_date` (any expiring lot when that is None): the soonest, else None."""
    candidates = [row for row in rows
                  if row.lot_id != lot_id and row.available > 0 and row.expiry_date is not None
                  and row.expiry_date >= today
                  and (expiry_date is None or row.expiry_date < expiry_date)]
    return min(candidates, key=lambda row: (row.expiry_date, row.lot_code), default=None)
