"""The dispatch register (调拨记录) and the distribution register (发放台账)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from inventory.models import (DisasterEvent, DispatchAllocation, DispatchOrder, Distribution,
                              DistributionLine, Item, Lot, Unit)
from inventory.reports import Table
from inventory.services.exports.common import (ExportArgs, FromDepot, ToDepot, naive, period,
                                               stream, table)
from inventory.services.queries import in_subtree
from inventory.services.sheets import Column

DISPATCH_COLUMNS = [
    Column("order", "调拨单号", "Order"), Column("event", "灾情事件", "Event"),
    Column("status", "状态", "Status"), Column("to_unit", "接收单位", "Destination"),
    Column("to_depot", "接收库/安置点", "Destination depot"),
    Column("item_code", "物资编码", "Item code"), Column("item_name", "物资名称", "Item name"),
    Column("lot", "批次编码", "Lot code"), Column("from_depot", "调出库", "From depot"),
    Column("owner", "储备单位", "Owner"), Column("allocated", "调拨数量", "Allocated"),
    Column("picked", "已出库", "Picked"), Column("received", "已接收", "Received"),
    Column("lost", "途损", "Lost"), Column("requested_at", "申请时间(UTC)", "Requested (UTC)"),
    Column("approved_at", "审批时间(UTC)", "Approved (UTC)"),
    Column("departed_at", "发车时间(UTC)", "Departed (UTC)"),
    Column("received_at", "接收时间(UTC)", "Received (UTC)"),
    Column("hours", "申请至接收(小时)", "Request to receipt (hours)"),
    Column("target", "时限(小时)", "Target (hours)"), Column("vehicle", "车辆", "Vehicle"),
    Column("driver", "司机", "Driver"),
]


def _in_area(args: ExportArgs, unit_column) -> sa.ColumnElement[bool]:
    return sa.true() if args.unit is None else unit_column.in_(
        sa.select(Unit.id).where(in_subtree(args.unit.path)))


def dispatches(session: Session, args: ExportArgs) -> Table:
    """One row per allocation of every order: what went from where, and how fast."""
    ToUnit, Owner = aliased(Unit, name="to_unit"), aliased(Unit, name="owner")
    stmt = (sa.select(DispatchOrder.code, DisasterEvent.code, DispatchOrder.status, ToUnit.code,
                      ToDepot.code, Item.code, Item.name, Lot.lot_code, FromDepot.code,
                      Owner.code, DispatchAllocation.quantity, DispatchAllocation.picked,
                      DispatchAllocation.received, DispatchAllocation.lost,
                      DispatchOrder.requested_at, DispatchOrder.approved_at,
                      DispatchOrder.departed_at, DispatchOrder.received_at,
                      DispatchOrder.target_hours, DispatchOrder.vehicle, DispatchOrder.driver)
            .select_from(DispatchAllocation)
            .join(DispatchOrder, DispatchAllocation.order_id == DispatchOrder.id)
            .join(DisasterEvent, DispatchOrder.event_id == DisasterEvent.id)
            .join(ToUnit, DispatchOrder.to_unit_id == ToUnit.id)
            .outerjoin(ToDepot, DispatchOrder.to_depot_id == ToDepot.id)
            .join(Item, DispatchAllocation.item_id == Item.id)
            .join(Lot, DispatchAllocation.lot_id == Lot.id)
            .join(FromDepot, DispatchAllocation.depot_id == FromDepot.id)
            .join(Owner, DispatchAllocation.owner_id == Owner.id)
            .where(sa.or_(_in_area(args, DispatchOrder.to_unit_id),
                          _in_area(args, FromDepot.unit_id)))
            .order_by(DispatchOrder.requested_at, DispatchOrder.code, DispatchAllocation.id))
    stmt = period(stmt, args, DispatchOrder.requested_at)
    rows = []
    for r in stream(session, stmt):
        requested, received = naive(r[14]), naive(r[17])
        hours = round((received - requested).total_seconds() / 3600, 1) if received else None
        rows.append([r[0], r[1], args.label("order_status", r[2]), *r[3:14], requested,
                     naive(r[15]), naive(r[16]), received, hours, *r[18:]])
    return table(args, "调拨记录", "Dispatches", DISPATCH_COLUMNS, rows)


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
