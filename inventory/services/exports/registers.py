"""Registers from the ledger and stock: stock, ledger, write-offs, donations, requisitions,
data completeness. Each reads with one SQL statement returning plain rows."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from inventory.models import Balance, Depot, Item, Lot, LotSource, Movement, MovementKind, Unit, User
from inventory.models.base import as_utc
from inventory.reports import Table
from inventory.services.queries import in_subtree
from inventory.services.exports.common import (DepotUnit, ExportArgs, FromDepot, FromOwner,
                                               OwnerUnit, ToDepot, ToOwner, naive, period,
                                               stream, table, title)
from inventory.services.sheets import STOCK_COLUMNS, Column

# --- stock on hand --------------------------------------------------------------------------

def stock(session: Session, args: ExportArgs) -> Table:
    """One row per lot, depot and owner with stock: re-importable as opening stock."""
    stmt = (sa.select(Item.code, Item.name, Lot.lot_code, Lot.batch_no, Lot.expiry_date,
                      Lot.production_date, Depot.code, Depot.name, OwnerUnit.code, OwnerUnit.name,
                      Balance.quantity, Balance.reserved, Item.unit_of_measure, Lot.source,
                      Lot.supplier)
            .select_from(Balance).join(Lot, Balance.lot_id == Lot.id)
            .join(Item, Lot.item_id == Item.id).join(Depot, Balance.depot_id == Depot.id)
            .join(DepotUnit, Depot.unit_id == DepotUnit.id)
            .join(OwnerUnit, Balance.owner_id == OwnerUnit.id)
            .where(Balance.quantity > 0)
            .order_by(Item.code, Lot.lot_code, Depot.code, OwnerUnit.code))
    if args.unit is not None:
        stmt = stmt.where(sa.or_(in_subtree(args.unit.path, DepotUnit.path),
                                 in_subtree(args.unit.path, OwnerUnit.path)))
    rows = ([*row[:13], args.label("source", row[13]), row[14]] for row in stream(session, stmt))
    return table(args, "库存", "Stock", STOCK_COLUMNS, rows)


# --- the ledger -----------------------------------------------------------------------------

LEDGER_COLUMNS = [
    Column("id", "流水号", "Movement"), Column("created_at", "时间(UTC)", "Time (UTC)"),
    Column("kind", "类型", "Kind"), Column("item_code", "物资编码", "Item code"),
    Column("item_name", "物资名称", "Item name"), Column("lot_code", "批次编码", "Lot code"),
    Column("from_depot", "调出库", "From depot"), Column("to_depot", "调入库", "To depot"),
    Column("from_owner", "调出单位", "From owner"), Column("to_owner", "调入单位", "To owner"),
    Column("quantity", "数量", "Quantity"), Column("counted", "盘点数", "Counted"),
    Column("source", "来源", "Source"), Column("actor", "经办人", "By"),
    Column("reason", "事由", "Reason"), Column("order_code", "调拨单号", "Order"),
    Column("reverses", "冲销流水号", "Reverses"), Column("request_id", "请求号", "Request id"),
]


def _touching(stmt: sa.Select, args: ExportArgs) -> sa.Select:
    """Movements into, out of, or owned in the unit's subtree."""
    if args.unit is None:
        return stmt
    path = args.unit.path
    depots = sa.select(Depot.id).join(Unit, Depot.unit_id == Unit.id).where(in_subtree(path))
    owners = sa.select(Unit.id).where(in_subtree(path))
    return stmt.where(sa.or_(Movement.from_depot_id.in_(depots), Movement.to_depot_id.in_(depots),
                             Movement.from_owner_id.in_(owners), Movement.to_owner_id.in_(owners)))


def ledger(session: Session, args: ExportArgs) -> Table:
    """Every movement of the period, oldest first."""
    stmt = (sa.select(Movement.id, Movement.created_at, Movement.kind, Item.code, Item.name,
                      Lot.lot_code, FromDepot.code, ToDepot.code, FromOwner.code, ToOwner.code,
                      Movement.quantity, Movement.counted_quantity, Movement.source,
                      User.username, Movement.reason, Movement.order_code, Movement.reverses_id,
                      Movement.request_id)
            .select_from(Movement).join(Lot, Movement.lot_id == Lot.id)
            .join(Item, Lot.item_id == Item.id)
            .outerjoin(FromDepot, Movement.from_depot_id == FromDepot.id)
            .outerjoin(ToDepot, Movement.to_depot_id == ToDepot.id)
            .outerjoin(FromOwner, Movement.from_owner_id == FromOwner.id)
            .outerjoin(ToOwner, Movement.to_owner_id == ToOwner.id)
            .outerjoin(User, Movement.actor_id == User.id)
            .order_by(Movement.id))
    stmt = _touching(period(stmt, args, Movement.created_at), args)
    rows = ([row[0], naive(row[1]), args.label("movement_kind", row[2]), *row[3:12],
             args.label("source", row[12]) if row[12] else "", *row[13:]]
            for row in stream(session, stmt))
    return table(args, "台账", "Ledger", LEDGER_COLUMNS, rows)


# --- loss, scrap and write-off; donations; requisitions --------------------------------------

WRITE_OFF_COLUMNS = [
    Column("booked_at", "损耗/报废时间(UTC)", "Booked (UTC)"), Column("kind", "类型", "Kind"),
    Column("status", "核销状态", "Status"),
    Column("item_code", "物资编码", "Item code"), Column("item_name", "物资名称", "Item name"),
    Column("lot_code", "批次编码", "Lot code"), Column("depot", "储备库", "Depot"),
    Column("owner", "储备单位", "Owner"), Column("quantity", "数量", "Quantity"),
    Column("unit", "计量单位", "Unit of measure"), Column("reason", "原因", "Reason"),
    Column("booked_by", "经办人", "Booked by"), Column("order_code", "调拨单号", "Order"),
    Column("approved_at", "核销时间(UTC)", "Written off (UTC)"),
    Column("approver", "核销人", "Written off by"),
    Column("approval_reason", "核销说明", "Approval note"),
]
WRITE_OFF_STATUSES = ("pending", "written_off", "reversed")


def loss_register(path: str | None) -> sa.Select:
    """Every loss and scrap booked at depots of the subtree at `path` (None: everywhere),
    losses in transit found at dispatch receipt included, each with its standing write-off
    if any and a `status`: pending, written_off or reversed (the loss itself was reversed).
    Unordered; labelled columns."""
    approval = aliased(Movement, name="approval")
    reversal = aliased(Movement, name="reversal")
    booker, approver = aliased(User, name="booker"), aliased(User, name="approver")
    reversed_ids = sa.select(reversal.reverses_id).where(reversal.reverses_id.is_not(None))
    status = sa.case((Movement.id.in_(reversed_ids), "reversed"),
                     (approval.id.is_not(None), "written_off"), else_="pending")
    stmt = (sa.select(Movement.id.label("id"), Movement.created_at.label("booked_at"),
                      Movement.kind.label("kind"), status.label("status"),
                      Item.code.label("item_code"), Item.name.label("item_name"),
                      Item.name_en.label("item_name_en"), Lot.lot_code.label("lot_code"),
                      FromDepot.code.label("depot_code"), FromDepot.name.label("depot_name"),
                      FromOwner.code.label("owner_code"), Movement.quantity.label("quantity"),
                      Item.unit_of_measure.label("unit"), Movement.reason.label("reason"),
                      booker.username.label("booked_by"), Movement.order_code.label("order_code"),
                      approval.created_at.label("approved_at"),
                      approver.username.label("approver"),
                      approval.reason.label("approval_reason"))
            .select_from(Movement).join(Lot, Movement.lot_id == Lot.id)
            .join(Item, Lot.item_id == Item.id)
            .join(FromDepot, Movement.from_depot_id == FromDepot.id)
            .join(FromOwner, Movement.from_owner_id == FromOwner.id)
            .outerjoin(approval, sa.and_(approval.approves_id == Movement.id,
                                         approval.id.not_in(reversed_ids)))
            .outerjoin(booker, Movement.actor_id == booker.id)
            .outerjoin(approver, approval.actor_id == approver.id)
            .where(Movement.kind.in_([MovementKind.LOSS, MovementKind.SCRAP])))
    if path is not None:
        stmt = stmt.where(FromDepot.unit_id.in_(sa.select(Unit.id).where(in_subtree(path))))
    return stmt


def write_offs(session: Session, args: ExportArgs) -> Table:
    """The loss, scrap and write-off register (损耗报废核销): every loss and scrap of the
    period (by when it was booked), whether written off yet, and by whom."""
    stmt = loss_register(args.unit.path if args.unit is not None else None)
    stmt = period(stmt, args, Movement.created_at).order_by(Movement.created_at, Movement.id)
    rows = ([naive(r.booked_at), args.label("movement_kind", r.kind),
             args.label("write_off_status", r.status), r.item_code, r.item_name, r.lot_code,
             r.depot_code, r.owner_code, r.quantity, r.unit, r.reason, r.booked_by,
             r.order_code or "", naive(r.approved_at), r.approver or "", r.approval_reason or ""]
            for r in stream(session, stmt))
    return table(args, "损耗报废核销登记", "Losses, scraps and write-offs", WRITE_OFF_COLUMNS,
                 rows)


INBOUND_COLUMNS = [
    Column("received_at", "入库时间(UTC)", "Received (UTC)"),
    Column("supplier", "捐赠方/被征用单位", "Donor or requisitioned from"),
    Column("item_code", "物资编码", "Item code"), Column("item_name", "物资名称", "Item name"),
    Column("lot_code", "批次编码", "Lot code"), Column("expiry_date", "有效期至", "Expiry date"),
    Column("quantity", "数量", "Quantity"), Column("unit", "计量单位", "Unit of measure"),
    Column("depot", "储备库", "Depot"), Column("owner", "储备单位", "Owner"),
    Column("actor", "经办人", "By"), Column("reason", "事由", "Reason"),
    Column("reversed", "已冲销", "Reversed"),
]


def _inbound(session: Session, args: ExportArgs, source: LotSource) -> Iterator[list[Any]]:
    reversed_ids = sa.select(Movement.reverses_id).where(Movement.reverses_id.is_not(None))
    stmt = (sa.select(Movement.created_at, Lot.supplier, Item.code, Item.name, Lot.lot_code,
                      Lot.expiry_date, Movement.quantity, Item.unit_of_measure, ToDepot.code,
                      ToOwner.code, User.username, Movement.reason,
                      Movement.id.in_(reversed_ids))
            .select_from(Movement).join(Lot, Movement.lot_id == Lot.id)
            .join(Item, Lot.item_id == Item.id)
            .join(ToDepot, Movement.to_depot_id == ToDepot.id)
            .join(ToOwner, Movement.to_owner_id == ToOwner.id)
            .outerjoin(User, Movement.actor_id == User.id)
            .where(Movement.kind == MovementKind.RECEIVE, Movement.source == source)
            .order_by(Movement.created_at, Movement.id))
    stmt = _touching(period(stmt, args, Movement.created_at), args)
    yes, no = title(args, "是", "yes"), ""
    return ([naive(r[0]), *r[1:12], yes if r[12] else no] for r in stream(session, stmt))


def donations(session: Session, args: ExportArgs) -> Table:
    """The donation ledger (捐赠台账): every receipt of donated goods."""
    return table(args, "捐赠台账", "Donations", INBOUND_COLUMNS,
                  _inbound(session, args, LotSource.DONATION))


def requisitions(session: Session, args: ExportArgs) -> Table:
    """The requisition ledger (征用台账): goods requisitioned from enterprises, for compensation."""
    return table(args, "征用台账", "Requisitions", INBOUND_COLUMNS,
                  _inbound(session, args, LotSource.REQUISITION))


# --- data completeness ----------------------------------------------------------------------

COMPLETENESS_COLUMNS = [
    Column("unit_code", "单位编码", "Unit code"), Column("unit_name", "单位名称", "Unit"),
    Column("tier", "层级", "Tier"), Column("depot_code", "储备库编码", "Depot code"),
    Column("depot_name", "储备库名称", "Depot"), Column("lots", "批次数", "Lots"),
    Column("pieces", "库存件数", "Pieces"),
    Column("last_movement", "最近更新(UTC)", "Last update (UTC)"),
    Column("days", "未更新天数", "Days since update"), Column("status", "状态", "Status"),
]


@dataclass(frozen=True)
class CompletenessRow:
    unit: Unit
    depot: Depot | None
    lots: int
    pieces: int
    last_movement: datetime | None
    days: int | None
    status: str          # "ok", "stale", "no_stock", "no_depot"


def completeness_rows(session: Session, *, today: date, unit: Unit | None = None,
                      stale_days: int = 30) -> list[CompletenessRow]:
    """Every unit and depot of the area: has stock been entered, and updated lately?"""
    held = (sa.select(Balance.depot_id, sa.func.count(sa.distinct(Balance.lot_id)).label("lots"),
                      sa.func.sum(Balance.quantity).label("pieces"))
            .where(Balance.quantity > 0).group_by(Balance.depot_id).subquery())
    moved = sa.union_all(
        sa.select(Movement.to_depot_id.label("depot_id"), Movement.created_at),
        sa.select(Movement.from_depot_id, Movement.created_at)).subquery()
    last = (sa.select(moved.c.depot_id, sa.func.max(moved.c.created_at).label("at"))
            .group_by(moved.c.depot_id).subquery())
    stmt = (sa.select(Unit, Depot, held.c.lots, held.c.pieces, last.c.at)
            .select_from(Unit).outerjoin(Depot, sa.and_(Depot.unit_id == Unit.id, Depot.is_active))
            .outerjoin(held, held.c.depot_id == Depot.id)
            .outerjoin(last, last.c.depot_id == Depot.id)
            .where(Unit.is_active).order_by(Unit.path, Depot.code))
    if unit is not None:
        stmt = stmt.where(in_subtree(unit.path))
    rows = []
    for owner, depot, lots, pieces, at in session.execute(stmt):
        at = as_utc(_parse(at))
        days = (today - at.date()).days if at is not None else None
        status = ("no_depot" if depot is None else "no_stock" if not pieces else
                  "stale" if days is None or days > stale_days else "ok")
        rows.append(CompletenessRow(owner, depot, int(lots or 0), int(pieces or 0), at, days,
                                    status))
    return rows


def _parse(value: Any) -> datetime | None:
    """MAX() over a union hands SQLite's text back; PostgreSQL's a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


COMPLETENESS_STATUS = {"ok": ("正常", "OK"), "stale": ("长期未更新", "Not updated lately"),
                       "no_stock": ("未录入库存", "No stock entered"),
                       "no_depot": ("无储备库/点", "No depot")}


def completeness(session: Session, args: ExportArgs) -> Table:
    """The data-completeness report: units and depots with no stock or no recent update."""
    rows = [[r.unit.code, r.unit.name, args.label("tier", r.unit.tier),
             r.depot.code if r.depot else "", r.depot.name if r.depot else "", r.lots, r.pieces,
             naive(r.last_movement), r.days,
             title(args, *COMPLETENESS_STATUS[r.status])]
            for r in completeness_rows(session, today=args.today, unit=args.unit,
                                       stale_days=args.stale_days)]
    return table(args, "数据完整性", "Completeness", COMPLETENESS_COLUMNS, rows)


