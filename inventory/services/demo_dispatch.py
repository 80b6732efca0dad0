"""A small, closed demo disaster so the dispatch pages are not empty on first start.

Eight days ago heavy rain flooded 滨河社区: the district asked for goods for its shelter,
approved the proposal, picked, sent and received them (two quilts arrived soaked), and
handed goods to three households; the event was closed two days ago. Everything goes
through the dispatch services, so reservations, the ledger and the reports agree.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Depot, EventType, Item, MovementKind, Unit, User
from inventory.services import (dispatch, dispatch_picking, dispatch_receipt, distribution,
                                events)
from inventory.services.dispatch_receipt import ReceivedLine
from inventory.services.movements import Actor

DISTRICT, STREET, COMMUNITY, SHELTER = "150603", "150603003", "150603003001", "KBS-ST03-C1"
LINES = {"1010101": 30, "1020101": 120, "1050101": 600, "1040101": 360}
HOUSEHOLDS = [("王秀兰", "150603196805121226", 3, {"1020101": 3, "1050101": 27, "1040101": 9}),
              ("赵建军", "150603197911030517", 5, {"1010101": 1, "1020101": 5, "1050101": 45}),
              ("刘海燕", "15060319880214242X", 2, {"1020101": 2, "1040101": 6})]


def load(session: Session, *, now: datetime, admin: User) -> None:
    """Record the story (the caller made sure the demo reserve was just created)."""
    get = lambda model, code: session.scalar(sa.select(model).where(model.code == code))  # noqa: E731
    district, street, community = get(Unit, DISTRICT), get(Unit, STREET), get(Unit, COMMUNITY)
    shelter = get(Depot, SHELTER)
    items = {code: get(Item, code) for code in LINES}
    if None in (district, street, community, shelter) or None in items.values():
        return  # another tier configuration: no community shelter to tell the story with
    start = now - timedelta(days=8)
    event = events.create_event(
        session, admin, code="EV-DEMO-RAIN", name="康巴什区强降雨内涝(演示)", unit=district,
        type=EventType.FLOOD, areas=[street], started_at=start, response_level=4,
        affected_people=1200, relocated_people=320, now=start,
        note="演示数据：滨河社区低洼小区积水，转移安置群众。")
    order = dispatch.create_order(
        session, admin, event=event, to_unit=community, to_depot=shelter,
        lines=[(items[code], quantity) for code, quantity in LINES.items()],
        now=start + timedelta(minutes=20), note="滨河社区安置点首批生活物资")
    dispatch.approve(session, admin, order, now=start + timedelta(hours=1))
    _pick_all(session, admin, order, now=start + timedelta(hours=2))
    dispatch_picking.dispatch(session, admin, order, now=start + timedelta(hours=2, minutes=30),
                              vehicle="蒙K·E0306", driver="李建国", driver_phone="13904770306",
                              eta=start + timedelta(hours=4))
    dispatch_receipt.receive(session, admin, order, now=start + timedelta(hours=4, minutes=15),
                             lines=[ReceivedLine(items["1020101"], LINES["1020101"] - 2)],
                             note="2 床棉被途中被雨水浸湿")
    for number, (head, id_number, size, goods) in enumerate(HOUSEHOLDS, start=1):
        distribution.distribute(
            session, admin, event=event, depot=shelter, household_head=head,
            id_number=id_number, household_size=size, request_id=f"demo-distribution-{number}",
            now=start + timedelta(hours=5, minutes=10 * number),
            lines=[(items[code], quantity) for code, quantity in goods.items()])
    events.close_event(session, admin, event, now=now - timedelta(days=2))


def _pick_all(session: Session, admin: User, order, *, now: datetime) -> None:
    for allocation in list(order.allocations):
        actor = Actor(user=admin, request_id=f"demo-pick-{order.code}-{allocation.id}",
                      order_code=order.code)
        dispatch_picking.pick(session, actor, allocation.depot, {
            "kind": MovementKind.ISSUE.value, "order_code": order.code,
            "lot_code": allocation.lot.lot_code, "quantity": allocation.quantity,
            "owner_code": allocation.owner.code}, now)
