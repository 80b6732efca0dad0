"""Spreadsheet imports (信息录入): validate every row, then apply all of them or none.

The caller reads the file (`reports.read_table`) and hands over the header and rows as
text. `run_import` checks each row with the same schemas the forms use, then looks up
every code it names; only when no row is wrong does it apply the rows, through the same
services the pages use (opening stock is booked with `movements.receive`, so the ledger
is complete). A row refused while applying stops the run. The caller commits when the
result has no errors and rolls back otherwise (a preview always rolls back).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from marshmallow import Schema, ValidationError
from sqlalchemy.orm import Session

from inventory.models import Agreement, Depot, Item, Lot, Movement, Unit, User
from inventory.schemas.imports import AgreementLineRowIn, OpeningStockRowIn
from inventory.schemas.items import ItemIn
from inventory.schemas.units import DepotIn, UnitIn
from inventory.services import access, agreements, catalog, movements, units
from inventory.services.errors import N_, DomainError, InvalidInput
from inventory.services.sheets import (AGREEMENT_LINE_COLUMNS, DEPOT_COLUMNS, ITEM_COLUMNS,
                                       STOCK_COLUMNS, UNIT_COLUMNS, Column, match_headers)

KINDS = ("stock", "items", "units", "depots", "agreement_lines")
MAX_ERRORS = 500


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: spreadsheet row (the header is row 1) and column title."""

    row: int
    column: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Context:
    """What the rows of one import share: who, when, settings and lookups by code."""

    session: Session
    user: User | None
    now: datetime
    tiers: Sequence[str]
    batch: str
    units: dict[str, Unit | None] = field(default_factory=dict)
    depots: dict[str, Depot | None] = field(default_factory=dict)
    items: dict[str, Item | None] = field(default_factory=dict)
    lots: dict[str, tuple[str, Any]] = field(default_factory=dict)
    new_units: dict[str, str] = field(default_factory=dict)

    def unit(self, code: str | None) -> Unit | None:
        if code and code not in self.units:
            self.units[code] = self.session.scalar(sa.select(Unit).where(Unit.code == code))
        return self.units.get(code) if code else None

    def depot(self, code: str) -> Depot | None:
        if code not in self.depots:
            self.depots[code] = self.session.scalar(sa.select(Depot).where(Depot.code == code))
        return self.depots[code]

    def item(self, code: str) -> Item | None:
        if code not in self.items:
            self.items[code] = self.session.scalar(sa.select(Item).where(Item.code == code))
        return self.items[code]

    def in_scope(self, unit: Unit) -> bool:
        return self.user is None or access.in_scope(self.user, unit)


Problems = list[tuple[str, str, dict[str, Any]]]  # (field, msgid, params)


@dataclass(frozen=True)
class Kind:
    columns: list[Column]
    schema: Callable[[], Schema]
    check: Callable[[Context, dict[str, Any]], Problems]
    apply: Callable[[Context, dict[str, Any], int], str]
    only_present: bool = False


def run_import(session: Session, kind: str, headers: list[str], rows: list[list[str]], *,
               user: User | None, now: datetime, tiers: Sequence[str],
               aliases: dict[str, dict[str, str]], batch: str,
               locale: str = "zh") -> ImportResult:
    """Validate all rows of `kind`; apply them when none is wrong (see the module doc).

    `aliases` maps a field to {text people write: stored value} (labels in both
    languages); `batch` identifies the file (its digest), so importing the same opening
    stock twice books it once. Errors name a column by its header as the file writes it
    (a column the file lacks by its title in `locale`).
    """
    spec = SPECS[kind]
    result = ImportResult(kind=kind, rows=len(rows))
    found, missing = match_headers(spec.columns, headers)
    if missing:
        result.errors.append(RowError(1, ", ".join(column.title(locale) for column in missing),
                                      N_("Required columns are missing.")))
        return result
    if not rows:
        result.errors.append(RowError(2, "", N_("The file has no rows to import.")))
        return result
    ctx = Context(session=session, user=user, now=now, tiers=tiers, batch=batch)
    names = {column.field: column.title(locale) for column in spec.columns}
    names |= {column.field: headers[position].strip() for position, column in found.items()}
    loaded = _load_rows(ctx, spec, found, names, rows, aliases, result)
    if result.errors:
        return result
    for number, data in loaded:
        try:
            outcome = spec.apply(ctx, data, number)
        except DomainError as error:
            result.errors.extend(_domain_errors(error, number, names))
            return result
        result.summary[outcome] = result.summary.get(outcome, 0) + 1
        if kind == "stock":
            result.summary["pieces"] = result.summary.get("pieces", 0) + data["quantity"]
    return result


def _load_rows(ctx: Context, spec: Kind, found: dict[int, Column], titles: dict[str, str],
               rows: list[list[str]], aliases: dict[str, dict[str, str]],
               result: ImportResult) -> list[tuple[int, dict]]:
    loaded = []
    for offset, row in enumerate(rows):
        number = offset + 2
        raw = {column.field: _normalise(column.field, row[position], aliases)
               for position, column in found.items()
               if not column.info and position < len(row) and row[position] != ""}
        if not raw:
            continue
        schema = spec.schema()
        try:
            data = schema.load(raw)
        except ValidationError as error:
            for name, messages in _flatten(error.messages).items():
                for message in messages:
                    result.errors.append(RowError(number, titles.get(name, name), str(message)))
            # Still look up the codes that did parse, so every problem of the row shows.
            data = error.valid_data if isinstance(error.valid_data, dict) else {}
            for name, message, params in spec.check(ctx, data):
                result.errors.append(RowError(number, titles.get(name, name), message, params))
            continue
        if spec.only_present:
            present = {schema.fields[name].attribute or name for name in raw} | {"code"}
            data = {key: value for key, value in data.items() if key in present}
        for name, message, params in spec.check(ctx, data):
            result.errors.append(RowError(number, titles.get(name, name), message, params))
        loaded.append((number, data))
        if len(result.errors) >= MAX_ERRORS:
            break
    return loaded


def _flatten(messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        return {str(k): v if isinstance(v, list) else [str(v)] for k, v in messages.items()}
    return {"": list(messages)}


def _domain_errors(error: DomainError, number: int, by_field: dict[str, str]) -> list[RowError]:
    if isinstance(error, InvalidInput):
        return [RowError(number, by_field.get(name, name), message, error.params)
                for name, messages in error.errors.items() for message in messages]
    return [RowError(number, "", error.message, error.params)]


DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?$")
YES = {"1", "true", "yes", "y", "是", "√", "关键"}
NO = {"0", "false", "no", "n", "否", ""}


def _normalise(name: str, value: str, aliases: dict[str, dict[str, str]]) -> str:
    """Dates as ISO, yes/no words as booleans, labels as stored values."""
    value = value.strip()
    if name.endswith("_date"):
        match = DATE.match(value)
        return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else value
    if name == "critical":
        lowered = value.lower()
        return "true" if lowered in YES else "false" if lowered in NO else value
    return aliases.get(name, {}).get(value.lower(), value)


# --- opening stock --------------------------------------------------------------------------

def _check_stock(ctx: Context, data: dict[str, Any]) -> Problems:
    """Codes must exist and lie in the user's area (the owner may be an upper unit)."""
    problems: Problems = []
    item = ctx.item(data["item_code"]) if data.get("item_code") else None
    if data.get("item_code") and item is None:
        problems.append(("item_code", N_("Item %(code)s not found."), {"code": data["item_code"]}))
    depot = ctx.depot(data["depot_code"]) if data.get("depot_code") else None
    if data.get("depot_code") and depot is None:
        problems.append(("depot_code", N_("Depot %(code)s not found."), {"code": data["depot_code"]}))
    elif depot is not None and not ctx.in_scope(depot.unit):
        problems.append(("depot_code", N_("Depot %(code)s is outside your area."),
                         {"code": depot.code}))
    owner_code = data.get("owner_code")
    owner = ctx.unit(owner_code) if owner_code else (depot.unit if depot else None)
    if owner_code and owner is None:
        problems.append(("owner_code", N_("Unit %(code)s not found."), {"code": owner_code}))
    elif owner is not None and depot is not None and not (
            ctx.in_scope(owner) or depot.unit.path.startswith(owner.path)):
        problems.append(("owner_code", N_("Unit %(code)s is outside your area."),
                         {"code": owner.code}))
    if item is not None:
        problems.extend(_check_lot(ctx, item, data))
    return problems


def _check_lot(ctx: Context, item: Item, data: dict[str, Any]) -> Problems:
    if item.shelf_life_days and data.get("expiry_date") is None:
        return [("expiry_date", N_("Item %(item)s has a shelf life: give the expiry date."),
                 {"item": item.code})]
    code = data.get("lot_code") or movements.make_lot_code(item, data.get("batch_no") or "")
    data["lot_code"] = code
    seen = ctx.lots.get(code)
    if seen is None:
        lot = ctx.session.scalar(sa.select(Lot).where(Lot.lot_code == code))
        seen = (lot.item.code, lot.expiry_date) if lot else (item.code, data.get("expiry_date"))
        ctx.lots[code] = seen
    if seen[0] != item.code:
        return [("lot_code", N_("Lot %(lot)s belongs to another item."), {"lot": code})]
    if data.get("expiry_date") is not None and seen[1] not in (None, data["expiry_date"]):
        return [("expiry_date", N_("Lot %(lot)s already has expiry date %(date)s."),
                 {"lot": code, "date": seen[1].isoformat()})]
    return []


def _apply_stock(ctx: Context, data: dict[str, Any], number: int) -> str:
    item, depot = ctx.item(data["item_code"]), ctx.depot(data["depot_code"])
    owner = ctx.unit(data.get("owner_code")) or depot.unit
    request_id = f"import:{ctx.batch}:{number}"
    if number == 2 and ctx.session.scalar(
            sa.select(Movement.id).where(Movement.request_id == request_id)) is not None:
        raise DomainError(N_("This file has already been imported; nothing was booked again."))
    lot = movements.find_or_create_lot(
        ctx.session, item=item, now=ctx.now, lot_code=data["lot_code"],
        batch_no=data.get("batch_no") or "", expiry_date=data.get("expiry_date"),
        production_date=data.get("production_date"), source=data["source"],
        supplier=data.get("supplier") or "")
    actor = movements.Actor(user=ctx.user, request_id=request_id, reason="import")
    movements.receive(ctx.session, actor, lot=lot, depot=depot, owner=owner,
                      quantity=data["quantity"], now=ctx.now, source=data["source"])
    return "booked"


# --- catalogue, units, depots ---------------------------------------------------------------

def _check_item(ctx: Context, data: dict[str, Any]) -> Problems:
    if ctx.user is not None and not access.can(ctx.user, access.Permission.MANAGE_CATALOGUE):
        return [("code", N_("Your role does not allow this."), {})]
    return []


def _apply_item(ctx: Context, data: dict[str, Any], number: int) -> str:
    item = ctx.item(data["code"])
    fields = {k: v for k, v in data.items() if k != "code"}
    if item is None:
        ctx.items[data["code"]] = catalog.create_item(ctx.session, code=data["code"], now=ctx.now,
                                                      actor=ctx.user, **fields)
        return "created"
    catalog.update_item(ctx.session, item, actor=ctx.user, now=ctx.now, **fields)
    return "updated"


def _check_unit(ctx: Context, data: dict[str, Any]) -> Problems:
    """An existing unit lies in the user's area; the parent exists (in the database or an
    earlier row), lies in the area unless it is kept, and the tier sits below it."""
    if not data.get("code"):
        return []
    existing = ctx.unit(data["code"])
    if existing is not None and not ctx.in_scope(existing):
        return [("code", N_("Unit %(code)s is outside your area."), {"code": existing.code})]
    parent_code = data.get("parent_code")
    parent = ctx.unit(parent_code) if parent_code else None
    parent_tier = parent.tier if parent is not None else ctx.new_units.get(parent_code or "")
    ctx.new_units[data["code"]] = data.get("tier", "")  # later rows may name it as parent
    if parent_code and parent_tier is None:
        return [("parent_code", N_("Unit %(code)s not found."), {"code": parent_code})]
    kept = existing is not None and (not parent_code or parent is existing.parent)
    if parent is not None and not kept and not ctx.in_scope(parent):
        return [("parent_code", N_("Unit %(code)s is outside your area."), {"code": parent_code})]
    scoped = ctx.user is not None and access.scope_path(ctx.user) is not None
    if existing is None and not parent_code and scoped:
        return [("parent_code",
                 N_("Only users without a unit scope can create a top-level unit."), {})]
    if existing is not None and not parent_code:
        parent, parent_tier = existing.parent, existing.parent.tier if existing.parent else None
    if data.get("tier"):
        try:
            units.check_tier(ctx.tiers, data["tier"],
                             Unit(tier=parent_tier) if parent_tier else None)
        except InvalidInput as error:
            return [(name, message, error.params) for name, messages in error.errors.items()
                    for message in messages]
    return []


def _apply_unit(ctx: Context, data: dict[str, Any], number: int) -> str:
    parent_code = data.pop("parent_code", None)
    parent = ctx.session.scalar(sa.select(Unit).where(Unit.code == parent_code)) if parent_code else None
    if parent_code and parent is None:
        raise InvalidInput({"parent_code": [N_("Unit %(code)s not found.")]}, code=parent_code)
    unit = ctx.session.scalar(sa.select(Unit).where(Unit.code == data["code"]))
    fields = {k: v for k, v in data.items() if k not in ("code", "tier")}
    if unit is None:
        ctx.units[data["code"]] = units.create_unit(
            ctx.session, code=data["code"], tier=data["tier"], parent=parent, tiers=ctx.tiers,
            now=ctx.now, actor=ctx.user, **fields)
        return "created"
    # A row without a parent keeps the unit where it is (it never moves it to the top).
    units.update_unit(ctx.session, unit, tiers=ctx.tiers, tier=data["tier"],
                      parent=parent if parent_code else False, actor=ctx.user, now=ctx.now,
                      **fields)
    return "updated"


def _check_depot(ctx: Context, data: dict[str, Any]) -> Problems:
    """An existing depot and the unit it is given to both lie in the user's area."""
    existing = ctx.depot(data["code"]) if data.get("code") else None
    if existing is not None and not ctx.in_scope(existing.unit):
        return [("code", N_("Depot %(code)s is outside your area."), {"code": existing.code})]
    if not data.get("unit_code"):
        return []
    unit = ctx.unit(data["unit_code"])
    if unit is None:
        return [("unit_code", N_("Unit %(code)s not found."), {"code": data["unit_code"]})]
    if not ctx.in_scope(unit):
        return [("unit_code", N_("Unit %(code)s is outside your area."), {"code": unit.code})]
    return []


def _apply_depot(ctx: Context, data: dict[str, Any], number: int) -> str:
    unit = ctx.unit(data.pop("unit_code"))
    depot = ctx.depot(data["code"])
    if depot is None:
        ctx.depots[data["code"]] = units.create_depot(ctx.session, unit=unit, now=ctx.now,
                                                      actor=ctx.user, **data)
        return "created"
    units.update_depot(ctx.session, depot, unit=unit, actor=ctx.user, now=ctx.now,
                       **{k: v for k, v in data.items() if k != "code"})
    return "updated"


def _check_agreement_line(ctx: Context, data: dict[str, Any]) -> Problems:
    problems: Problems = []
    if ctx.user is not None and not access.can(ctx.user, access.Permission.MANAGE_CATALOGUE):
        return [("agreement_code", N_("Your role does not allow this."), {})]
    code = data.get("agreement_code")
    agreement = ctx.session.scalar(sa.select(Agreement).where(Agreement.code == code)) if code else None
    if code and agreement is None:
        problems.append(("agreement_code", N_("Agreement %(code)s not found."), {"code": code}))
    elif agreement is not None and not ctx.in_scope(agreement.owner):
        problems.append(("agreement_code", N_("Unit %(code)s is outside your area."),
                         {"code": agreement.owner.code}))
    if data.get("item_code") and ctx.item(data["item_code"]) is None:
        problems.append(("item_code", N_("Item %(code)s not found."), {"code": data["item_code"]}))
    return problems


def _apply_agreement_line(ctx: Context, data: dict[str, Any], number: int) -> str:
    agreement = ctx.session.scalar(sa.select(Agreement).where(
        Agreement.code == data["agreement_code"]))
    return agreements.set_line(ctx.session, agreement, item=ctx.item(data["item_code"]),
                               quantity=data["quantity"], now=ctx.now, actor=ctx.user)


SPECS: dict[str, Kind] = {
    "stock": Kind(STOCK_COLUMNS, OpeningStockRowIn, _check_stock, _apply_stock),
    # Catalogue, units and depots are created or updated; an update changes only the
    # columns the file has, so a sheet of names cannot reset anyone's norms.
    "items": Kind(ITEM_COLUMNS, ItemIn, _check_item, _apply_item, only_present=True),
    "units": Kind(UNIT_COLUMNS, UnitIn, _check_unit, _apply_unit, only_present=True),
    "depots": Kind(DEPOT_COLUMNS, DepotIn, _check_depot, _apply_depot, only_present=True),
    "agreement_lines": Kind(AGREEMENT_LINE_COLUMNS, AgreementLineRowIn, _check_agreement_line,
                            _apply_agreement_line),
}
