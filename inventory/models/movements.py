"""The append-only ledger (台账/流水): one row per booking, never updated or deleted."""
from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.extensions import db
from inventory.models.base import enum_col, intpk, utc_ts
from inventory.models.stock import Lot, LotSource
from inventory.models.units import Depot, Unit
from inventory.models.users import User


class MovementKind(enum.StrEnum):
    RECEIVE = "receive"
    ISSUE = "issue"
    TRANSFER = "transfer"
    COUNT = "count"
    LOSS = "loss"
    SCRAP = "scrap"
    WRITE_OFF = "write_off"
    REVERSAL = "reversal"


def _where_set(column: str) -> sa.Index:
    """The movement index `ix_movement_<column>`, over the rows where `column` IS NOT NULL."""
    where = sa.text(f"{column} IS NOT NULL")
    return sa.Index(f"ix_movement_{column}", column, sqlite_where=where, postgresql_where=where)


class Movement(db.Model):
    """One booking: `quantity` leaves (from_depot, from_owner) and/or enters (to_depot, to_owner).

    Every kind follows that one rule, so a balance always equals the sum of what entered
    minus what left it. A stocktake books the difference (and keeps the counted figure);
    a write-off approves an earlier loss or scrap and moves nothing; a reversal books the
    opposite of the movement it references.
    """

    __tablename__ = "movement"
    __table_args__ = (
        sa.CheckConstraint("quantity >= 0", name="quantity_non_negative"),
        sa.CheckConstraint("quantity > 0 OR kind IN ('count', 'write_off')",
                           name="quantity_positive_unless_count"),
        sa.Index("ix_movement_lot_id_created_at", "lot_id", "created_at"),
        # Partial: most rows have NULL in these columns (only dispatch picks carry an order,
        # only write-offs approve, issues, losses and scraps go to no depot, receipts come
        # from none), and a booking pays one index entry fewer per NULL column. Lookups by
        # them use =, IN or IS NOT NULL, which imply the index condition, so the SQLite and
        # PostgreSQL planners still use these indexes.
        _where_set("from_depot_id"),
        _where_set("to_depot_id"),
        _where_set("order_code"),
        _where_set("approves_id"),
    )

    id: Mapped[intpk]
    kind: Mapped[MovementKind] = enum_col(MovementKind)
    source: Mapped[LotSource | None] = enum_col(LotSource, nullable=True)
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"))
    from_depot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("depot.id"))
    to_depot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("depot.id"))
    from_owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    to_owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    quantity: Mapped[int] = mapped_column(sa.Integer)
    # Stocktakes keep the figure the keeper counted beside the booked difference.
    counted_quantity: Mapped[int | None] = mapped_column(sa.Integer)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    request_id: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # Hash of the request body, so a replayed request_id with another body is refused.
    request_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    order_code: Mapped[str | None] = mapped_column(sa.String(64))
    reverses_id: Mapped[int | None] = mapped_column(sa.ForeignKey("movement.id"), unique=True)
    approves_id: Mapped[int | None] = mapped_column(sa.ForeignKey("movement.id"))
    created_at: Mapped[utc_ts] = mapped_column(index=True)

    lot: Mapped[Lot] = relationship()
    from_depot: Mapped[Depot | None] = relationship(foreign_keys=[from_depot_id])
    to_depot: Mapped[Depot | None] = relationship(foreign_keys=[to_depot_id])
    from_owner: Mapped[Unit | None] = relationship(foreign_keys=[from_owner_id])
    to_owner: Mapped[Unit | None] = relationship(foreign_keys=[to_owner_id])
    actor: Mapped[User | None] = relationship()
    reverses: Mapped[Movement | None] = relationship(
        remote_side="Movement.id", foreign_keys=[reverses_id])
    approves: Mapped[Movement | None] = relationship(
        remote_side="Movement.id", foreign_keys=[approves_id])

    def __repr__(self) -> str:
        return f"<Movement {self.id} {self.kind} {self.quantity}>"

    @property
    def reversible_here(self) -> bool:
        """Whether a page may offer to reverse it by itself: not a reversal, a count that
        changed something, and not a movement of a dispatch order (reversed through the
        order). Already reversed or written off is the service's to refuse."""
        return self.kind is not MovementKind.REVERSAL and bool(self.quantity) and not self.order_code

    @property
    def signed_quantity(self) -> int:
        """+quantity for stock entering a place, -quantity for stock leaving, 0 for a move."""
        if self.to_depot_id and not self.from_depot_id:
            return self.quantity
        if self.from_depot_id and not self.to_depot_id:
            return -self.quantity
        return 0
