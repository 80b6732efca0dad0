"""Column layouts shared by imports and exports: one header per language, one field.

A file's header may use the Chinese title, the English title or the field name; templates
and exports write Chinese titles by default. Columns marked `info` are written by exports
for people to read (names beside codes) and ignored on import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str
    zh: str
    en: str
    required: bool = False
    info: bool = False

    def title(self, locale: str) -> str:
        return self.en if locale.startswith("en") else self.zh


def titles(columns: list[Column], locale: str) -> list[str]:
    return [column.title(locale) for column in columns]


def _key(text: str) -> str:
    return re.sub(r"[\s_()（）*]+", "", text).lower()


def match_headers(columns: list[Column], headers: list[str]) -> tuple[dict[int, Column],
                                                                     list[Column]]:
    """Map file header positions to columns; also return the required columns missing."""
    lookup = {}
    for column in columns:
        for name in (column.zh, column.en, column.field):
            lookup[_key(name)] = column
    found: dict[int, Column] = {}
    for position, header in enumerate(headers):
        column = lookup.get(_key(header))
        if column is not None and column not in found.values():
            found[position] = column
    present = set(found.values())
    missing = [column for column in columns if column.required and column not in present]
    return found, missing


STOCK_COLUMNS = [
    Column("item_code", "物资编码", "Item code", required=True),
    Column("item_name", "物资名称", "Item name", info=True),
    Column("lot_code", "批次编码", "Lot code"),
    Column("batch_no", "生产批号", "Batch number"),
    Column("expiry_date", "有效期至", "Expiry date"),
    Column("production_date", "生产日期", "Production date"),
    Column("depot_code", "储备库编码", "Depot code", required=True),
    Column("depot_name", "储备库名称", "Depot name", info=True),
    Column("owner_code", "储备单位编码", "Owner unit code"),
    Column("owner_name", "储备单位", "Owner unit", info=True),
    Column("quantity", "数量", "Quantity", required=True),
    Column("reserved", "已预留", "Reserved", info=True),
    Column("unit", "计量单位", "Unit of measure", info=True),
    Column("source", "来源", "Source"),
    Column("supplier", "供应商/捐赠方", "Supplier or donor"),
]

ITEM_COLUMNS = [
    Column("code", "物资编码", "Item code", required=True),
    Column("name", "物资名称", "Name", required=True),
    Column("name_en", "英文名称", "English name"),
    Column("category", "类别", "Category"),
    Column("unit", "计量单位", "Unit of measure", required=True),
    Column("per_person", "人均标准", "Per person"),
    Column("per_person_cold", "寒季人均标准", "Per person (cold season)"),
    Column("critical", "关键物资", "Critical"),
    Column("shelf_life_days", "保质期(天)", "Shelf life (days)"),
    Column("pack_size", "包装数量", "Pack size"),
]

UNIT_COLUMNS = [
    Column("code", "单位编码", "Unit code", required=True),
    Column("name", "单位名称", "Name", required=True),
    Column("tier", "层级", "Tier", required=True),
    Column("parent_code", "上级单位编码", "Parent unit code"),
    Column("population", "常住人口", "Resident population"),
    Column("target_people", "保障目标人数", "Target people"),
]

DEPOT_COLUMNS = [
    Column("code", "储备库编码", "Depot code", required=True),
    Column("name", "储备库名称", "Name", required=True),
    Column("unit_code", "所属单位编码", "Unit code", required=True),
    Column("kind", "类型", "Kind"),
    Column("address", "地址", "Address"),
    Column("contact", "联系人", "Contact"),
]

AGREEMENT_LINE_COLUMNS = [
    Column("agreement_code", "协议编号", "Agreement", required=True),
    Column("item_code", "物资编码", "Item code", required=True),
    Column("item_name", "物资名称", "Item name", info=True),
    Column("quantity", "协议数量", "Contracted quantity", required=True),
]
