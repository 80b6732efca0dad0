"""The catalogue: items and their per-person norms."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Category, Item, User, utcnow
from inventory.services.errors import N_, NotFound, field_error
from inventory.services.users import audit, describe_changes

DEFAULT_NORMS = Path(__file__).resolve().parents[2] / "data" / "readiness_norms.csv"
ITEM_FIELDS = ("name", "name_en", "category", "unit_of_measure", "per_person", "per_person_cold",
               "critical", "shelf_life_days", "pack_size", "evidence", "is_active")


def get_item(session: Session, code: str) -> Item:
    """The item with this code; raises NotFound."""
    item = session.scalar(sa.select(Item).where(Item.code == code))
    if item is None:
        raise NotFound(N_("Item %(code)s not found."), code=code)
    return item


def active_items(session: Session) -> list[Item]:
    """Items in use, by code (for filters and pickers)."""
    return list(session.scalars(sa.select(Item).where(Item.is_active).order_by(Item.code)))


def create_item(session: Session, *, code: str, name: str, unit_of_measure: str,
                now: datetime, actor: User | None = None, **fields: Any) -> Item:
    """Add a catalogue item; raises InvalidInput when the code is taken."""
    if session.scalar(sa.select(Item.id).where(Item.code == code)) is not None:
        raise field_error("code", N_("Code %(code)s is already used."), code=code)
    item = Item(code=code, name=name, unit_of_measure=unit_of_measure, created_at=now,
                **{k: v for k, v in fields.items() if k in ITEM_FIELDS and v is not None})
    session.add(item)
    session.flush()
    audit(session, action="item.create", actor=actor, subject=f"item:{code}", now=now)
    return item


def update_item(session: Session, item: Item, *, actor: User | None = None,
                now: datetime | None = None, **fields: Any) -> Item:
    """Edit an item's names, norm and attributes (the code is stable: labels print it)."""
    wanted = {k: v for k, v in fields.items() if k in ITEM_FIELDS}
    detail = describe_changes(item, wanted)
    for key, value in wanted.items():
        setattr(item, key, value)
    session.flush()
    if detail:
        audit(session, action="item.update", actor=actor, subject=f"item:{item.code}",
              now=now or utcnow(), detail=detail)
    return item


def check_item_lines(lines: Sequence[tuple[Item, int]], *, empty: str) -> None:
    """Item lines of a request or a distribution: each item once, whole quantities above
    zero, at least one line (`empty` is the msgid saying so); raises InvalidInput."""
    if not lines:
        raise field_error("lines", empty)
    seen = set()
    for item, quantity in lines:
        if item.id in seen:
            raise field_error("lines", N_("Item %(item)s is listed twice."), item=item.code)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
            raise field_error("lines", N_("Quantity must be a whole number above zero."))
        seen.add(item.id)


def norm_rows(path: Path = DEFAULT_NORMS) -> list[dict[str, Any]]:
    """Rows of the norm table CSV as item fields (shelf life converted from months to days)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [_norm_row(row) for row in csv.DictReader(handle)]


# The norm table states seasonal norms in words: "(cold season only; 0 in warm season)"
# in the English name, or "Ratio: 0.5 (1.0 in cold region/season)" in the basis.
COLD_ONLY = "cold season only"
COLD_RATIO = re.compile(r"\(([0-9.]+) in cold (?:region|season)")


def seasonal_norm(row: dict[str, str], per_person: Decimal) -> tuple[Decimal, Decimal | None]:
    """(warm-season norm, cold-season norm or None when the same), from a norm table row's
    `name_en` and `basis` words (also used by the norm CSV import)."""
    if COLD_ONLY in row.get("name_en", "").lower():
        return Decimal(0), per_person
    match = COLD_RATIO.search(row.get("basis", ""))
    return per_person, Decimal(match[1]) if match else None


def _norm_row(row: dict[str, str]) -> dict[str, Any]:
    months = (row.get("typical_shelf_life_months") or "").strip()
    warm, cold = seasonal_norm(row, Decimal(row["per_person_quantity"].strip() or "0"))
    return {
        "code": row["code"].strip(),
        "name": row["name_zh"].strip(),
        "name_en": row["name_en"].strip(),
        "category": Category(row["category"].strip()),
        "unit_of_measure": row["unit"].strip(),
        "per_person": warm,
        "per_person_cold": cold,
        "critical": row["critical"].strip() in ("1", "true", "True", "yes"),
        "shelf_life_days": round(float(months) * 30.44) if months else None,
        "evidence": (row.get("evidence", "") + " " + row.get("basis", "")).strip(),
    }


def load_catalogue(session: Session, rows: Iterable[dict[str, Any]], *, now: datetime) -> int:
    """Create the items that do not exist yet; returns how many were added."""
    existing = set(session.scalars(sa.select(Item.code)))
    added = 0
    for row in rows:
        if row["code"] in existing:
            continue
        create_item(session, now=now, **row)
        existing.add(row["code"])
        added += 1
    return added
