"""Readiness norms (储备标准) per item, their CSV import, and depot minimums.

A norm CSV has a header row with `code`, `per_person` (or `per_person_quantity`, as in
data/readiness_norms.csv), and optionally `critical` and `per_person_cold`. An import is
all-or-nothing: every row is checked first and nothing is written while any row is wrong.

Without a `per_person_cold` column, the seasonal rules the default catalogue reads from
the norm table's words (`name_en`, `basis`) apply: importing data/readiness_norms.csv
keeps the stove at 0 in the warm season and a padded coat's cold-season figure.
Files arrive as UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB 18030 (what a
Chinese Excel writes); anything else is refused with a message, never a 500.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Depot, DepotMinimum, Item, User, utcnow
from inventory.reports import csv_text
from inventory.services import catalog
from inventory.services.users import audit
from inventory.services.errors import N_, field_error

TRUE_WORDS = {"1", "true", "yes", "y", "是", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "否", ""}
MAX_NORM = Decimal(1_000_000)


@dataclass
class NormRow:
    """One checked row of a norm import: the item and its new figures."""

    line: int
    code: str
    item: Item | None = None
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def parse_decimal(text: str | None, *, required: bool) -> tuple[Decimal | None, str | None]:
    """(value, error msgid) for a per-person figure (≥ 0, at most 6 decimals)."""
    text = (text or "").strip()
    if not text:
        return None, (N_("This field is required.") if required else None)
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, N_("Not a valid number.")
    if not value.is_finite() or value < 0 or value > MAX_NORM:
        return None, N_("Must be between 0 and 1,000,000.")
    return value.quantize(Decimal("0.000001")), None


def parse_flag(text: str | None) -> tuple[bool | None, str | None]:
    word = (text or "").strip().lower()
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    return None, N_("Not a valid yes/no value.")


NOT_TEXT = N_("This is not a CSV text file (save it from Excel as CSV, UTF-8 or GBK).")
UNREADABLE_LINE = N_("This line cannot be read as CSV (a field longer than 128 KB, or a "
                     "quotation mark that is never closed); nothing after it was checked.")


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV (`reports.csv_text`); raises InvalidInput (`file`) for a
    binary file."""
    text = csv_text(data)
    if text is None:
        raise field_error("file", NOT_TEXT)
    return text


def _columns(header: list[str]) -> dict[str, str] | None:
    names = {name.strip().lower(): name for name in header}
    per_person = names.get("per_person") or names.get("per_person_quantity")
    if "code" not in names or per_person is None:
        return None
    return {"code": names["code"], "per_person": per_person,
            **{key: names.get(key, "") for key in ("critical", "per_person_cold", "name_en",
                                                  "basis")}}


def _seasonal_values(row: NormRow, raw: dict, columns: dict[str, str]) -> None:
    """Without a cold-season column, split per_person by the norm table's seasonal words."""
    if columns["per_person_cold"] or row.values["per_person"] is None:
        return
    words = {key: (raw.get(columns[key]) or "") if columns[key] else ""
             for key in ("name_en", "basis")}
    warm, cold = catalog.seasonal_norm(words, row.values["per_person"])
    row.values["per_person"] = warm
    if cold is not None:
        row.values["per_person_cold"] = cold.quantize(Decimal("0.000001"))


def _check_row(line: int, raw: dict, columns: dict[str, str], items: dict[str, Item],
               seen: set[str]) -> NormRow:
    code = (raw.get(columns["code"]) or "").strip()
    row = NormRow(line=line, code=code, item=items.get(code))
    if row.item is None:
        row.errors.append(N_("Unknown item."))
    elif code in seen:
        row.errors.append(N_("This item is already listed."))
    seen.add(code)
    per_person, error = parse_decimal(raw.get(columns["per_person"]), required=True)
    row.values["per_person"] = per_person
    if columns["per_person_cold"]:
        cold, cold_error = parse_decimal(raw.get(columns["per_person_cold"]), required=False)
        row.values["per_person_cold"] = cold
        error = error or cold_error
    if columns["critical"]:
        critical, flag_error = parse_flag(raw.get(columns["critical"]))
        row.values["critical"] = critical
        error = error or flag_error
    _seasonal_values(row, raw, columns)
    row.errors += [error] if error else []
    return row


def parse_norms(session: Session, text: str) -> list[NormRow]:
    """Check every row of a norm CSV; rows carry their errors (msgids)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows: list[NormRow] = []
    try:
        columns = _columns(reader.fieldnames or [])
        if columns is None:
            return [NormRow(line=1, code="", errors=[N_(
                "The header needs the columns code and per_person (or per_person_quantity).")])]
        items = {item.code: item for item in session.scalars(sa.select(Item))}
        seen: set[str] = set()
        for raw in reader:
            rows.append(_check_row(reader.line_num, raw, columns, items, seen))
    except csv.Error:
        rows.append(NormRow(line=reader.line_num, code="", errors=[UNREADABLE_LINE]))
    if not rows:
        rows.append(NormRow(line=2, code="", errors=[N_("The file holds no rows.")]))
    return rows


def apply_norms(session: Session, rows: list[NormRow], *, now: datetime,
                actor: User | None = None) -> int:
    """Write checked rows; refuses (InvalidInput) if any row has an error. Returns the count."""
    if any(row.errors for row in rows):
        raise field_error("file", N_("Some rows are wrong; nothing was imported."))
    for row in rows:
        catalog.update_item(session, row.item, actor=actor, now=now, **row.values)
    return len(rows)


def norm_items(session: Session) -> list[Item]:
    """Active items, those in the norm first, then by code."""
    return list(session.scalars(sa.select(Item).where(Item.is_active)
                                .order_by((Item.per_person > 0).desc(), Item.code)))


# --- depot minimums ---------------------------------------------------------------------------

def minimums(session: Session, depot: Depot) -> dict[int, int]:
    """{item id: minimum quantity} for a depot."""
    return dict(session.execute(sa.select(DepotMinimum.item_id, DepotMinimum.minimum_quantity)
                                .where(DepotMinimum.depot_id == depot.id)).all())


def set_minimums(session: Session, depot: Depot, wanted: dict[int, int | None], *,
                 actor: User | None = None, now: datetime | None = None) -> int:
    """Set (or with None/0 remove) a depot's minimum per item id; returns how many are set.
    Changes are audited ("depot.minimum"; "item=CODE minimum=OLD->NEW" per item)."""
    existing = {m.item_id: m for m in session.scalars(
        sa.select(DepotMinimum).where(DepotMinimum.depot_id == depot.id))}
    _audit_minimums(session, depot, existing, wanted, actor=actor, now=now)
    for item_id, quantity in wanted.items():
        row = existing.get(item_id)
        if not quantity:
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            session.add(DepotMinimum(depot_id=depot.id, item_id=item_id,
                                     minimum_quantity=quantity))
        else:
            row.minimum_quantity = quantity
    session.flush()
    return session.scalar(sa.select(sa.func.count(DepotMinimum.id)).where(
        DepotMinimum.depot_id == depot.id)) or 0


def _audit_minimums(session: Session, depot: Depot, existing: dict[int, DepotMinimum],
                    wanted: dict[int, int | None], *, actor: User | None,
                    now: datetime | None) -> None:
    old = {item_id: row.minimum_quantity for item_id, row in existing.items()}
    changed = {item_id: quantity or 0 for item_id, quantity in wanted.items()
               if (quantity or 0) != old.get(item_id, 0)}
    if not changed:
        return
    codes = dict(session.execute(sa.select(Item.id, Item.code).where(Item.id.in_(changed))).all())
    detail = "; ".join(f"item={codes[i]} minimum={old.get(i, 0)}->{q}"
                       for i, q in sorted(changed.items(), key=lambda c: codes[c[0]]))
    audit(session, action="depot.minimum", actor=actor, subject=f"depot:{depot.code}",
          now=now or utcnow(), detail=detail)
