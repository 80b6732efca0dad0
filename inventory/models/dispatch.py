"""Disaster dispatch (灾情调度): events, requests, dispatch orders with their allocations,
agreement call-offs, and distributions to households (发放)."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.extensions import db
from inventory.models.agreements import Agreement
from inventory.models.base import as_utc, code_str, enum_col, intpk, name_str, utc_ts
from inventory.models.catalog import Item
from inventory.models.stock import Lot
from inventory.models.units import Depot, Unit
from inventory.models.users import User


class EventType(enum.StrEnum):
    FLOOD = "flood"
    EARTHQUAKE = "earthquake"
    STORM = "storm"
    SNOW = "snow"
    DROUGHT = "drought"
    FIRE = "fire"
    GEOLOGICAL = "geological"
    OTHER = "other"


class EventStatus(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class DisasterEvent(db.Model):
    """A disaster (灾情事件) with its affected area, response level and people figures."""

    __tablename__ = "disaster_event"
    __table_args__ = (
        sa.CheckConstraint("response_level IS NULL OR response_level BETWEEN 1 AND 4",
                           name="response_level_range"),
        sa.CheckConstraint("affected_people >= 0 AND relocated_people >= 0",
                           name="people_non_negative"),
    )

    id: Mapped[intpk]
    code: Mapped[code_str]
    name: Mapped[name_str]
    type: Mapped[EventType] = enum_col(EventType, default=EventType.OTHER)
    # The main affected unit (contract: unit_code); further units in `areas`.
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    started_at: Mapped[utc_ts]
    # 应急响应 Ⅰ–Ⅳ级 (1 is the highest); None before a response is declared.
    response_level: Mapped[int | None] = mapped_column(sa.Integer)
    affected_people: Mapped[int] = mapped_column(sa.Integer, default=0)
    relocated_people: Mapped[int] = mapped_column(sa.Integer, default=0)
    status: Mapped[EventStatus] = enum_col(EventStatus, default=EventStatus.ACTIVE, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[utc_ts]

    unit: Mapped[Unit] = relationship()
    areas: Mapped[list[Unit]] = relationship(secondary="disaster_event_area", order_by="Unit.path")
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<DisasterEvent {self.code}>"


class DisasterEventArea(db.Model):
    """A further unit affected by an event (besides its main unit)."""

    __tablename__ = "disaster_event_area"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("disaster_event.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), primary_key=True)


class DispatchRequest(db.Model):
    """A unit or shelter asks for goods: for N people (norms) or an explicit list."""

    __tablename__ = "dispatch_request"
    __table_args__ = (sa.CheckConstraint("people IS NULL OR people > 0", name="people_positive"),)

    id: Mapped[intpk]
    code: Mapped[code_str]
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("disaster_event.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    depot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("depot.id"))
    people: Mapped[int | None] = mapped_column(sa.Integer)
    # When the request was made: the start of the request-to-receipt clock.
    requested_at: Mapped[utc_ts]
    needed_by: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    event: Mapped[DisasterEvent] = relationship()
    unit: Mapped[Unit] = relationship()
    depot: Mapped[Depot | None] = relationship()
    lines: Mapped[list[DispatchRequestLine]] = relationship(
        back_populates="request", order_by="DispatchRequestLine.id", cascade="all, delete-orphan")


class DispatchRequestLine(db.Model):
    """An item and the quantity asked for (after the norm conversion and any edits)."""

    __tablename__ = "dispatch_request_line"
    __table_args__ = (sa.UniqueConstraint("request_id", "item_id"),
                      sa.CheckConstraint("quantity > 0", name="quantity_positive"))

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("dispatch_request.id"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("item.id"))
    quantity: Mapped[int] = mapped_column(sa.Integer)

    request: Mapped[DispatchRequest] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()


class OrderStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PICKING = "picking"
    DISPATCHED = "dispatched"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class DispatchOrder(db.Model):
    """What goes to one destination for one request: lines, the allocation (which depot,
    lot and owner supplies what), call-offs, and the shipment's progress.

    While approved or picking, each allocation holds `quantity - picked` reserved on its
    balance; nothing else does (see `services.reservations`).
    """

    __tablename__ = "dispatch_order"
    __table_args__ = (sa.CheckConstraint("target_hours > 0", name="target_hours_positive"),)

    id: Mapped[intpk]
    code: Mapped[code_str]
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("disaster_event.id"), index=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("dispatch_request.id"), index=True)
    to_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    to_depot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("depot.id"))
    status: Mapped[OrderStatus] = enum_col(OrderStatus, default=OrderStatus.DRAFT, index=True)
    people: Mapped[int | None] = mapped_column(sa.Integer)
    requested_at: Mapped[utc_ts]
    needed_by: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The initial-relief target (8 h) and the proposal's estimate, in hours.
    target_hours: Mapped[int] = mapped_column(sa.Integer, default=8)
    estimated_hours: Mapped[float | None] = mapped_column(sa.Float)
    approved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    picking_started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    departed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    eta: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    vehicle: Mapped[str] = mapped_column(sa.String(64), default="")
    driver: Mapped[str] = mapped_column(sa.String(100), default="")
    driver_phone: Mapped[str] = mapped_column(sa.String(50), default="")
    # When the shipment arrived (for an order met only by call-offs: the last of them);
    # with call-offs still outstanding the order stays dispatched. See `completed_at`.
    received_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    receiving_depot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("depot.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    cancel_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[utc_ts]

    event: Mapped[DisasterEvent] = relationship()
    request: Mapped[DispatchRequest] = relationship()
    to_unit: Mapped[Unit] = relationship()
    to_depot: Mapped[Depot | None] = relationship(foreign_keys=[to_depot_id])
    receiving_depot: Mapped[Depot | None] = relationship(foreign_keys=[receiving_depot_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    lines: Mapped[list[DispatchLine]] = relationship(
        back_populates="order", order_by="DispatchLine.id", cascade="all, delete-orphan")
    allocations: Mapped[list[DispatchAllocation]] = relationship(
        back_populates="order", order_by="DispatchAllocation.id", cascade="all, delete-orphan")
    calloffs: Mapped[list[CallOff]] = relationship(
        back_populates="order", order_by="CallOff.id", cascade="all, delete-orphan")
    approvals: Mapped[list[DispatchApproval]] = relationship(
        back_populates="order", order_by="DispatchApproval.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<DispatchOrder {self.code} {self.status}>"

    @property
    def completed_at(self) -> datetime | None:
        """When everything of a received order had arrived: the latest of its shipment's
        receipt (`received_at`) and its call-offs' deliveries. None until it is received."""
        if self.status is not OrderStatus.RECEIVED:
            return None
        arrivals = [as_utc(self.received_at)] + [
            as_utc(c.received_at) for c in self.calloffs if c.status is CallOffStatus.RECEIVED]
        return max((at for at in arrivals if at is not None), default=None)


class DispatchLine(db.Model):
    """An item and the quantity the order must deliver."""

    __tablename__ = "dispatch_line"
    __table_args__ = (sa.UniqueConstraint("order_id", "item_id"),
                      sa.CheckConstraint("quantity > 0", name="quantity_positive"))

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("dispatch_order.id"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("item.id"))
    quantity: Mapped[int] = mapped_column(sa.Integer)

    order: Mapped[DispatchOrder] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()


class DispatchAllocation(db.Model):
    """Part of a line supplied from one balance (lot × depot × owner), and its progress:
    picked (left the depot), received at the destination, lost on the way."""

    __tablename__ = "dispatch_allocation"
    __table_args__ = (
        sa.UniqueConstraint("order_id", "lot_id", "depot_id", "owner_id"),
        sa.CheckConstraint("quantity >= 0", name="quantity_non_negative"),
        sa.CheckConstraint("picked >= 0 AND picked <= quantity", name="picked_within_quantity"),
        sa.CheckConstraint("transferred >= 0 AND transferred <= picked",
                           name="transferred_within_picked"),
        sa.CheckConstraint("received >= 0 AND lost >= 0 AND received + lost <= picked",
                           name="received_within_picked"),
    )

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("dispatch_order.id"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("item.id"))
    depot_id: Mapped[int] = mapped_column(sa.ForeignKey("depot.id"), index=True)
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"))
    quantity: Mapped[int] = mapped_column(sa.Integer)
    picked: Mapped[int] = mapped_column(sa.Integer, default=0)
    # Of `picked`, how much was booked as a transfer straight into the destination depot.
    transferred: Mapped[int] = mapped_column(sa.Integer, default=0)
    received: Mapped[int] = mapped_column(sa.Integer, default=0)
    lost: Mapped[int] = mapped_column(sa.Integer, default=0)
    # Stock of a unit whose reserve does not cover the destination (or lies outside the
    # dispatcher's area) needs that owner's approval (跨单位调拨).
    needs_owner_approval: Mapped[bool] = mapped_column(default=False)
    owner_approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    owner_approved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    order: Mapped[DispatchOrder] = relationship(back_populates="allocations")
    item: Mapped[Item] = relationship()
    depot: Mapped[Depot] = relationship()
    lot: Mapped[Lot] = relationship()
    owner: Mapped[Unit] = relationship()
    owner_approved_by: Mapped[User | None] = relationship()

    @property
    def outstanding(self) -> int:
        """Still to pick (what the balance holds reserved while the order is live)."""
        return self.quantity - self.picked


class DispatchApproval(db.Model):
    """One approver's sign-off; with the two-person rule an order needs two different ones."""

    __tablename__ = "dispatch_approval"
    __table_args__ = (sa.UniqueConstraint("order_id", "user_id"),)

    id: Mapped[intpk]
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("dispatch_order.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[utc_ts]

    order: Mapped[DispatchOrder] = relationship(back_populates="approvals")
    user: Mapped[User] = relationship()


class CallOffStatus(enum.StrEnum):
    PROPOSED = "proposed"
    CALLED = "called"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class CallOff(db.Model):
    """A call-off (调用) under an agreement: the partner delivers within its lead time."""

    __tablename__ = "agreement_calloff"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("received_quantity >= 0", name="received_non_negative"),
        sa.CheckConstraint("lead_time_hours >= 0", name="lead_time_non_negative"),
    )

    id: Mapped[intpk]
    code: Mapped[code_str]
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("dispatch_order.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement.id"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("item.id"))
    quantity: Mapped[int] = mapped_column(sa.Integer)
    lead_time_hours: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[CallOffStatus] = enum_col(CallOffStatus, default=CallOffStatus.PROPOSED,
                                             index=True)
    needs_owner_approval: Mapped[bool] = mapped_column(default=False)
    called_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    received_quantity: Mapped[int] = mapped_column(sa.Integer, default=0)
    received_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    depot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("depot.id"))

    order: Mapped[DispatchOrder] = relationship(back_populates="calloffs")
    agreement: Mapped[Agreement] = relationship()
    item: Mapped[Item] = relationship()
    depot: Mapped[Depot | None] = relationship()

    @property
    def shortfall(self) -> int:
        """What the partner delivered less than was called off (0 before delivery)."""
        if self.status is not CallOffStatus.RECEIVED:
            return 0
        return max(self.quantity - self.received_quantity, 0)


class Distribution(db.Model):
    """Goods handed to one household (发放) from a shelter or community depot.

    Only the masked ID number is stored (e.g. 1506**********1234).
    """

    __tablename__ = "distribution"
    __table_args__ = (sa.CheckConstraint("household_size >= 1", name="household_size_positive"),)

    id: Mapped[intpk]
    code: Mapped[code_str]
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("disaster_event.id"), index=True)
    depot_id: Mapped[int] = mapped_column(sa.ForeignKey("depot.id"), index=True)
    household_head: Mapped[str] = mapped_column(sa.String(100))
    id_number_masked: Mapped[str] = mapped_column(sa.String(32))
    household_size: Mapped[int] = mapped_column(sa.Integer)
    distributed_at: Mapped[utc_ts] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    # The client's request id: a double submit records one distribution.
    request_id: Mapped[str] = mapped_column(sa.String(80), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    event: Mapped[DisasterEvent] = relationship()
    depot: Mapped[Depot] = relationship()
    created_by: Mapped[User | None] = relationship()
    lines: Mapped[list[DistributionLine]] = relationship(
        back_populates="distribution", order_by="DistributionLine.id", cascade="all, delete-orphan")


class DistributionLine(db.Model):
    """One lot's quantity in a distribution, with the issue movement that booked it."""

    __tablename__ = "distribution_line"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[intpk]
    distribution_id: Mapped[int] = mapped_column(sa.ForeignKey("distribution.id"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("item.id"))
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"))
    quantity: Mapped[int] = mapped_column(sa.Integer)
    movement_id: Mapped[int] = mapped_column(sa.ForeignKey("movement.id"))

    distribution: Mapped[Distribution] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()
    lot: Mapped[Lot] = relationship()


class CodeSequence(db.Model):
    """The last number given out per code stem (e.g. ``DO20260701-``), so records created
    at the same moment never get the same readable code."""

    __tablename__ = "code_sequence"

    stem: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last: Mapped[int] = mapped_column(sa.Integer, default=0)
