"""Readiness norms (储备标准) per item, their CSV import, and depot minimums.

A norm CSV has a header row with `code`, `per_person` (or `per_person_quantity`, as in
data/readiness_norms.csv), and optionally `critical` and `per_person_cold`. An import is
all-or-nothing: every row is checked first and nothing is written while any row is wrong.
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


def _columns(header: list[str]) -> dict[str, str] | None:
    names = {name.strip().lower(): name for name in header}
    per_person = names.get("per_person") or names.get("per_person_quantity")
    if "code" not in names or per_person is None:
        return None
    return {"code": names["code"], "per_person": per_person,
            "critical": names.get("critical", ""),
            "per_person_cold": names.get("per_person_cold", "")}


def parse_norms(session: Session, text: str) -> list[NormRow]:
    """Check every row of a norm CSV; rows carry their errors (msgids)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = _columns(reader.fieldnames or [])
    if columns is None:
        return [NormRow(line=1, code="", errors=[N_(
            "The header needs the columns code and per_person (or per_person_quantity).")])]
    items = {item.code: item for item in session.scalars(sa.select(Item))}
    rows, seen = [], set()
    for line, raw in enumerate(reader, start=2):
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
        row.errors += [error] if error else []
        rows.append(row)
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
