"""Stored alerts (预警) with a deduplication key and a state, and readiness snapshots."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.extensions import db
from inventory.models.base import enum_col, intpk, utc_ts
from inventory.models.catalog import Item
from inventory.models.units import Depot, Unit
from inventory.models.users import User


class AlertKind(enum.StrEnum):
    SHORTFALL = "shortfall"
    BELOW_MINIMUM = "below_minimum"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    AGREEMENT_EXPIRING = "agreement_expiring"
    CHECK_OVERDUE = "check_overdue"
    BASES_BELOW_TARGET = "bases_below_target"
    PREPOSITION_BELOW_TARGET = "preposition_below_target"
    DISPATCH_OVERDUE = "dispatch_overdue"


class AlertSeverity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class AlertState(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Alert(db.Model):
    """One condition found by the alert rules; `dedup_key` names it, so re-evaluation
    updates the same row instead of adding another.

    Subject columns are codes, not foreign keys where the subject may be any kind of
    record (an order, an agreement): alerts outlive what they were about.
    """

    __tablename__ = "alert"
    __table_args__ = (sa.Index("ix_alert_state_severity", "state", "severity"),)

    id: Mapped[intpk]
    dedup_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[AlertKind] = enum_col(AlertKind, length=32)
    severity: Mapped[AlertSeverity] = enum_col(AlertSeverity)
    state: Mapped[AlertState] = enum_col(AlertState, default=AlertState.OPEN)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    depot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("depot.id"))
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("item.id"))
    lot_code: Mapped[str | None] = mapped_column(sa.String(64))
    agreement_code: Mapped[str | None] = mapped_column(sa.String(64))
    order_code: Mapped[str | None] = mapped_column(sa.String(64))
    # English msgid and its parameters (JSON), translated when shown.
    message: Mapped[str] = mapped_column(sa.String(300), default="")
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The measured figure behind the alert (a ratio, days, a quantity) for sorting and charts.
    value: Mapped[float | None] = mapped_column(sa.Float)
    first_seen_at: Mapped[utc_ts]
    last_seen_at: Mapped[utc_ts]
    acknowledged_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # None when the rules found the condition gone; a user when someone closed it by hand.
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    unit: Mapped[Unit | None] = relationship()
    depot: Mapped[Depot | None] = relationship()
    item: Mapped[Item | None] = relationship()
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    def __repr__(self) -> str:
        return f"<Alert {self.dedup_key} {self.state}>"


class DepotMinimum(db.Model):
    """The least quantity of an item a depot must hold (its own list); below it, an alert."""

    __tablename__ = "depot_minimum"
    __table_args__ = (
        sa.UniqueConstraint("depot_id", "item_id"),
        sa.CheckConstraint("minimum_quantity >= 0", name="minimum_non_negative"),
    )

    id: Mapped[intpk]
    depot_id: Mapped[int] = mapped_column(sa.ForeignKey("depot.id"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("item.id"), index=True)
    minimum_quantity: Mapped[int] = mapped_column(sa.Integer)

    depot: Mapped[Depot] = relationship()
    item: Mapped[Item] = relationship()


class ReadinessSnapshot(db.Model):
    """A unit's readiness on a day, taken by `check-alerts`, for the readiness history."""

    __tablename__ = "readiness_snapshot"
    __table_args__ = (sa.UniqueConstraint("unit_id", "taken_on"),)

    id: Mapped[intpk]
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"))
    taken_on: Mapped[date] = mapped_column(sa.Date, index=True)
    target_people: Mapped[int] = mapped_column(sa.Integer)
    people_coverable: Mapped[int] = mapped_column(sa.Integer)
    people_coverable_with_agreements: Mapped[int] = mapped_column(sa.Integer)
    limiting_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("item.id"))
    created_at: Mapped[utc_ts]

    unit: Mapped[Unit] = relationship()


class AlertRun(db.Model):
    """One evaluation of the alert rules: when, by what, and the ledger position it saw.

    Pages read the latest run to decide whether alerts are stale (new movements since,
    or `stale` set by an edit to agreements, minimums, norms or targets).
    """

    __tablename__ = "alert_run"

    id: Mapped[intpk]
    started_at: Mapped[utc_ts] = mapped_column(index=True)
    trigger: Mapped[str] = mapped_column(sa.String(16), default="cli")
    # Highest movement id when the run started: later movements make the alerts stale.
    movement_watermark: Mapped[int] = mapped_column(sa.Integer, default=0)
    opened: Mapped[int] = mapped_column(sa.Integer, default=0)
    resolved: Mapped[int] = mapped_column(sa.Integer, default=0)
    stale: Mapped[bool] = mapped_column(default=False)
