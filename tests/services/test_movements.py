"""Every movement kind writes its ledger row and moves the balance; reversals restore it."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inventory.models import Balance, Depot, Lot, Movement, MovementKind, Unit, utcnow
from inventory.services import ledger, movements
from inventory.services.errors import DomainError, InsufficientStock, InvalidInput
from tests.factories import actor


def _get(session, model, obj):
    return session.get(model, obj.id)


def qty(session, lot, depot, owner) -> int:
    return session.scalar(sa.select(Balance.quantity).where(
        Balance.lot_id == lot.id, Balance.depot_id == depot.id, Balance.owner_id == owner.id)) or 0


@pytest.fixture
def ctx(session, world):
    lot = _get(session, Lot, world.lots["T1"])
    d1 = _get(session, Depot, world.depots["DEP-D1"])
    s1 = _get(session, Depot, world.depots["DEP-S1"])
    owner = _get(session, Unit, world.units["D1"])
    return lot, d1, s1, owner


def test_receive_adds_and_records(session, ctx):
    lot, d1, _, owner = ctx
    m = movements.receive(session, actor(), lot=lot, depot=d1, owner=owner, quantity=7, now=utcnow())
    assert (m.kind, m.to_depot_id, m.to_owner_id, m.quantity) == (MovementKind.RECEIVE, d1.id, owner.id, 7)
    assert qty(session, lot, d1, owner) == 107


def test_issue_takes_and_refuses_to_overdraw(session, ctx):
    lot, d1, _, owner = ctx
    m = movements.issue(session, actor(), lot=lot, depot=d1, owner=owner, quantity=40, now=utcnow())
    assert (m.kind, m.from_depot_id, m.quantity) == (MovementKind.ISSUE, d1.id, 40)
    with pytest.raises(InsufficientStock):
        movements.issue(session, actor(), lot=lot, depot=d1, owner=owner, quantity=61, now=utcnow())
    assert qty(session, lot, d1, owner) == 60


@pytest.mark.parametrize("kind", [MovementKind.LOSS, MovementKind.SCRAP])
def test_loss_and_scrap_are_outbound(session, ctx, kind):
    lot, d1, _, owner = ctx
    m = movements.issue(session, actor(), lot=lot, depot=d1, owner=owner, quantity=3, now=utcnow(),
                        kind=kind)
    assert m.kind is kind and qty(session, lot, d1, owner) == 97


def test_transfer_keeps_the_owner_unless_handed_over(session, ctx, world):
    lot, d1, s1, owner = ctx
    movements.transfer(session, actor(), lot=lot, depot=d1, owner=owner, to_depot=s1, quantity=30,
                       now=utcnow())
    assert qty(session, lot, s1, owner) == 30  # pre-positioned, still the district's
    street = _get(session, Unit, world.units["S1"])
    m = movements.transfer(session, actor(), lot=lot, depot=s1, owner=owner, to_depot=s1,
                           to_owner=street, quantity=10, now=utcnow())
    assert (m.from_owner_id, m.to_owner_id) == (owner.id, street.id)
    assert qty(session, lot, s1, owner) == 20 and qty(session, lot, s1, street) == 10


def test_count_books_the_difference_and_keeps_the_counted_figure(session, ctx):
    lot, d1, _, owner = ctx
    down = movements.count(session, actor(), lot=lot, depot=d1, owner=owner, counted=95, now=utcnow())
    assert (down.kind, down.from_depot_id, down.quantity, down.counted_quantity) == (
        MovementKind.COUNT, d1.id, 5, 95)
    up = movements.count(session, actor(), lot=lot, depot=d1, owner=owner, counted=99, now=utcnow())
    assert (up.to_depot_id, up.quantity) == (d1.id, 4)
    same = movements.count(session, actor(), lot=lot, depot=d1, owner=owner, counted=99, now=utcnow())
    assert same.quantity == 0 and qty(session, lot, d1, owner) == 99


def test_count_of_a_lot_never_held_here_creates_the_balance(session, ctx):
    lot, _, s1, owner = ctx
    movements.count(session, actor(), lot=lot, depot=s1, owner=owner, counted=4, now=utcnow())
    assert qty(session, lot, s1, owner) == 4


def test_reversal_restores_the_balance_and_references_the_original(session, ctx):
    lot, d1, s1, owner = ctx
    for make in (
        lambda: movements.issue(session, actor(), lot=lot, depot=d1, owner=owner, quantity=9, now=utcnow()),
        lambda: movements.receive(session, actor(), lot=lot, depot=d1, owner=owner, quantity=9, now=utcnow()),
        lambda: movements.transfer(session, actor(), lot=lot, depot=d1, owner=owner, to_depot=s1,
                                   quantity=9, now=utcnow()),
        lambda: movements.count(session, actor(), lot=lot, depot=d1, owner=owner, counted=50, now=utcnow()),
    ):
        before = (qty(session, lot, d1, owner), qty(session, lot, s1, owner))
        original = make()
        reversal = movements.reverse(session, actor(), movement=original, now=utcnow())
        assert reversal.reverses_id == original.id and reversal.kind is MovementKind.REVERSAL
        assert (qty(session, lot, d1, owner), qty(session, lot, s1, owner)) == before
    with pytest.raises(DomainError):
        movements.reverse(session, actor(), movement=original, now=utcnow())
    assert ledger.verify(session) == []


def test_write_off_approves_a_loss_without_moving_stock(session, ctx):
    lot, d1, _, owner = ctx
    loss = movements.issue(session, actor(), lot=lot, depot=d1, owner=owner, quantity=2, now=utcnow(),
                           kind=MovementKind.LOSS)
    approval = movements.write_off(session, actor(), movement=loss, now=utcnow())
    assert approval.approves_id == loss.id and qty(session, lot, d1, owner) == 98
    with pytest.raises(DomainError):
        movements.write_off(session, actor(), movement=loss, now=utcnow())
    with pytest.raises(DomainError):  # reverse the write-off first
        movements.reverse(session, actor(), movement=loss, now=utcnow())
    movements.reverse(session, actor(), movement=approval, now=utcnow())
    movements.reverse(session, actor(), movement=loss, now=utcnow())
    assert qty(session, lot, d1, owner) == 100 and ledger.verify(session) == []


def test_expired_lot_needs_confirmation_to_issue(session, world):
    d1 = _get(session, Depot, world.depots["DEP-D1"])
    from tests.factories import receive
    food = session.get(type(world.items["food"]), world.items["food"].id)
    lot = receive(session, food, d1, 10, lot_code="OLD", expiry=date.today() - timedelta(days=1))
    with pytest.raises(DomainError) as raised:
        movements.issue(session, actor(), lot=lot, depot=d1, owner=d1.unit, quantity=1, now=utcnow())
    assert raised.value.slug == "expired-lot"
    movements.issue(session, actor(), lot=lot, depot=d1, owner=d1.unit, quantity=1, now=utcnow(),
                    allow_expired=True)


def test_items_with_a_shelf_life_need_an_expiry_date(session, world):
    food = session.get(type(world.items["food"]), world.items["food"].id)
    with pytest.raises(InvalidInput) as raised:
        movements.find_or_create_lot(session, item=food, now=utcnow(), batch_no="NOEXP")
    assert "expiry_date" in raised.value.errors


def test_quantities_must_be_positive_integers(session, ctx):
    lot, d1, _, owner = ctx
    for bad in (0, -1, 1.5, True):
        with pytest.raises(InvalidInput):
            movements.receive(session, actor(), lot=lot, depot=d1, owner=owner, quantity=bad,
                              now=utcnow())
    assert session.scalar(sa.select(sa.func.count(Movement.id))) == 3


def test_each_balance_statement_records_what_it_left(session, ctx, world):
    lot, d1, s1, owner = ctx
    street = _get(session, Unit, world.units["S1"])
    bookings = [
        lambda a: movements.receive(session, a, lot=lot, depot=d1, owner=owner, quantity=7, now=utcnow()),
        lambda a: movements.issue(session, a, lot=lot, depot=d1, owner=owner, quantity=4, now=utcnow()),
        lambda a: movements.transfer(session, a, lot=lot, depot=d1, owner=owner, to_depot=s1,
                                     to_owner=street, quantity=5, now=utcnow()),
        lambda a: movements.count(session, a, lot=lot, depot=d1, owner=owner, counted=90, now=utcnow()),
        lambda a: movements.count(session, a, lot=lot, depot=s1, owner=owner, counted=3, now=utcnow()),
    ]
    for book in bookings:
        booker = actor()
        moved = book(booker)
        places = {(moved.from_depot, moved.from_owner), (moved.to_depot, moved.to_owner)}
        in_database = {(lot.id, depot.id, unit.id): (qty(session, lot, depot, unit), 0)
                       for depot, unit in places if depot is not None}
        assert booker.balances == in_database
    undo = actor()
    movements.reverse(session, undo, movement=moved, now=utcnow())
    assert undo.balances == {(lot.id, s1.id, owner.id): (0, 0)}
