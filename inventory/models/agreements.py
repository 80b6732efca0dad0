"""Agreement reserves (协议储备): partners, their contracts, lines and verification checks."""
from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.extensions import db
from inventory.models.base import code_str, enum_col, intpk, name_str, utc_ts
from inventory.models.catalog import Item
from inventory.models.units import Unit
from inventory.models.users import User


class Partner(db.Model):
    """An enterprise that holds stock, supplies or produces for the bureau under contract."""

    __tablename__ = "partner"

    id: Mapped[intpk]
    code: Mapped[code_str]
    name: Mapped[name_str]
    # 统一社会信用代码: 18 characters (digits and capital letters).
    credit_code: Mapped[str] = mapped_column(sa.String(18), default="")
    contact: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[utc_ts]

    sites: Mapped[list[PartnerSite]] = relationship(back_populates="partner",
                                                    order_by="PartnerSite.id")

    def __repr__(self) -> str:
        return f"<Partner {self.code}>"


class PartnerSite(db.Model):
    """A warehouse or plant of a partner where contracted goods are held or made."""

    __tablename__ = "partner_site"

    id: Mapped[intpk]
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partner.id"), index=True)
    name: Mapped[name_str]
    address: Mapped[str] = mapped_column(sa.String(300), default="")

    partner: Mapped[Partner] = relationship(back_populates="sites")


class AgreementMode(enum.StrEnum):
    STOCK = "stock"          # 协议储备/委托代储: the partner holds goods for us
    SUPPLY = "supply"        # 协议供货: the partner delivers from its own stock
    CAPACITY = "capacity"    # 产能储备: the partner produces; line quantity is per day


class Agreement(db.Model):
    """A contract with a partner, owned by a unit, valid between two dates.

    Its quantities count for readiness only while valid and only when `lead_time_hours`
    fits the horizon asked about.
    """

    __tablename__ = "agreement"
    __table_args__ = (
        sa.CheckConstraint("valid_to >= valid_from", name="valid_period"),
        sa.CheckConstraint("lead_time_hours >= 0", name="lead_time_non_negative"),
        sa.CheckConstraint("check_interval_days > 0", name="check_interval_positive"),
    )

    id: Mapped[intpk]
    code: Mapped[code_str]
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partner.id"), index=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    mode: Mapped[AgreementMode] = enum_col(AgreementMode)
    valid_from: Mapped[date] = mapped_column(sa.Date)
    valid_to: Mapped[date] = mapped_column(sa.Date, index=True)
    lead_time_hours: Mapped[int] = mapped_column(sa.Integer, default=24)
    # How often a verification check is due (stock mode above all).
    check_interval_days: Mapped[int] = mapped_column(sa.Integer, default=90)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[utc_ts]

    partner: Mapped[Partner] = relationship()
    owner: Mapped[Unit] = relationship()
    lines: Mapped[list[AgreementLine]] = relationship(
        back_populates="agreement", order_by="AgreementLine.id", cascade="all, delete-orphan")
    checks: Mapped[list[AgreementCheck]] = relationship(
        back_populates="agreement", order_by="AgreementCheck.checked_on.desc()")

    def __repr__(self) -> str:
        return f"<Agreement {self.code} {self.mode}>"

    def is_valid_on(self, day: date) -> bool:
        """True when `day` lies within the contract's validity (both ends included)."""
        return self.is_active and self.valid_from <= day <= self.valid_to


class AgreementLine(db.Model):
    """An item and its contracted quantity (for capacity agreements: quantity per day)."""

    __tablename__ = "agreement_line"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "item_id"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[intpk]
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement.id"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("item.id"), index=True)
    quantity: Mapped[int] = mapped_column(sa.Integer)

    agreement: Mapped[Agreement] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()


class AgreementCheck(db.Model):
    """A verification visit (核查): what was found at the partner on a date."""

    __tablename__ = "agreement_check"

    id: Mapped[intpk]
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement.id"), index=True)
    checked_on: Mapped[date] = mapped_column(sa.Date)
    checker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    checker_name: Mapped[str] = mapped_column(sa.String(200), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # File name of the uploaded photo inside the instance folder's uploads/, if any.
    photo: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[utc_ts]

    agreement: Mapped[Agreement] = relationship(back_populates="checks")
    checker: Mapped[User | None] = relationship()
    lines: Mapped[list[AgreementCheckLine]] = relationship(
        back_populates="check", order_by="AgreementCheckLine.id", cascade="all, delete-orphan")


class AgreementCheckLine(db.Model):
    """Quantity found for one agreement line during a check."""

    __tablename__ = "agreement_check_line"
    __table_args__ = (
        sa.UniqueConstraint("check_id", "line_id"),
        sa.CheckConstraint("quantity_found >= 0", name="quantity_found_non_negative"),
    )

    id: Mapped[intpk]
    check_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_check.id"))
    line_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_line.id"), index=True)
    quantity_found: Mapped[int] = mapped_column(sa.Integer)

    check: Mapped[AgreementCheck] = relationship(back_populates="lines")
    line: Mapped[AgreementLine] = relationship()
