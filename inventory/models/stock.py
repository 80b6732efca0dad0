"""Lots (批次) and balances: how much of a lot sits in a depot for an owner unit."""
from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.extensions import db
from inventory.models.base import code_str, enum_col, intpk, qty, utc_ts
from inventory.models.catalog import Item
from inventory.models.units import Depot, StorageLocation, Unit


class LotSource(enum.StrEnum):
    PROCUREMENT = "procurement"
    ALLOCATION = "allocation"
    DONATION = "donation"
    REQUISITION = "requisition"
    RETURN = "return"


class LotStatus(enum.StrEnum):
    AVAILABLE = "available"
    QUARANTINED = "quarantined"


class Lot(db.Model):
    """A batch of one item; `lot_code` is unique system-wide because a label encodes it."""

    __tablename__ = "lot"

    id: Mapped[intpk]
    lot_code: Mapped[code_str]
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("item.id"), index=True)
    batch_no: Mapped[str] = mapped_column(sa.String(64), default="")
    expiry_date: Mapped[date | None] = mapped_column(sa.Date, index=True)
    production_date: Mapped[date | None] = mapped_column(sa.Date)
    source: Mapped[LotSource] = enum_col(LotSource, default=LotSource.PROCUREMENT)
    # Donor, supplier or requisitioned enterprise, for the donation / requisition ledgers.
    supplier: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[LotStatus] = enum_col(LotStatus, default=LotStatus.AVAILABLE)
    created_at: Mapped[utc_ts]

    item: Mapped[Item] = relationship()

    def __repr__(self) -> str:
        return f"<Lot {self.lot_code}>"

    def is_expired(self, on: date) -> bool:
        """True when the lot's expiry date lies before `on` (usable through its expiry day)."""
        return self.expiry_date is not None and self.expiry_date < on


class Balance(db.Model):
    """Quantity of a lot held in a depot on behalf of an owner unit.

    Owner and location are separate: district stock pre-positioned at a street depot
    stays the district's. The database refuses negative quantities and reservations
    larger than the quantity; only `services.movements` writes this table.
    """

    __tablename__ = "balance"
    __table_args__ = (
        sa.UniqueConstraint("lot_id", "depot_id", "owner_id"),
        sa.CheckConstraint("quantity >= 0", name="quantity_non_negative"),
        sa.CheckConstraint("reserved >= 0", name="reserved_non_negative"),
        sa.CheckConstraint("reserved <= quantity", name="reserved_within_quantity"),
        sa.Index("ix_balance_depot_id_lot_id", "depot_id", "lot_id"),
    )

    id: Mapped[intpk]
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"))
    depot_id: Mapped[int] = mapped_column(sa.ForeignKey("depot.id"))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    storage_location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("storage_location.id"))
    quantity: Mapped[qty]
    reserved: Mapped[qty]
    updated_at: Mapped[utc_ts]

    lot: Mapped[Lot] = relationship()
    depot: Mapped[Depot] = relationship()
    owner: Mapped[Unit] = relationship()
    storage_location: Mapped[StorageLocation | None] = relationship()

    @property
    def available(self) -> int:
        """Quantity not promised to a dispatch order."""
        return self.quantity - self.reserved
