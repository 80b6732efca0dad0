"""Integrity: every balance must equal the sum of its ledger."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Balance, Depot, Lot, Movement, Unit


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
