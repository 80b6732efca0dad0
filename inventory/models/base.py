"""The column shapes every model shares, and the app's one clock."""
from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy.orm import mapped_column

from inventory.database import Base  # noqa: F401  (re-exported for models)

intpk = Annotated[int, mapped_column(primary_key=True)]
code_str = Annotated[str, mapped_column(sa.String(64), unique=True, index=True)]
name_str = Annotated[str, mapped_column(sa.String(200))]
# Quantities are integers in the item's unit of measure (tents, litres, packs).
qty = Annotated[int, mapped_column(sa.Integer, nullable=False, default=0)]
utc_ts = Annotated[datetime, mapped_column(sa.DateTime(timezone=True), nullable=False)]


def utcnow() -> datetime:
    """The one clock of the app: timezone-aware UTC."""
    return datetime.now(timezone.utc)


def enum_col(enum_cls: type[enum.Enum], length: int = 24, **kw):
    """Store an enum's lowercase value (not its name) with room for new members."""
    return mapped_column(
        sa.Enum(enum_cls, native_enum=False, length=length, create_constraint=False,
                values_callable=lambda e: [m.value for m in e]),
        **kw,
    )


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value
