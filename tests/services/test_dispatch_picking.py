"""Picking by scan through the booking path, dispatch, receipt with discrepancies, call-offs."""
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inventory.models import (Agreement, AgreementLine, AgreementMode, CallOffStatus, Depot, Item,
                              Movement, MovementKind, OrderStatus, Partner, Unit, utcnow)
from inventory.services import (bookings, dispatch, dispatch_picking, dispatch_receipt, movements,
                                dispatch_sources, ledger)
from inventory.services.dispatch_picking import PickRefused
from inventory.services.dispatch_receipt import ReceivedLine
from inventory.services.errors import (DomainError, InsufficientStock, InvalidInput,
                                       InvalidTransition)
from tests import factories
from tests.services.test_dispatch import FOOD, QUILT, TENT, TORCH, ctx, get, order_for, reserved  # noqa: F401


def scan(session, user, order, lot_code, quantity, depot="DEP-S1", kind="issue", **extra):
    command = {"request_id": str(uuid.uuid4()), "kind": kind, "depot_code": depot,
               "lot_code": lot_code, "quantity": quantity, "order_code": order.code, **extra}
    return bookings.book(session, user, command, now=utcnow(), request_hash="h")


def on_hand(session, lot_code, depot_code):
    return session.scalar(sa.text(
        "SELECT coalesce(sum(b.quantity), 0) FROM balance b JOIN lot l ON l.id = b.lot_id "
        "JOIN depot d ON d.id = b.depot_id WHERE l.lot_code = :lot AND d.code = :depot"),
        {"lot": lot_code, "depot": depot_code})


@pytest.fixture
def approved(session, ctx):
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 20), (TENT, 30)])
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    session.commit()
    return order


def test_scanned_picks_come_out_of_the_reservation_and_reference_the_order(session, ctx, approved):
    _, _, user = ctx
    booking = scan(session, user("keeper"), approved, "Q1", 15)
    movement = booking.movements[0]
    assert (movement.kind, movement.order_code, movement.quantity) == (
        MovementKind.ISSUE, approved.code, 15)
    assert approved.status is OrderStatus.PICKING
    assert reserved(session, "Q1") == 5 and on_hand(session, "Q1", "DEP-S1") == 35
    with pytest.raises(PickRefused):  # over-picking
        scan(session, user("keeper"), approved, "Q1", 6)
    session.rollback()


def test_wrong_item_and_wrong_depot_are_refused(session, ctx, approved, world):
    _, _, user = ctx
    torch = get(session, Item, code=TORCH)
    factories.receive(session, torch, get(session, Depot, code="DEP-S1"), 10, lot_code="L-TORCH")
    session.commit()
    with pytest.raises(PickRefused):
        scan(session, user("keeper"), approved, "L-TORCH", 1)
    session.rollback()
    with pytest.raises(PickRefused):  # tents come from the district depot, not from here
        scan(session, user("admin"), approved, "T2", 1, depot="DEP-D2")
    session.rollback()


def test_draft_orders_cannot_be_picked(session, ctx):
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 5)])
    session.commit()
    with pytest.raises(InvalidTransition):
        scan(session, user("keeper"), order, "Q1", 5)
    session.rollback()


def test_another_lot_may_replace_the_proposed_one_with_a_fefo_warning(session, ctx):
    _, _, user = ctx
    food = get(session, Item, code=FOOD)
    s1 = get(session, Depot, code="DEP-S1")
    factories.receive(session, food, s1, 10, lot_code="F-SOON", expiry=date.today() + timedelta(30))
    factories.receive(session, food, s1, 10, lot_code="F-LATE", expiry=date.today() + timedelta(300))
    order = order_for(session, ctx, [(FOOD, 8)])
    assert [a.lot.lot_code for a in order.allocations] == ["F-SOON"]
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    session.commit()
    booking = scan(session, user("keeper"), order, "F-LATE", 6)
    assert [w["lot_code"] for w in booking.warnings] == ["F-SOON"]
    assert (reserved(session, "F-SOON"), reserved(session, "F-LATE")) == (2, 0)
    picked = {a.lot.lot_code: (a.quantity, a.picked) for a in
              dispatch.get_order(session, user("admin"), order.code).allocations}
    assert picked == {"F-SOON": (2, 0), "F-LATE": (6, 6)}
    scan(session, user("keeper"), order, "F-SOON", 2)
    assert reserved(session, "F-SOON") == 0 and ledger.verify(session) == []


def test_substitution_needs_free_stock_of_the_same_owner(session, ctx):
    _, _, user = ctx
    quilt = get(session, Item, code=QUILT)
    s1 = get(session, Depot, code="DEP-S1")
    factories.receive(session, quilt, s1, 3, lot_code="QZ-OTHER")
    order = order_for(session, ctx, [(QUILT, 10)])
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    session.commit()
    with pytest.raises(InsufficientStock):
        scan(session, user("keeper"), order, "QZ-OTHER", 5)
    session.rollback()
    assert reserved(session, "Q1") == 10


def test_dispatch_releases_what_was_not_picked_and_receipt_records_losses(session, ctx, approved):
    _, shelter, user = ctx
    scan(session, user("keeper"), approved, "Q1", 20)
    scan(session, user("admin"), approved, "T1", 25, depot="DEP-D1")
    session.commit()
    with pytest.raises(InvalidTransition):
        dispatch_receipt.receive(session, user("admin"), approved, now=utcnow())
    session.rollback()
    order = dispatch.get_order(session, user("admin"), approved.code)
    dispatch_picking.dispatch(session, user("admin"), order, now=utcnow(), vehicle="蒙K12345",
                              driver="王师傅", eta=utcnow() + timedelta(hours=2))
    session.commit()
    assert order.status is OrderStatus.DISPATCHED and reserved(session, "T1") == 0
    assert {a.lot.lot_code: a.quantity for a in order.allocations} == {"Q1": 20, "T1": 25}
    with pytest.raises(InvalidInput):
        dispatch_receipt.receive(session, user("admin"), order, now=utcnow(),
                                 lines=[ReceivedLine(get(session, Item, code=QUILT), 21)])
    session.rollback()
    order = dispatch.get_order(session, user("admin"), approved.code)
    dispatch_receipt.receive(session, user("admin"), order, now=utcnow(),
                             lines=[ReceivedLine(get(session, Item, code=QUILT), 18)])
    assert order.status is OrderStatus.RECEIVED and order.receiving_depot_id == shelter.id
    assert {a.lot.lot_code: (a.received, a.lost) for a in order.allocations} == {
        "Q1": (18, 2), "T1": (25, 0)}
    assert on_hand(session, "Q1", "DEP-S1C1") == 18 and on_hand(session, "T1", "DEP-S1C1") == 25
    losses = session.scalars(sa.select(Movement).where(Movement.kind == MovementKind.LOSS)).all()
    assert [(m.quantity, m.order_code) for m in losses] == [(2, order.code)]
    assert ledger.verify(session) == []


def test_transfer_picks_land_in_the_destination_depot(session, ctx, approved):
    _, _, user = ctx
    scan(session, user("keeper"), approved, "Q1", 20, kind="transfer", to_depot_code="DEP-S1C1")
    assert on_hand(session, "Q1", "DEP-S1C1") == 20
    order = dispatch.get_order(session, user("admin"), approved.code)
    dispatch_picking.dispatch(session, user("admin"), order, now=utcnow())
    dispatch_receipt.receive(session, user("admin"), order, now=utcnow())
    assert on_hand(session, "Q1", "DEP-S1C1") == 20 and ledger.verify(session) == []


def test_cancel_after_picking_is_refused(session, ctx, approved):
    _, _, user = ctx
    scan(session, user("keeper"), approved, "Q1", 1)
    with pytest.raises(InvalidTransition):
        dispatch.cancel(session, user("dispatcher"), approved, now=utcnow())


def test_agreement_call_off_is_proposed_called_and_received(session, ctx, world):
    _, _, user = ctx
    partner = Partner(code="P1", name="Tent Co", created_at=utcnow())
    agreement = Agreement(code="AG-T", partner=partner, owner=get(session, Unit, code="D1"),
                          mode=AgreementMode.STOCK, valid_from=date.today() - timedelta(10),
                          valid_to=date.today() + timedelta(300), lead_time_hours=4,
                          created_at=utcnow())
    agreement.lines = [AgreementLine(item=get(session, Item, code=TENT), quantity=40)]
    session.add(agreement)
    order = order_for(session, ctx, [(TENT, 150)], user="admin")
    assert [(c.agreement.code, c.quantity, c.status) for c in order.calloffs] == [
        ("AG-T", 20, CallOffStatus.PROPOSED)]
    assert dispatch.unmet(order) == {}
    dispatch.approve(session, user("admin"), order, now=utcnow())
    calloff = order.calloffs[0]
    assert calloff.status is CallOffStatus.CALLED
    assert calloff.due_at - calloff.called_at == timedelta(hours=4)
    dispatch_receipt.receive_calloff(session, user("admin"), calloff, quantity=18, now=utcnow(),
                                     batch_no="AGT1")
    assert calloff.status is CallOffStatus.RECEIVED and calloff.received_quantity == 18
    assert on_hand(session, f"{TENT}-AGT1", "DEP-S1C1") == 18
    with pytest.raises(InvalidTransition):
        dispatch_receipt.receive_calloff(session, user("admin"), calloff, quantity=1, now=utcnow())
    # what is already called off is no longer on offer to the next order
    assert [o.quantity for o in dispatch_sources.offers(session, [agreement.lines[0].item_id],
                                                on=date.today())] == [20]


def reverse(session, user, movement):
    return bookings.reverse(session, user, movement_id=movement.id, request_id=str(uuid.uuid4()),
                            reason="wrong lot", request_hash="r", now=utcnow())


def lot_total(session, lot_code):
    """Every piece of the lot, wherever it lies."""
    return session.scalar(sa.text(
        "SELECT coalesce(sum(b.quantity), 0) FROM balance b JOIN lot l ON l.id = b.lot_id "
        "WHERE l.lot_code = :lot"), {"lot": lot_code})


def test_reversing_a_pick_puts_it_back_on_the_order_and_invents_no_stock(session, ctx, approved):
    _, _, user = ctx
    before = lot_total(session, "Q1")
    picked = scan(session, user("keeper"), approved, "Q1", 15).movements[0]
    session.commit()
    booking = reverse(session, user("keeper"), picked)  # the keeper's own, within minutes
    session.commit()
    reversal = booking.movements[0]
    assert (reversal.kind, reversal.order_code) == (MovementKind.REVERSAL, approved.code)
    order = dispatch.get_order(session, user("admin"), approved.code)
    quilts = next(a for a in order.allocations if a.lot.lot_code == "Q1")
    assert (quilts.quantity, quilts.picked) == (20, 0)
    assert reserved(session, "Q1") == 20 and on_hand(session, "Q1", "DEP-S1") == 50
    assert [(b.quantity, b.reserved) for b in booking.balances] == [(50, 20)]
    with pytest.raises(DomainError):  # once is enough
        reverse(session, user("admin"), picked)
    session.rollback()
    # nothing picked any more: the order can be cancelled, as its message says
    order = dispatch.get_order(session, user("admin"), approved.code)
    dispatch.cancel(session, user("dispatcher"), order, now=utcnow())
    session.commit()
    assert reserved(session, "Q1") == 0 and reserved(session, "T1") == 0
    assert lot_total(session, "Q1") == before and ledger.verify(session) == []


def test_a_reversed_pick_is_not_shipped_twice(session, ctx, approved):
    _, _, user = ctx
    before = lot_total(session, "Q1")
    picked = scan(session, user("keeper"), approved, "Q1", 20).movements[0]
    reverse(session, user("admin"), picked)
    scan(session, user("keeper"), approved, "Q1", 12)
    order = dispatch.get_order(session, user("admin"), approved.code)
    dispatch_picking.dispatch(session, user("admin"), order, now=utcnow())
    dispatch_receipt.receive(session, user("admin"), order, now=utcnow())
    session.commit()
    assert on_hand(session, "Q1", "DEP-S1C1") == 12 and on_hand(session, "Q1", "DEP-S1") == 38
    assert lot_total(session, "Q1") == before and reserved(session, "Q1") == 0
    assert ledger.verify(session) == []


def test_picks_of_a_dispatched_order_cannot_be_reversed(session, ctx, approved):
    _, _, user = ctx
    picked = scan(session, user("keeper"), approved, "Q1", 20).movements[0]
    order = dispatch.get_order(session, user("admin"), approved.code)
    dispatch_picking.dispatch(session, user("admin"), order, now=utcnow())
    session.commit()
    with pytest.raises(InvalidTransition) as refused:
        reverse(session, user("admin"), picked)
    assert "can no longer be reversed" in str(refused.value)
    session.rollback()
    dispatch_receipt.receive(session, user("admin"), order, now=utcnow())
    session.commit()
    receipt = session.scalars(sa.select(Movement).where(
        Movement.order_code == order.code, Movement.kind == MovementKind.RECEIVE)).first()
    with pytest.raises(InvalidTransition):  # nor the receipt that booked them in
        reverse(session, user("admin"), receipt)
    session.rollback()
    with pytest.raises(DomainError):  # and never around the order
        movements.reverse(session, movements.system_actor(), movement=receipt, now=utcnow())
    session.rollback()
    assert on_hand(session, "Q1", "DEP-S1C1") == 20 and ledger.verify(session) == []


def test_reversing_a_transfer_pick_takes_it_back_from_the_destination(session, ctx, approved):
    _, _, user = ctx
    picked = scan(session, user("keeper"), approved, "Q1", 20, kind="transfer",
                  to_depot_code="DEP-S1C1").movements[0]
    reverse(session, user("admin"), picked)
    order = dispatch.get_order(session, user("admin"), approved.code)
    quilts = next(a for a in order.allocations if a.lot.lot_code == "Q1")
    assert (quilts.picked, quilts.transferred) == (0, 0)
    assert on_hand(session, "Q1", "DEP-S1C1") == 0 and on_hand(session, "Q1", "DEP-S1") == 50
    assert reserved(session, "Q1") == 20 and ledger.verify(session) == []


def torch_agreement(session, quantity):
    """Torches are in no depot: a partner's agreement is their only source."""
    agreement = Agreement(code="AG-L", partner=Partner(code="P3", name="Torch Co",
                                                       created_at=utcnow()),
                          owner=get(session, Unit, code="D1"), mode=AgreementMode.STOCK,
                          valid_from=date.today() - timedelta(10),
                          valid_to=date.today() + timedelta(300), lead_time_hours=4,
                          created_at=utcnow())
    agreement.lines = [AgreementLine(item=get(session, Item, code=TORCH), quantity=quantity)]
    session.add(agreement)
    session.commit()
    return agreement


def test_two_drafts_cannot_call_off_more_than_the_agreement_has_left(session, ctx, world):
    _, _, user = ctx
    torch_agreement(session, 70)
    first = order_for(session, ctx, [(TORCH, 60)])
    second = order_for(session, ctx, [(QUILT, 5), (TORCH, 60)])
    assert [c.quantity for c in first.calloffs] == [c.quantity for c in second.calloffs] == [60]
    session.commit()
    dispatch.approve(session, user("bureau"), first, now=utcnow())
    session.commit()
    with pytest.raises(InsufficientStock) as refused:
        dispatch.approve(session, user("bureau"), second, now=utcnow())
    assert refused.value.status == 409 and refused.value.params["left"] == 10
    session.rollback()
    second = dispatch.get_order(session, user("admin"), second.code)
    assert second.status is OrderStatus.DRAFT and reserved(session, "Q1") == 0  # nothing half
    assert [c.status for c in second.calloffs] == [CallOffStatus.PROPOSED]
    dispatch.propose(session, user("dispatcher"), second, now=utcnow())  # what is left now
    assert [c.quantity for c in second.calloffs] == [10]
    dispatch.approve(session, user("bureau"), second, now=utcnow())
    assert second.status is OrderStatus.APPROVED and reserved(session, "Q1") == 5


def test_an_agreement_that_expired_since_the_proposal_calls_off_nothing(session, ctx, world):
    _, _, user = ctx
    agreement = torch_agreement(session, 70)
    order = order_for(session, ctx, [(TORCH, 20)])
    agreement.valid_to = date.today() - timedelta(1)
    session.commit()
    with pytest.raises(InsufficientStock):
        dispatch.approve(session, user("bureau"), order, now=utcnow())
    session.rollback()
