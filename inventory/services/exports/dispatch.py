"""The dispatch register (调拨记录) and the distribution register (发放台账)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from inventory.models import (Agreement, CallOff, CallOffStatus, DisasterEvent,
                              DispatchAllocation, DispatchLine, DispatchOrder, Distribution,
                              DistributionLine, Item, Lot, Partner, Unit)
from inventory.reports import Table
from inventory.services.exports.common import (ExportArgs, FromDepot, ToDepot, naive, period,
                                               stream, table, title)
from inventory.services.queries import in_subtree
from inventory.services.sheets import Column

DISPATCH_COLUMNS = [
    Column("order", "调拨单号", "Order"), Column("event", "灾情事件", "Event"),
    Column("status", "状态", "Status"), Column("to_unit", "接收单位", "Destination"),
    Column("to_depot", "接收库/安置点", "Destination depot"),
    Column("source", "来源", "Supplied by"),
    Column("item_code", "物资编码", "Item code"), Column("item_name", "物资名称", "Item name"),
    Column("lot", "批次编码", "Lot code"), Column("from_depot", "调出库", "From depot"),
    Column("owner", "储备单位", "Owner"), Column("allocated", "调拨数量", "Allocated"),
    Column("picked", "已出库", "Picked"), Column("received", "已接收", "Received"),
    Column("lost", "途损", "Lost"), Column("agreement", "协议编号", "Agreement"),
    Column("partner", "协议企业", "Partner"), Column("calloff", "调用单号", "Call-off"),
    Column("calloff_status", "调用状态", "Call-off status"),
    Column("lead_time", "响应时限(小时)", "Lead time (hours)"),
    Column("due_at", "应到时间(UTC)", "Due (UTC)"), Column("unmet", "未满足数量", "Unmet"),
    Column("requested_at", "申请时间(UTC)", "Requested (UTC)"),
    Column("approved_at", "审批时间(UTC)", "Approved (UTC)"),
    Column("departed_at", "发车时间(UTC)", "Departed (UTC)"),
    Column("received_at", "接收时间(UTC)", "Received (UTC)"),
    Column("hours", "申请至接收(小时)", "Request to receipt (hours)"),
    Column("target", "时限(小时)", "Target (hours)"), Column("vehicle", "车辆", "Vehicle"),
    Column("driver", "司机", "Driver"),
]
SOURCES = {"allocation": ("储备库", "Depot stock"), "calloff": ("协议调用", "Agreement call-off"),
           "unmet": ("未满足", "Unmet")}
ToUnit, Owner = aliased(Unit, name="to_unit"), aliased(Unit, name="owner")


def _in_area(args: ExportArgs, unit_column) -> sa.ColumnElement[bool]:
    return sa.true() if args.unit is None else unit_column.in_(
        sa.select(Unit.id).where(in_subtree(args.unit.path)))


def _orders(stmt: sa.Select, args: ExportArgs) -> sa.Select:
    """The order's columns (code … to depot, then its times) joined onto `stmt`, in the period."""
    stmt = (stmt.add_columns(DispatchOrder.requested_at, DispatchOrder.approved_at,
                             DispatchOrder.departed_at, DispatchOrder.target_hours,
                             DispatchOrder.vehicle, DispatchOrder.driver)
            .join(DisasterEvent, DispatchOrder.event_id == DisasterEvent.id)
            .join(ToUnit, DispatchOrder.to_unit_id == ToUnit.id)
            .outerjoin(ToDepot, DispatchOrder.to_depot_id == ToDepot.id))
    return period(stmt, args, DispatchOrder.requested_at)


HEAD = (DispatchOrder.code, DisasterEvent.code, DispatchOrder.status, ToUnit.code, ToDepot.code)


def dispatches(session: Session, args: ExportArgs) -> Table:
    """Every order line, however it is met: one row per allocation from a depot, per
    agreement call-off and per quantity nobody supplies; with how fast it arrived."""
    records = [*_allocations(session, args), *_calloffs(session, args), *_unmet(session, args)]
    records.sort(key=lambda record: record[0])
    return table(args, "调拨记录", "Dispatches", DISPATCH_COLUMNS,
                 [row for _, row in records])


def _row(args: ExportArgs, head, source: str, supplied: list, times) -> list:
    """A register row: the order (head), what supplied it, then the order's times."""
    requested, approved, departed, target, vehicle, driver, received = times
    requested, received = naive(requested), naive(received)
    hours = round((received - requested).total_seconds() / 3600, 1) if received else None
    return [head[0], head[1], args.label("order_status", head[2]), head[3], head[4],
            title(args, *SOURCES[source]), *supplied, requested, naive(approved),
            naive(departed), received, hours, target, vehicle, driver]


def _allocations(session: Session, args: ExportArgs):
    stmt = _orders(sa.select(*HEAD, Item.code, Item.name, Lot.lot_code, FromDepot.code, Owner.code,
                             DispatchAllocation.quantity, DispatchAllocation.picked,
                             DispatchAllocation.received, DispatchAllocation.lost,
                             DispatchAllocation.id)
                   .select_from(DispatchAllocation)
                   .join(DispatchOrder, DispatchAllocation.order_id == DispatchOrder.id)
                   .join(Item, DispatchAllocation.item_id == Item.id)
                   .join(Lot, DispatchAllocation.lot_id == Lot.id)
                   .join(FromDepot, DispatchAllocation.depot_id == FromDepot.id)
                   .join(Owner, DispatchAllocation.owner_id == Owner.id)
                   .where(sa.or_(_in_area(args, DispatchOrder.to_unit_id),
                                 _in_area(args, FromDepot.unit_id))), args)
    stmt = stmt.add_columns(DispatchOrder.received_at)
    for r in stream(session, stmt):
        supplied = [*r[5:14], "", "", "", "", None, None, None]
        yield ((r[15], r[0], 0, r[14]),
               _row(args, r[:5], "allocation", supplied, r[15:]))


def _calloffs(session: Session, args: ExportArgs):
    stmt = _orders(sa.select(*HEAD, Item.code, Item.name, Owner.code, CallOff.quantity,
                             CallOff.received_quantity, Agreement.code, Partner.name,
                             CallOff.code, CallOff.status, CallOff.lead_time_hours,
                             CallOff.due_at, CallOff.id)
                   .select_from(CallOff).join(DispatchOrder, CallOff.order_id == DispatchOrder.id)
                   .join(Item, CallOff.item_id == Item.id)
                   .join(Agreement, CallOff.agreement_id == Agreement.id)
                   .join(Partner, Agreement.partner_id == Partner.id)
                   .join(Owner, Agreement.owner_id == Owner.id)
                   .where(sa.or_(_in_area(args, DispatchOrder.to_unit_id),
                                 _in_area(args, Agreement.owner_id))), args)
    stmt = stmt.add_columns(CallOff.received_at)
    for r in stream(session, stmt):
        supplied = [r[5], r[6], "", "", r[7], r[8], None, r[9], None, r[10], r[11], r[12],
                    args.label("calloff_status", r[13]), r[14], naive(r[15]), None]
        yield (r[17], r[0], 1, r[16]), _row(args, r[:5], "calloff", supplied, r[17:])


def _unmet(session: Session, args: ExportArgs):
    """Order lines with more asked than depots and live call-offs supply."""
    allocated = (sa.select(DispatchAllocation.order_id, DispatchAllocation.item_id,
                           sa.func.sum(DispatchAllocation.quantity).label("q"))
                 .group_by(DispatchAllocation.order_id, DispatchAllocation.item_id).subquery())
    called = (sa.select(CallOff.order_id, CallOff.item_id, sa.func.sum(CallOff.quantity).label("q"))
              .where(CallOff.status != CallOffStatus.CANCELLED)
              .group_by(CallOff.order_id, CallOff.item_id).subquery())
    short = (DispatchLine.quantity - sa.func.coalesce(allocated.c.q, 0)
             - sa.func.coalesce(called.c.q, 0))
    stmt = _orders(sa.select(*HEAD, Item.code, Item.name, short, DispatchLine.id)
                   .select_from(DispatchLine)
                   .join(DispatchOrder, DispatchLine.order_id == DispatchOrder.id)
                   .join(Item, DispatchLine.item_id == Item.id)
                   .outerjoin(allocated, sa.and_(allocated.c.order_id == DispatchLine.order_id,
                                                 allocated.c.item_id == DispatchLine.item_id))
                   .outerjoin(called, sa.and_(called.c.order_id == DispatchLine.order_id,
                                              called.c.item_id == DispatchLine.item_id))
                   .where(short > 0, _in_area(args, DispatchOrder.to_unit_id)), args)
    stmt = stmt.add_columns(sa.null())
    for r in stream(session, stmt):
        supplied = [r[5], r[6], "", "", "", None, None, None, None, "", "", "", "", None, None,
                    r[7]]
        yield (r[9], r[0], 2, r[8]), _row(args, r[:5], "unmet", supplied, r[9:])


DISTRIBUTION_COLUMNS = [
    Column("code", "发放单号", "Distribution"), Column("event", "灾情事件", "Event"),
    Column("at", "发放时间(UTC)", "Distributed (UTC)"), Column("depot", "发放点", "Depot"),
    Column("head", "户主", "Head of household"), Column("id_number", "身份证号(脱敏)", "ID number (masked)"),
    Column("size", "家庭人口", "Household size"), Column("item_code", "物资编码", "Item code"),
    Column("item_name", "物资名称", "Item name"), Column("lot", "批次编码", "Lot code"),
    Column("quantity", "数量", "Quantity"), Column("unit", "计量单位", "Unit of measure"),
    Column("note", "备注", "Note"),
]


def distributions(session: Session, args: ExportArgs) -> Table:
    """The register of goods handed to households (台账, 严发放), one row per line."""
    stmt = (sa.select(Distribution.code, DisasterEvent.code, Distribution.distributed_at,
                      FromDepot.code, Distribution.household_head, Distribution.id_number_masked,
                      Distribution.household_size, Item.code, Item.name, Lot.lot_code,
                      DistributionLine.quantity, Item.unit_of_measure, Distribution.note)
            .select_from(DistributionLine)
            .join(Distribution, DistributionLine.distribution_id == Distribution.id)
            .join(DisasterEvent, Distribution.event_id == DisasterEvent.id)
            .join(FromDepot, Distribution.depot_id == FromDepot.id)
            .join(Item, DistributionLine.item_id == Item.id)
            .join(Lot, DistributionLine.lot_id == Lot.id)
            .where(_in_area(args, FromDepot.unit_id))
            .order_by(Distribution.distributed_at, Distribution.code, DistributionLine.id))
    stmt = period(stmt, args, Distribution.distributed_at)
    rows = ([r[0], r[1], naive(r[2]), *r[3:]] for r in stream(session, stmt))
    return table(args, "发放台账", "Distributions", DISTRIBUTION_COLUMNS, rows)
