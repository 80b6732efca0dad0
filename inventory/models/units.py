"""Administrative units (the tier tree), their depots and storage locations."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.extensions import db
from inventory.models.base import code_str, enum_col, intpk, name_str, utc_ts


class Unit(db.Model):
    """An administrative unit (城市, 区, 街道, 社区) in the tier tree; it owns stock.

    `path` is the materialised path of ids (``/1/4/9/``) so a subtree is one
    prefix match; it is maintained by `services.units`, never by hand.
    """

    __tablename__ = "unit"
    __table_args__ = (
        sa.CheckConstraint("target_people >= 0", name="target_people_non_negative"),
        sa.CheckConstraint("population IS NULL OR population >= 0", name="population_non_negative"),
        sa.CheckConstraint("horizon_hours > 0", name="horizon_hours_positive"),
    )

    id: Mapped[intpk]
    code: Mapped[code_str]
    name: Mapped[name_str]
    tier: Mapped[str] = mapped_column(sa.String(32))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(512), index=True, default="")
    population: Mapped[int | None] = mapped_column(sa.Integer)
    target_people: Mapped[int] = mapped_column(sa.Integer, default=15000)
    horizon_hours: Mapped[int] = mapped_column(sa.Integer, default=8)
    # Share of the resident population the reserve must cover (储备量可应急保障常住人口率).
    resident_share_target: Mapped[Decimal] = mapped_column(sa.Numeric(5, 4), default=Decimal("0.1"))
    # Share of the unit's stock to hold at lower tiers (前置储备, Youyang: 1/3).
    preposition_target: Mapped[Decimal] = mapped_column(sa.Numeric(5, 4), default=Decimal("0.3333"))
    agreement_base_target: Mapped[int] = mapped_column(sa.Integer, default=2)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[utc_ts]

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id", back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.code")
    depots: Mapped[list[Depot]] = relationship(back_populates="unit", order_by="Depot.code")

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.tier}>"

    @property
    def depth(self) -> int:
        """0 for a root unit, 1 for its children, and so on."""
        return max(self.path.count("/") - 2, 0)


class DepotKind(enum.StrEnum):
    DEPOT = "depot"
    RESERVE_POINT = "reserve_point"
    SERVICE_STATION = "service_station"
    PARTNER_SITE = "partner_site"


class Depot(db.Model):
    """A place that holds stock (储备库, 储备点, 应急服务站, partner site), belonging to a unit."""

    __tablename__ = "depot"

    id: Mapped[intpk]
    code: Mapped[code_str]
    name: Mapped[name_str]
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    kind: Mapped[DepotKind] = enum_col(DepotKind, default=DepotKind.DEPOT)
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    contact: Mapped[str] = mapped_column(sa.String(200), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[utc_ts]

    unit: Mapped[Unit] = relationship(back_populates="depots")
    locations: Mapped[list[StorageLocation]] = relationship(
        back_populates="depot", order_by="StorageLocation.code")

    def __repr__(self) -> str:
        return f"<Depot {self.code}>"


class StorageLocation(db.Model):
    """A room, aisle or shelf inside a depot; optional, for finding stock."""

    __tablename__ = "storage_location"
    __table_args__ = (sa.UniqueConstraint("depot_id", "code"),)

    id: Mapped[intpk]
    depot_id: Mapped[int] = mapped_column(sa.ForeignKey("depot.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[name_str]
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))

    depot: Mapped[Depot] = relationship(back_populates="locations")
