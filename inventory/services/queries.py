"""Domain predicates, defined once and shared by every query (R2)."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from inventory.models import Agreement, Lot, LotStatus, Unit


def in_subtree(path: str, unit_path=Unit.path) -> sa.ColumnElement[bool]:
    """Units whose materialised path starts with `path` (an index-friendly range).

    Paths look like ``/1/4/``; '/' + 1 is '0', so the range [path, path[:-1] + '0')
    holds exactly the unit and its descendants.
    """
    return sa.and_(unit_path >= path, unit_path < path[:-1] + "0")


def text_search(text: str, *columns) -> sa.ColumnElement[bool]:
    """Rows where any of `columns` contains `text`, case-insensitively, as typed: LIKE's
    wildcards (% and _) and its escape character in the text match only themselves."""
    return sa.or_(*(column.icontains(text.strip(), autoescape=True) for column in columns))


def expired(on: date) -> sa.ColumnElement[bool]:
    """Lots whose expiry date lies before `on` (a lot is usable through its expiry day)."""
    return sa.and_(Lot.expiry_date.is_not(None), Lot.expiry_date < on)


def expiring_within(days: int, on: date) -> sa.ColumnElement[bool]:
    """Lots not yet expired on `on` that expire within `days` days."""
    return sa.and_(Lot.expiry_date.is_not(None), Lot.expiry_date >= on,
                   Lot.expiry_date <= on + timedelta(days=days))


def available_lot() -> sa.ColumnElement[bool]:
    """Lots that may be used (not quarantined)."""
    return Lot.status == LotStatus.AVAILABLE


def agreement_valid(on: date) -> sa.ColumnElement[bool]:
    """Agreements in force on `on`: active and within their validity dates (as
    `Agreement.is_valid_on` answers for one agreement)."""
    return sa.and_(Agreement.is_active, Agreement.valid_from <= on, Agreement.valid_to >= on)
