"""Distribution to households, timeliness, the dispatch_overdue rule and the daily report."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inventory.models import (Agreement, AgreementLine, AgreementMode, Item, OrderStatus, Partner,
                              Unit, utcnow)
from inventory.models.base import as_utc
from inventory.services import dispatch, dispatch_picking, dispatch_receipt, distribution, ledger
from inventory.services.dispatch_reports import (daily_report, dispatch_overdue_rule, elapsed_hours,
                                                 on_time)
from inventory.services.errors import InsufficientStock, InvalidInput, InvalidTransition
from tests.services.test_dispatch import QUILT, TENT, TORCH, ctx, get, order_for  # noqa: F401
from tests.services.test_dispatch_picking import scan

RULE_KEYS = {"dedup_key", "kind", "severity", "message", "params", "value", "unit_id",
             "depot_id", "item_id", "lot_code", "agreement_code", "order_code"}


def test_id_numbers_are_masked():
    assert distribution.mask_id_number("150602199001011234") == "1506**********1234"
    assert distribution.mask_id_number(" 15060219900101123x ") == "1506**********123X"
    assert distribution.mask_id_number("150602900101123") == "1506*******1123"
    assert distribution.mask_id_number("1506**********1234") == "1506**********1234"
    for bad in ("", "12345", "15060219900101123A", "1506*1234"):
        with pytest.raises(InvalidInput):
            distribution.mask_id_number(bad)


@pytest.fixture
def delivered(session, ctx):
    """An order of 20 quilts and 10 tents received at the shelter."""
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 20), (TENT, 10)])
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    scan(session, user("keeper"), order, "Q1", 20)
    scan(session, user("admin"), order, "T1", 10, depot="DEP-D1")
    dispatch_picking.dispatch(session, user("admin"), order, now=utcnow())
    dispatch_receipt.receive(session, user("admin"), order, now=utcnow())
    session.commit()
    return order


def test_distribution_issues_from_the_shelter_and_stores_only_the_masked_id(session, ctx, delivered):
    event, shelter, user = ctx
    record = distribution.distribute(
        session, user("admin"), event=event, depot=shelter, household_head="张三",
        id_number="150602199001011234", household_size=4, request_id="r-1", now=utcnow(),
        lines=[(get(session, Item, code=QUILT), 4), (get(session, Item, code=TENT), 1)])
    assert record.id_number_masked == "1506**********1234"
    assert [(line.lot.lot_code, line.quantity) for line in record.lines] == [("Q1", 4), ("T1", 1)]
    again = distribution.distribute(
        session, user("admin"), event=event, depot=shelter, household_head="张三",
        id_number="150602199001011234", household_size=4, request_id="r-1", now=utcnow(),
        lines=[(get(session, Item, code=QUILT), 4)])
    assert again.id == record.id  # a double submit records one distribution
    raw = session.execute(sa.text("SELECT id_number_masked FROM distribution")).scalars().all()
    assert raw == ["1506**********1234"]
    with pytest.raises(InsufficientStock):
        distribution.distribute(
            session, user("admin"), event=event, depot=shelter, household_head="李四",
            id_number="150602199001015678", household_size=2, request_id="r-2", now=utcnow(),
            lines=[(get(session, Item, code=QUILT), 17)])
    session.rollback()
    assert ledger.verify(session) == []


def test_daily_report_counts_each_stage_and_people_served(session, ctx, delivered):
    event, shelter, user = ctx
    distribution.distribute(
        session, user("admin"), event=event, depot=shelter, household_head="张三",
        id_number="150602199001011234", household_size=5, request_id="r-1", now=utcnow(),
        lines=[(get(session, Item, code=QUILT), 5)])
    order_for(session, ctx, [(QUILT, 7)])  # a new draft request today
    start = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    report = daily_report(session, event, start=start, end=start + timedelta(days=1))
    quilt = next(row for row in report.items if row.item.code == QUILT)
    assert quilt.total == {"requested": 27, "allocated": 20, "dispatched": 20, "received": 20,
                           "distributed": 5}
    assert quilt.day == quilt.total
    assert (report.people_total, report.households_total) == (5, 1)
    assert report.received_orders == 1 and report.on_time_orders == 1
    yesterday = daily_report(session, event, start=start - timedelta(days=1), end=start)
    assert yesterday.items == [] and yesterday.people_total == 0


def test_overdue_rule_warns_then_goes_critical(session, ctx):
    order = order_for(session, ctx, [(QUILT, 5)])
    session.commit()
    requested = order.requested_at
    assert dispatch_overdue_rule(session, today=date.today(), now=requested + timedelta(hours=5)) == []
    warning, = dispatch_overdue_rule(session, today=date.today(),
                                     now=requested + timedelta(hours=6, minutes=30))
    assert set(warning) == RULE_KEYS
    assert (warning["severity"], warning["order_code"], warning["kind"]) == (
        "warning", order.code, "dispatch_overdue")
    critical, = dispatch_overdue_rule(session, today=date.today(),
                                      now=requested + timedelta(hours=9))
    assert critical["severity"] == "critical" and critical["value"] == 9
    assert critical["dedup_key"] == warning["dedup_key"] == f"dispatch_overdue:order:{order.code}"
    assert critical["unit_id"] == order.to_unit_id and critical["params"]["target"] == 8
    assert "%(order)s" in critical["message"]


def test_received_orders_and_late_call_offs(session, ctx, delivered):
    _, _, user = ctx
    assert on_time(delivered) is True
    now = utcnow()
    assert dispatch_overdue_rule(session, today=date.today(), now=now + timedelta(hours=20)) == []
    agreement = Agreement(code="AG-Q", partner=Partner(code="P2", name="Quilt Co", created_at=now),
                          owner=get(session, Unit, code="D1"), mode=AgreementMode.SUPPLY,
                          valid_from=date.today() - timedelta(1), valid_to=date.today() + timedelta(90),
                          lead_time_hours=6, created_at=now)
    agreement.lines = [AgreementLine(item=get(session, Item, code=QUILT), quantity=100)]
    session.add(agreement)
    order = order_for(session, ctx, [(QUILT, 60)], user="admin")
    dispatch.approve(session, user("admin"), order, now=now)
    session.commit()
    found = {c["dedup_key"]: c for c in dispatch_overdue_rule(
        session, today=date.today(), now=now + timedelta(hours=7))}
    calloff = found[f"dispatch_overdue:calloff:{order.calloffs[0].code}"]
    assert (calloff["agreement_code"], calloff["severity"], calloff["value"]) == ("AG-Q", "warning", 1)
    assert set(calloff) == RULE_KEYS


@pytest.fixture
def torch_agreement(session, world):
    """Torches are in no depot: only a partner's agreement (4 h lead time) supplies them."""
    agreement = Agreement(code="AG-L", partner=Partner(code="P3", name="Torch Co",
                                                       created_at=utcnow()),
                          owner=get(session, Unit, code="D1"), mode=AgreementMode.STOCK,
                          valid_from=date.today() - timedelta(1),
                          valid_to=date.today() + timedelta(90), lead_time_hours=4,
                          created_at=utcnow())
    agreement.lines = [AgreementLine(item=get(session, Item, code=TORCH), quantity=100)]
    session.add(agreement)
    session.commit()
    return agreement


def alerts_at(session, order, when):
    """The order's own dispatch_overdue alert (not its late call-offs')."""
    return {c["dedup_key"]: c["severity"] for c in dispatch_overdue_rule(
        session, today=date.today(), now=when)
        if c["dedup_key"] == f"dispatch_overdue:order:{order.code}"}


def test_an_order_met_only_by_call_offs_is_received_when_they_arrive(session, ctx,
                                                                      torch_agreement):
    event, _, user = ctx
    order = order_for(session, ctx, [(TORCH, 5)])
    assert order.allocations == [] and [c.quantity for c in order.calloffs] == [5]
    dispatch.approve(session, user("bureau"), order, now=utcnow())
    session.commit()
    with pytest.raises(InvalidTransition):  # nothing to pick, nothing to ship
        dispatch_picking.dispatch(session, user("admin"), order, now=utcnow())
    session.rollback()
    start = as_utc(order.requested_at)
    key = f"dispatch_overdue:order:{order.code}"
    assert alerts_at(session, order, start + timedelta(hours=7))[key] == "warning"
    arrival = start + timedelta(hours=3)
    dispatch_receipt.receive_calloff(session, user("admin"), order.calloffs[0], quantity=5,
                                     now=arrival, batch_no="L1")
    session.commit()
    assert order.status is OrderStatus.RECEIVED and as_utc(order.received_at) == arrival
    assert order.completed_at == arrival
    assert on_time(order) is True and elapsed_hours(order, start + timedelta(hours=30)) == 3
    assert alerts_at(session, order, start + timedelta(hours=30)) == {}
    report = daily_report(session, event, start=start - timedelta(hours=1),
                          end=start + timedelta(days=1))
    assert (report.received_orders, report.on_time_orders, report.average_hours) == (1, 1, 3.0)
    assert ledger.verify(session) == []


def test_a_mixed_order_is_complete_only_when_its_call_offs_have_arrived(session, ctx,
                                                                        torch_agreement):
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 10), (TORCH, 5)])
    start = as_utc(order.requested_at)
    dispatch.approve(session, user("bureau"), order, now=start)
    scan(session, user("keeper"), order, "Q1", 10)
    dispatch_picking.dispatch(session, user("admin"), order, now=start + timedelta(hours=1))
    dispatch_receipt.receive(session, user("admin"), order, now=start + timedelta(hours=2))
    session.commit()
    # the truck is in, the partner's torches are not: the order is still under way
    assert order.status is OrderStatus.DISPATCHED and on_time(order) is None
    assert elapsed_hours(order, start + timedelta(hours=9)) == 9
    key = f"dispatch_overdue:order:{order.code}"
    assert alerts_at(session, order, start + timedelta(hours=9)) == {key: "critical"}
    with pytest.raises(InvalidTransition):  # the shipment is received once
        dispatch_receipt.receive(session, user("admin"), order, now=start + timedelta(hours=3))
    session.rollback()
    late = start + timedelta(hours=10)
    dispatch_receipt.receive_calloff(session, user("admin"), order.calloffs[0], quantity=5,
                                     now=late, batch_no="L2")
    session.commit()
    assert order.status is OrderStatus.RECEIVED
    assert as_utc(order.received_at) == start + timedelta(hours=2) and order.completed_at == late
    assert on_time(order) is False and elapsed_hours(order, late + timedelta(hours=5)) == 10
    assert ledger.verify(session) == []


def test_call_offs_delivered_before_the_shipment_count_at_its_receipt(session, ctx,
                                                                       torch_agreement):
    _, _, user = ctx
    order = order_for(session, ctx, [(QUILT, 10), (TORCH, 5)])
    start = as_utc(order.requested_at)
    dispatch.approve(session, user("bureau"), order, now=start)
    dispatch_receipt.receive_calloff(session, user("admin"), order.calloffs[0], quantity=5,
                                     now=start + timedelta(hours=1), batch_no="L3")
    assert order.status is OrderStatus.APPROVED  # the quilts are still to come
    scan(session, user("keeper"), order, "Q1", 10)
    dispatch_picking.dispatch(session, user("admin"), order, now=start + timedelta(hours=2))
    dispatch_receipt.receive(session, user("admin"), order, now=start + timedelta(hours=4))
    assert order.status is OrderStatus.RECEIVED
    assert order.completed_at == start + timedelta(hours=4) and on_time(order) is True
