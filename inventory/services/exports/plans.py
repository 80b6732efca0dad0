"""Readiness, the purchase plan (采购计划清单) and the agreement list as registers."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from inventory.models import Agreement, AgreementLine, Unit
from inventory.reports import Table
from inventory.services import readiness, readiness_load
from inventory.services.agreements import last_found, next_check_due, owned_by_subtree
from inventory.services.errors import N_, field_error
from inventory.services.exports.common import ExportArgs, table, title
from inventory.services.readiness_many import SubtreeStock
from inventory.services.sheets import Column

PLAN_HORIZON_DAYS = 180


def _unit(session: Session, args: ExportArgs) -> Unit:
    """The area asked for, else the only top-level unit."""
    if args.unit is not None:
        return args.unit
    roots = list(session.scalars(sa.select(Unit).where(Unit.parent_id.is_(None))
                                 .order_by(Unit.code).limit(2)))
    if len(roots) != 1:
        raise field_error("unit", N_("Choose a unit."))
    return roots[0]


READINESS_COLUMNS = [
    Column("item_code", "物资编码", "Item code"), Column("item_name", "物资名称", "Item name"),
    Column("unit", "计量单位", "Unit of measure"), Column("critical", "关键物资", "Critical"),
    Column("per_person", "人均标准", "Per person"), Column("required", "需求量", "Required"),
    Column("on_hand", "在库总量", "On hand"), Column("physical", "可用实物", "Usable physical"),
    Column("agreement", "协议储备", "Agreement"), Column("usable", "可用合计", "Usable"),
    Column("shortfall", "缺口", "Shortfall"), Column("people", "可保障人数", "People covered"),
    Column("limiting", "制约物资", "Limiting"),
]


def readiness_table(session: Session, args: ExportArgs) -> Table:
    """Per item of the norm: required, on hand, usable, shortfall and people covered."""
    unit = _unit(session, args)
    report = readiness_load.load(session, unit, on=args.today, season=args.season)
    r = report.readiness
    yes = title(args, "是", "yes")
    rows = [[line.item_code, report.items[line.item_code].display_name(args.locale),
             report.items[line.item_code].unit_of_measure, yes if line.critical else "",
             float(line.per_person), line.required, line.on_hand, line.physical, line.agreement,
             line.usable, line.shortfall, line.people_covered,
             yes if line.item_code == r.limiting_item_code else ""] for line in r.items]
    result = table(args, "保障能力", "Readiness", READINESS_COLUMNS, rows)
    result.notes += [
        f"{title(args, '单位', 'Unit')}: {unit.name} ({unit.code})",
        f"{title(args, '目标人数', 'Target people')}: {r.target_people}; "
        f"{title(args, '时限(小时)', 'Horizon (hours)')}: {r.horizon_hours}",
        f"{title(args, '可保障人数(实物)', 'People coverable (physical)')}: {r.people_coverable}",
        f"{title(args, '可保障人数(含协议)', 'People coverable with agreements')}: "
        f"{r.people_coverable_with_agreements}"]
    return result


PLAN_COLUMNS = [
    Column("item_code", "物资编码", "Item code"), Column("item_name", "物资名称", "Item name"),
    Column("unit", "计量单位", "Unit of measure"), Column("critical", "关键物资", "Critical"),
    Column("required", "需求量", "Required"), Column("usable", "可用量", "Usable"),
    Column("now", "当前缺口", "To buy now"),
    Column("expiry", "到期轮换需补", "To buy for expiry"),
    Column("pack", "包装数量", "Pack size"), Column("to_buy", "建议采购量(整包)", "To buy (whole packs)"),
]


def purchase_plan_table(session: Session, args: ExportArgs, *, people: int | None = None,
                        hours: int | None = None, days: int = PLAN_HORIZON_DAYS,
                        basis: str = "owner", season: str | None = None,
                        stock: SubtreeStock | None = None) -> Table:
    """What to buy per item to reach the target now, plus what expiry removes within `days`
    (the readiness page's what-if figures pass through `people`, `hours`, basis, season;
    the season defaults to the export's setting and stays the same at the later date;
    `stock`, already summed over the unit's subtree on `basis`, spares reading it twice)."""
    unit = _unit(session, args)
    report = readiness_load.load(session, unit, on=args.today, people=people, hours=hours,
                                 basis=basis, season=season or args.season, stock=stock)
    options = {"basis": basis, "season": report.season, "stock": stock}
    r = report.readiness
    later = readiness_load.load(session, unit, on=args.today + timedelta(days=days),
                                people=r.target_people, hours=r.horizon_hours, **options)
    items = report.items
    plan = readiness.purchase_plan(r, later.readiness,
                                   {code: item.pack_size for code, item in items.items()})
    yes = title(args, "是", "yes")
    rows = [[line.item_code, items[line.item_code].display_name(args.locale),
             items[line.item_code].unit_of_measure, yes if line.critical else "",
             line.required, line.usable, line.to_buy_now, line.to_buy_for_expiry,
             line.pack_size, line.to_buy] for line in plan]
    result = table(args, "采购计划清单", "Purchase plan", PLAN_COLUMNS, rows)
    result.notes += [f"{title(args, '单位', 'Unit')}: {unit.name} ({unit.code}); "
                     f"{title(args, '目标人数', 'people')} {r.target_people}; "
                     f"{title(args, '时限(小时)', 'hours')} {r.horizon_hours}; "
                     f"{title(args, '到期期限(天)', 'expiry within days')} {days}"]
    return result


AGREEMENT_COLUMNS = [
    Column("code", "协议编号", "Agreement"), Column("partner", "协议企业", "Partner"),
    Column("credit_code", "统一社会信用代码", "Credit code"),
    Column("owner", "储备单位", "Owner unit"), Column("mode", "储备方式", "Mode"),
    Column("valid_from", "生效日期", "Valid from"), Column("valid_to", "到期日期", "Valid to"),
    Column("lead_time", "响应时间(小时)", "Lead time (hours)"),
    Column("item_code", "物资编码", "Item code"), Column("item_name", "物资名称", "Item name"),
    Column("quantity", "协议数量", "Contracted quantity"),
    Column("found", "最近核查数量", "Quantity at last check"),
    Column("checked_on", "最近核查日期", "Last check"),
    Column("next_check", "下次核查", "Next check due"), Column("state", "状态", "State"),
]


def agreements_table(session: Session, args: ExportArgs) -> Table:
    """One row per agreement line: partner, owner, mode, validity, lead time, checks."""
    stmt = (sa.select(Agreement).options(selectinload(Agreement.lines).selectinload(AgreementLine.item),
                                         selectinload(Agreement.checks))
            .order_by(Agreement.code))
    if args.unit is not None:
        stmt = stmt.where(owned_by_subtree(args.unit))
    rows = []
    for agreement in session.scalars(stmt):
        found = last_found(agreement)
        last = max((c.checked_on for c in agreement.checks), default=None)
        state = (title(args, "有效", "valid") if agreement.is_valid_on(args.today)
                 else title(args, "无效", "not valid"))
        for line in agreement.lines:
            rows.append([agreement.code, agreement.partner.name, agreement.partner.credit_code,
                         agreement.owner.code, args.label("agreement_mode", agreement.mode),
                         agreement.valid_from, agreement.valid_to, agreement.lead_time_hours,
                         line.item.code, line.item.display_name(args.locale), line.quantity,
                         found.get(line.id), last, next_check_due(agreement), state])
    return table(args, "协议储备", "Agreements", AGREEMENT_COLUMNS, rows)
