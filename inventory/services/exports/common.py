"""What every export shares: its arguments, the table shell, streaming, aliases."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from inventory.models import Depot, Unit
from inventory.models.base import as_utc
from inventory.reports import Table
from inventory.services.sheets import Column, titles

Labeler = Callable[[str, Any], str]


@dataclass(frozen=True)
class ExportArgs:
    """What to export: the area (None = everything), the period, the language of headers."""

    today: date
    unit: Unit | None = None
    since: date | None = None
    until: date | None = None
    locale: str = "zh"
    stale_days: int = 30
    season: str = "auto"  # INVENTORY_SEASON: the norms of readiness and the purchase plan
    label: Labeler = lambda group, value: str(getattr(value, "value", value))


FromDepot, ToDepot = aliased(Depot, name="from_depot"), aliased(Depot, name="to_depot")
FromOwner, ToOwner = aliased(Unit, name="from_owner"), aliased(Unit, name="to_owner")
DepotUnit, OwnerUnit = aliased(Unit, name="depot_unit"), aliased(Unit, name="owner_unit")


def title(args: ExportArgs, zh: str, en: str) -> str:
    return en if args.locale.startswith("en") else zh


def table(args: ExportArgs, zh: str, en: str, columns: list[Column], rows) -> Table:
    notes = [f"{title(args, '导出日期', 'Exported on')}: {args.today.isoformat()}"]
    if args.unit is not None:
        notes.append(f"{title(args, '范围', 'Area')}: {args.unit.name} ({args.unit.code})")
    if args.since or args.until:
        notes.append(f"{title(args, '期间', 'Period')}: {args.since or '…'} – {args.until or '…'}")
    return Table(title=title(args, zh, en), columns=titles(columns, args.locale), rows=rows,
                 notes=notes)


def stream(session: Session, stmt: sa.Select) -> Iterator[sa.Row]:
    yield from session.execute(stmt.execution_options(yield_per=2000))


def period(stmt: sa.Select, args: ExportArgs, column) -> sa.Select:
    """Rows whose `column` (a UTC timestamp) falls within the export's period (whole days)."""
    if args.since is not None:
        stmt = stmt.where(column >= datetime.combine(args.since, time.min, timezone.utc))
    if args.until is not None:
        stmt = stmt.where(column < datetime.combine(args.until + timedelta(days=1), time.min,
                                                    timezone.utc))
    return stmt


def naive(moment: datetime | None) -> datetime | None:
    """UTC without a zone: spreadsheets cannot hold time zones."""
    return as_utc(moment).replace(tzinfo=None) if moment is not None else None
