"""The catalogue of reserve items (物资目录) and their readiness norms."""
from __future__ import annotations

import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from inventory.extensions import db
from inventory.models.base import code_str, enum_col, intpk, name_str, utc_ts


class Category(enum.StrEnum):
    SHELTER = "shelter"
    BEDDING = "bedding"
    FOOD = "food"
    WATER = "water"
    LIGHT_POWER = "light_power"
    SANITATION_HYGIENE = "sanitation_hygiene"
    MEDICAL = "medical"
    RESCUE = "rescue"
    COMMUNICATIONS = "communications"
    OTHER = "other"


class Item(db.Model):
    """A catalogue entry with its per-person norm (quantity per person for the target)."""

    __tablename__ = "item"
    __table_args__ = (
        sa.CheckConstraint("per_person >= 0", name="per_person_non_negative"),
        sa.CheckConstraint("pack_size >= 1", name="pack_size_positive"),
        sa.CheckConstraint("shelf_life_days IS NULL OR shelf_life_days > 0",
                           name="shelf_life_positive"),
    )

    id: Mapped[intpk]
    code: Mapped[code_str]
    name: Mapped[name_str]
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    category: Mapped[Category] = enum_col(Category, default=Category.OTHER)
    unit_of_measure: Mapped[str] = mapped_column(sa.String(32))
    # Quantity per person in the readiness norm; 0 means "not part of the norm".
    per_person: Mapped[Decimal] = mapped_column(sa.Numeric(14, 6), default=Decimal(0))
    # Cold-season norm where it differs (stoves, padded coats); None = same as per_person.
    per_person_cold: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 6))
    critical: Mapped[bool] = mapped_column(default=False)
    shelf_life_days: Mapped[int | None] = mapped_column(sa.Integer)
    pack_size: Mapped[int] = mapped_column(sa.Integer, default=1)
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[utc_ts]

    def __repr__(self) -> str:
        return f"<Item {self.code}>"

    def display_name(self, locale: str) -> str:
        """The item's name in the user's language (Chinese unless English is asked for)."""
        return self.name_en if locale.startswith("en") and self.name_en else self.name
