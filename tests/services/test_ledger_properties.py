"""Property tests for the movement services: whatever sequence of receipts, issues, losses,
transfers, counts, reversals and write-offs is booked, every balance equals the sum of its
ledger, none goes negative, a refused booking changes nothing, and the services refuse
exactly what a simple model of the reserve says they must.

Each generated sequence runs in one transaction that is rolled back afterwards, so the
examples are independent. Examples: INVENTORY_PROPERTY_EXAMPLES (default 150).
"""
import os
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.models import Balance, Depot, Lot, Movement, MovementKind, Unit, utcnow
from inventory.services import ledger, movements
from inventory.services.errors import DomainError
from tests.factories import actor

EXAMPLES = int(os.environ.get("INVENTORY_PROPERTY_EXAMPLES", "150"))
LOTS, DEPOTS, OWNERS = ("T1", "Q1", "T2"), ("DEP-D1", "DEP-S1", "DEP-D2"), ("C1", "D1", "S1")
OUTBOUND = (MovementKind.ISSUE, MovementKind.LOSS, MovementKind.SCRAP)

index = st.integers(min_value=0, max_value=2)
quantity = st.integers(min_value=1, max_value=60)
place = st.tuples(index, index, index)  # lot, depot, owner
operation = st.one_of(
    st.tuples(st.just("receive"), place, quantity),
    st.tuples(st.just("outbound"), place, quantity, st.sampled_from(OUTBOUND)),
    st.tuples(st.just("transfer"), place, quantity, index, index),
    st.tuples(st.just("count"), place, st.integers(min_value=0, max_value=150)),
    st.tuples(st.just("count"), place, st.none()),  # a stocktake that finds no difference
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=40)),
    st.tuples(st.just("write_off"), st.integers(min_value=0, max_value=40)),
)


@dataclass
class Model:
    """What the reserve must look like: quantities per (lot, depot, owner) id triple."""

    quantity: dict[tuple[int, int, int], int]
    booked: list[Movement] = field(default_factory=list)
    reversed_ids: set[int] = field(default_factory=set)
    written_off: dict[int, int] = field(default_factory=dict)  # loss id -> write-off id

    def get(self, key) -> int:
        return self.quantity.get(key, 0)

    def add(self, key, delta: int) -> None:
        self.quantity[key] = self.get(key) + delta


def _balances(session) -> dict[tuple[int, int, int], int]:
    return {(r.lot_id, r.depot_id, r.owner_id): r.quantity for r in session.execute(
        sa.select(Balance.lot_id, Balance.depot_id, Balance.owner_id, Balance.quantity))}


def _state(session):
    return _balances(session), session.scalar(sa.select(sa.func.count(Movement.id)))


@pytest.fixture
def reserve(session, world):
    lots = [session.scalar(sa.select(Lot).where(Lot.lot_code == code)) for code in LOTS]
    depots = [session.scalar(sa.select(Depot).where(Depot.code == code)) for code in DEPOTS]
    owners = [session.scalar(sa.select(Unit).where(Unit.code == code)) for code in OWNERS]
    return lots, depots, owners


def _key(lot, depot, owner) -> tuple[int, int, int]:
    return lot.id, depot.id, owner.id


def _book(session, model: Model, reserve, op) -> tuple[bool, object]:
    """Predict whether `op` must succeed, then book it: (expected, booking thunk)."""
    lots, depots, owners = reserve
    name = op[0]
    if name in ("receive", "outbound", "transfer", "count"):
        lot, depot, owner = lots[op[1][0]], depots[op[1][1]], owners[op[1][2]]
        key = _key(lot, depot, owner)
    if name == "receive":
        return True, lambda: movements.receive(session, actor(), lot=lot, depot=depot, owner=owner,
                                               quantity=op[2], now=utcnow())
    if name == "outbound":
        return model.get(key) >= op[2], lambda: movements.issue(
            session, actor(), lot=lot, depot=depot, owner=owner, quantity=op[2], kind=op[3],
            now=utcnow())
    if name == "transfer":
        to_depot, to_owner = depots[op[3]], owners[op[4]]
        same_place = to_depot.id == depot.id and to_owner.id == owner.id
        return model.get(key) >= op[2] and not same_place, lambda: movements.transfer(
            session, actor(), lot=lot, depot=depot, owner=owner, to_depot=to_depot,
            to_owner=to_owner, quantity=op[2], now=utcnow())
    if name == "count":
        counted = model.get(key) if op[2] is None else op[2]
        return True, lambda: movements.count(session, actor(), lot=lot, depot=depot, owner=owner,
                                             counted=counted, now=utcnow())
    if not model.booked:
        return None, None
    target = model.booked[op[1] % len(model.booked)]
    if name == "reverse":
        return _may_reverse(model, target), lambda: movements.reverse(
            session, actor(), movement=target, now=utcnow())
    return _may_write_off(model, target), lambda: movements.write_off(
        session, actor(), movement=target, now=utcnow())


def _may_reverse(model: Model, m: Movement) -> bool:
    if m.kind is MovementKind.REVERSAL or m.id in model.reversed_ids or m.quantity == 0:
        return False
    if m.id in model.written_off and model.written_off[m.id] not in model.reversed_ids:
        return False
    if m.to_depot_id is not None:
        return model.get((m.lot_id, m.to_depot_id, m.to_owner_id)) >= m.quantity
    return True


def _may_write_off(model: Model, m: Movement) -> bool:
    if m.kind not in (MovementKind.LOSS, MovementKind.SCRAP) or m.id in model.reversed_ids:
        return False
    return m.id not in model.written_off or model.written_off[m.id] in model.reversed_ids


def _apply(model: Model, m: Movement) -> None:
    if m.kind is MovementKind.REVERSAL:
        model.reversed_ids.add(m.reverses_id)
    if m.kind is MovementKind.WRITE_OFF:
        model.written_off[m.approves_id] = m.id
    if m.to_depot_id is not None:
        model.add((m.lot_id, m.to_depot_id, m.to_owner_id), m.quantity)
    if m.from_depot_id is not None:
        model.add((m.lot_id, m.from_depot_id, m.from_owner_id), -m.quantity)
    model.booked.append(m)


def _check_invariants(session, model: Model) -> None:
    balances = _balances(session)
    assert all(quantity >= 0 for quantity in balances.values()), balances
    assert ledger.verify(session) == []
    for key in balances.keys() | model.quantity.keys():
        assert balances.get(key, 0) == model.get(key), key


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=st.lists(operation, min_size=1, max_size=30))
def test_any_sequence_of_bookings_keeps_balances_equal_to_the_ledger(session, reserve, operations):
    model = Model(quantity=_balances(session))
    try:
        for op in operations:
            expected, book = _book(session, model, reserve, op)
            if book is None:
                continue
            before = _state(session)
            try:
                movement = book()
            except DomainError:
                assert not expected, f"{op} was refused but the model allows it"
                assert _state(session) == before, f"refused {op} left something behind"
            else:
                assert expected, f"{op} was booked but the model forbids it"
                _apply(model, movement)
            _check_invariants(session, model)
    finally:
        session.rollback()
