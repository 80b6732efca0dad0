"""The ledger: who may see which movements (the list of the API and of the page), and
integrity (every balance must equal the sum of its ledger)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from inventory.models import Balance, Depot, Lot, Movement, MovementKind, Unit, User
from inventory.models.base import as_utc
from inventory.services import access, catalog, units, users
from inventory.services.errors import NotFound
from inventory.services.queries import text_search


class UnknownFilter(NotFound):
    """A filter names a record that does not exist; `field` says which filter."""

    def __init__(self, field: str, error: NotFound) -> None:
        self.field = field
        super().__init__(error.message, **error.params)


def ledger_query(session: Session, user: User, values: dict[str, Any]) -> sa.Select:
    """The movements `user` may see (touching a depot of their area), newest first,
    narrowed by the filters in `values`: depot, item, lot (codes), kind, who (a user
    name), since/until (datetimes, until excluded) and q (text in the reason, the order
    code or the lot code). A depot, item or user that does not exist raises UnknownFilter."""
    visible_depots = sa.select(Depot.id).join(Depot.unit).where(access.unit_filter(user))
    stmt = sa.select(Movement).where(sa.or_(Movement.from_depot_id.in_(visible_depots),
                                            Movement.to_depot_id.in_(visible_depots)))
    for condition in _conditions(session, values):
        stmt = stmt.where(condition)
    return stmt.order_by(Movement.created_at.desc(), Movement.id.desc())


def _conditions(session: Session, values: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if values.get("depot"):
        depot = _lookup("depot", units.get_depot, session, values["depot"])
        conditions.append(sa.or_(Movement.from_depot_id == depot.id,
                                 Movement.to_depot_id == depot.id))
    if values.get("item"):
        item = _lookup("item", catalog.get_item, session, values["item"])
        conditions.append(Movement.lot_id.in_(sa.select(Lot.id).where(Lot.item_id == item.id)))
    if values.get("lot"):
        conditions.append(Movement.lot_id.in_(sa.select(Lot.id).where(
            Lot.lot_code == values["lot"])))
    if values.get("kind"):
        conditions.append(Movement.kind == MovementKind(values["kind"]))
    if values.get("who"):
        conditions.append(Movement.actor_id == _lookup("who", users.get_user, session,
                                                       values["who"]).id)
    if values.get("since"):
        conditions.append(Movement.created_at >= values["since"])
    if values.get("until"):
        conditions.append(Movement.created_at < values["until"])
    if values.get("q"):
        text = values["q"]
        conditions.append(sa.or_(
            text_search(text, Movement.reason, Movement.order_code),
            Movement.lot_id.in_(sa.select(Lot.id).where(text_search(text, Lot.lot_code)))))
    return conditions


def _lookup(field: str, getter, session: Session, code: str):
    try:
        return getter(session, code)
    except NotFound as error:
        raise UnknownFilter(field, error) from error


def reversed_among(session: Session, movements: list[Movement]) -> set[int]:
    """Ids of these movements that a reversal has already undone."""
    ids = [m.id for m in movements]
    if not ids:
        return set()
    return set(session.scalars(sa.select(Movement.reverses_id).where(
        Movement.reverses_id.in_(ids))))


def last_counted(session: Session, depot: Depot,
                 lot_ids: list[int]) -> dict[tuple[int, int], datetime]:
    """When each (lot, owner) pile of `depot` among `lot_ids` was last counted: the newest
    stocktake of it that no reversal undid (a count that changed nothing counts too)."""
    if not lot_ids:
        return {}
    counted, reversal = aliased(Movement, name="counted"), aliased(Movement, name="reversal")
    undone = sa.exists().where(reversal.reverses_id == counted.id)
    place = sa.func.coalesce(counted.to_depot_id, counted.from_depot_id)
    owner = sa.func.coalesce(counted.to_owner_id, counted.from_owner_id)
    rows = session.execute(
        sa.select(counted.lot_id, owner, sa.func.max(counted.created_at))
        .where(counted.kind == MovementKind.COUNT, counted.lot_id.in_(lot_ids),
               place == depot.id, ~undone)
        .group_by(counted.lot_id, owner))
    return {(lot_id, owner_id): as_utc(when) for lot_id, owner_id, when in rows}


@dataclass(frozen=True)
class Difference:
    lot_id: int
    depot_id: int
    owner_id: int
    balance: int
    ledger: int


def ledger_sums() -> sa.Select:
    """(lot, depot, owner, quantity) per place as the ledger says, aggregated in SQL."""
    entering = sa.select(Movement.lot_id.label("lot_id"), Movement.to_depot_id.label("depot_id"),
                         Movement.to_owner_id.label("owner_id"),
                         Movement.quantity.label("delta")).where(Movement.to_depot_id.is_not(None))
    leaving = sa.select(Movement.lot_id, Movement.from_depot_id, Movement.from_owner_id,
                        -Movement.quantity).where(Movement.from_depot_id.is_not(None))
    deltas = sa.union_all(entering, leaving).subquery()
    return (sa.select(deltas.c.lot_id, deltas.c.depot_id, deltas.c.owner_id,
                      sa.func.sum(deltas.c.delta).label("quantity"))
            .group_by(deltas.c.lot_id, deltas.c.depot_id, deltas.c.owner_id))


def verify(session: Session) -> list[Difference]:
    """Places where the balance table and the ledger disagree (empty when all is well)."""
    ledger = {(r.lot_id, r.depot_id, r.owner_id): int(r.quantity)
              for r in session.execute(ledger_sums())}
    balances = {(r.lot_id, r.depot_id, r.owner_id): r.quantity
                for r in session.execute(sa.select(Balance.lot_id, Balance.depot_id,
                                                   Balance.owner_id, Balance.quantity))}
    differences = []
    for key in sorted(ledger.keys() | balances.keys()):
        if ledger.get(key, 0) != balances.get(key, 0):
            differences.append(Difference(*key, balance=balances.get(key, 0),
                                          ledger=ledger.get(key, 0)))
    return differences


def codes(session: Session, differences: list[Difference]) -> list[tuple[str, str, str]]:
    """(lot code, depot code, owner unit code) of each difference, as people read them."""
    def lookup(model, column, ids):
        return dict(session.execute(sa.select(model.id, column).where(model.id.in_(ids))).all())

    lots = lookup(Lot, Lot.lot_code, {d.lot_id for d in differences})
    depots = lookup(Depot, Depot.code, {d.depot_id for d in differences})
    owners = lookup(Unit, Unit.code, {d.owner_id for d in differences})
    return [(lots.get(d.lot_id, f"#{d.lot_id}"), depots.get(d.depot_id, f"#{d.depot_id}"),
             owners.get(d.owner_id, f"#{d.owner_id}")) for d in differences]
