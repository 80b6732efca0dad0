"""Dispatch orders: proposal, approval reserving stock, the state machine, cancellation."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inventory.models import (Balance, Depot, DispatchOrder, Item, Lot, OrderStatus, Unit, User,
                              utcnow)
from inventory.services import dispatch, events, ledger
from inventory.services.errors import Forbidden, InsufficientStock, InvalidInput, InvalidTransition
from tests import factories


def get(session, model, **kw):
    return session.scalar(sa.select(model).filter_by(**kw))


def reserved(session, lot_code, depot_code=None) -> int:
    stmt = (sa.select(sa.func.coalesce(sa.func.sum(Balance.reserved), 0)).join(Lot)
            .where(Lot.lot_code == lot_code))
    if depot_code:
        stmt = stmt.where(Balance.depot_id == sa.select(Depot.id).where(
            Depot.code == depot_code).scalar_subquery())
    return session.scalar(stmt)


@pytest.fixture
def ctx(session, world):
    user = lambda name: get(session, User, username=name)  # noqa: E731
    event = events.create_event(session, user("dispatcher"), name="Flood", unit=get(
        session, Unit, code="D1"), started_at=utcnow(), now=utcnow())
    shelter = factories.make_depot(session, "DEP-S1C1", get(session, Unit, code="S1C1"))
    session.commit()
    return event, shelter, user


def order_for(session, ctx, lines, *, people=None, user="dispatcher", **kw):
    event, shelter, user_of = ctx
    items = {code: get(session, Item, code=code) for code, _ in lines}
    return dispatch.create_order(
        session, user_of(user), event=event, to_unit=shelter.unit, to_depot=shelter,
        lines=[(items[code], q) for code, q in lines] or None, people=people, now=utcnow(), **kw)


TENT, QUILT, FOOD, TORCH = "1010101", "1020101", "1040101", "1060101"


def test_proposal_draws_nearest_stock_and_reports_the_shortfall(session, ctx):
    order = order_for(session, ctx, [(TENT, 110), (QUILT, 20), (TORCH, 5)])
    got = {(a.depot.code, a.lot.lot_code, a.quantity, a.needs_owner_approval)
           for a in order.allocations}
    # district stock first; the other district's tents are flagged (owner D2)
    assert got == {("DEP-D1", "T1", 100, False), ("DEP-D2", "T2", 10, True),
                   ("DEP-S1", "Q1", 20, False)}
    assert {item.code: q for item, q in dispatch.unmet(order).items()} == {TORCH: 5}
    assert order.status is OrderStatus.DRAFT and reserved(session, "T1") == 0
    assert order.estimated_hours == 1 + 4  # handling + (3 up, 1 down) to the other district


def test_people_are_converted_with_the_norms(session, ctx):
    order = order_for(session, ctx, [], people=500)
    assert {line.item.code: line.quantity for line in order.lines} == {
        TENT: 125, QUILT: 500, FOOD: 1500, TORCH: 167}
    assert order.request.people == 500 and len(order.request.lines) == 4


def test_approval_reserves_and_a_second_order_cannot_promise_the_same_stock(session, ctx):
    _, _, user = ctx
    first = order_for(session, ctx, [(TENT, 80)])
    second = order_for(session, ctx, [(TENT, 80)])
    session.commit()
    assert [a.lot.lot_code for a in second.allocations] == ["T1"]  # drafts do not reserve
    dispatch.approve(session, user("bureau"), first, now=utcnow())
    session.commit()
    assert first.status is OrderStatus.APPROVED and reserved(session, "T1") == 80
    with pytest.raises(InsufficientStock):
        dispatch.approve(session, user("bureau"), second, now=utcnow())
    session.rollback()
    assert get(session, DispatchOrder, code=second.code).status is OrderStatus.DRAFT
    assert reserved(session, "T1") == 80  # nothing half-reserved


def test_all_or_nothing_when_one_allocation_is_gone(session, ctx):
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 10), (TENT, 60)])
    other = order_for(session, ctx, [(TENT, 50)])
    dispatch.approve(session, user("bureau"), other, now=utcnow())
    session.commit()
    with pytest.raises(InsufficientStock):
        dispatch.approve(session, user("bureau"), order, now=utcnow())
    session.rollback()
    assert reserved(session, "Q1") == 0 and reserved(session, "T1") == 50


def test_illegal_transitions_are_refused(session, ctx):
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 5)])
    with pytest.raises(InvalidTransition):  # nothing picked, not even approved
        dispatch.transition(session, order, OrderStatus.DISPATCHED)
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    with pytest.raises(InvalidTransition):
        dispatch.approve(session, user("admin"), order, now=utcnow())
    with pytest.raises(InvalidTransition):
        dispatch.adjust(session, user("dispatcher"), order, now=utcnow(), quantities={})
    with pytest.raises(InvalidTransition):
        dispatch.transition(session, order, OrderStatus.RECEIVED)
    dispatch.cancel(session, user("dispatcher"), order, now=utcnow(), reason="test")
    for target in OrderStatus:
        with pytest.raises(InvalidTransition):
            dispatch.transition(session, order, target)


def test_transition_is_compare_and_set(session, ctx):
    order = order_for(session, ctx, [(QUILT, 5)])
    session.commit()
    session.execute(sa.update(DispatchOrder).where(DispatchOrder.id == order.id)
                    .values(status=OrderStatus.CANCELLED))  # someone else, meanwhile
    with pytest.raises(InvalidTransition):
        dispatch.transition(session, order, OrderStatus.APPROVED)


def test_cancel_releases_reservations(session, ctx):
    _, _, user = ctx
    order = order_for(session, ctx, [(TENT, 40), (QUILT, 10)])
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    assert (reserved(session, "T1"), reserved(session, "Q1")) == (40, 10)
    dispatch.cancel(session, user("dispatcher"), order, now=utcnow(), reason="road closed")
    assert order.status is OrderStatus.CANCELLED and order.cancel_reason == "road closed"
    assert (reserved(session, "T1"), reserved(session, "Q1")) == (0, 0)
    assert ledger.verify(session) == []


def test_two_person_rule_needs_two_different_approvers(session, ctx):
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 5)])
    dispatch.approve(session, user("bureau"), order, now=utcnow(), approvers_required=2)
    session.commit()
    assert order.status is OrderStatus.DRAFT and reserved(session, "Q1") == 0
    with pytest.raises(InvalidTransition):
        dispatch.approve(session, user("bureau"), order, now=utcnow(), approvers_required=2)
    session.rollback()
    order = get(session, DispatchOrder, code=order.code)
    dispatch.approve(session, user("admin"), order, now=utcnow(), approvers_required=2)
    assert order.status is OrderStatus.APPROVED and reserved(session, "Q1") == 5


def test_cross_unit_stock_needs_its_owner(session, ctx):
    _, _, user = ctx
    order = order_for(session, ctx, [(TENT, 120)])
    flagged = [a for a in order.allocations if a.needs_owner_approval]
    assert [(a.owner.code, a.quantity) for a in flagged] == [("D2", 20)]
    session.commit()
    with pytest.raises(Forbidden):  # a district-one officer cannot give district two's tents
        dispatch.approve(session, user("bureau"), order, now=utcnow())
    session.rollback()
    assert reserved(session, "T1") == 0
    order = get(session, DispatchOrder, code=order.code)
    dispatch.approve_as_owner(session, user("admin"), order, flagged[0].id, now=utcnow())
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    assert (reserved(session, "T1"), reserved(session, "T2")) == (100, 20)


def test_dispatcher_adjusts_the_proposal(session, ctx):
    _, _, user = ctx
    order = order_for(session, ctx, [(TENT, 110)])
    d2 = next(a for a in order.allocations if a.depot.code == "DEP-D2")
    d1 = next(a for a in order.allocations if a.depot.code == "DEP-D1")
    dispatch.adjust(session, user("dispatcher"), order, now=utcnow(),
                    quantities={d2.id: 0, d1.id: 90})
    assert [(a.lot.lot_code, a.quantity) for a in order.allocations] == [("T1", 90)]
    assert {i.code: q for i, q in dispatch.unmet(order).items()} == {TENT: 20}
    with pytest.raises(InvalidInput):
        dispatch.adjust(session, user("dispatcher"), order, now=utcnow(), quantities={d1.id: 200})
    session.rollback()


def test_closed_event_takes_no_orders_and_cannot_close_with_live_orders(session, ctx):
    event, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 5)])
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    with pytest.raises(InvalidTransition):
        events.close_event(session, user("dispatcher"), event, now=utcnow())
    dispatch.cancel(session, user("dispatcher"), order, now=utcnow())
    events.close_event(session, user("dispatcher"), event, now=utcnow())
    with pytest.raises(InvalidTransition):
        order_for(session, ctx, [(QUILT, 5)])


def test_needed_by_sets_the_horizon(session, ctx):
    order = order_for(session, ctx, [(QUILT, 5)], needed_by=utcnow() + timedelta(hours=3))
    assert 2.9 < dispatch.horizon_hours(order, utcnow()) <= 3


def test_codes_are_readable_and_never_repeat(session, ctx):
    first = order_for(session, ctx, [(QUILT, 1)])
    second = order_for(session, ctx, [(QUILT, 1)])
    stem = f"DO{utcnow():%Y%m%d}-"
    assert (first.code, second.code) == (f"{stem}001", f"{stem}002")
    assert first.request.code.startswith("RQ") and first.request.code != second.request.code


def test_people_are_converted_with_the_seasons_norms(session, ctx):
    from decimal import Decimal
    quilt = get(session, Item, code=QUILT)
    quilt.per_person_cold = Decimal(2)
    stove = factories.make_item(session, "1060201", name="取暖炉", per_person=0)
    stove.per_person_cold = Decimal("0.1")
    session.flush()
    warm = order_for(session, ctx, [], people=10, season="warm")
    cold = order_for(session, ctx, [], people=10, season="cold")
    assert {line.item.code: line.quantity for line in warm.lines} == {
        TENT: 3, QUILT: 10, FOOD: 30, TORCH: 4}
    assert {line.item.code: line.quantity for line in cold.lines} == {
        TENT: 3, QUILT: 20, FOOD: 30, TORCH: 4, "1060201": 1}


def test_people_are_converted_with_the_norms_of_the_date_s_season(session, ctx):
    from datetime import datetime, timezone

    event, shelter, user = ctx
    factories.make_item(session, "1010201", name="取暖炉", name_en="Stove", category="shelter",
                        per_person=0, per_person_cold=0.5, critical=False)
    session.flush()

    def lines(month, **kw):
        order = dispatch.create_order(
            session, user("dispatcher"), event=event, to_unit=shelter.unit, to_depot=shelter,
            people=10, now=datetime(2026, month, 10, tzinfo=timezone.utc), **kw)
        return {line.item.code: line.quantity for line in order.lines}

    assert lines(1)["1010201"] == 5  # auto: January is cold
    assert "1010201" not in lines(7)
    assert "1010201" not in lines(1, season="warm")
    assert lines(7, season="cold")["1010201"] == 5
