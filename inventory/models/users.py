"""Users, API tokens and the audit record."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.extensions import db
from inventory.models.base import enum_col, intpk, utc_ts
from inventory.models.units import Unit


class Role(enum.StrEnum):
    ADMIN = "admin"
    BUREAU = "bureau"
    DISPATCHER = "dispatcher"
    KEEPER = "keeper"
    VIEWER = "viewer"


class User(UserMixin, db.Model):
    """A person who signs in; acts on the subtree of `unit` (everything when unit is None)."""

    __tablename__ = "user"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(sa.String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = enum_col(Role, default=Role.VIEWER)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    is_active_user: Mapped[bool] = mapped_column("is_active", default=True)
    # Changing this logs the user out everywhere (Flask-Login's alternative id).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[utc_ts]
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    unit: Mapped[Unit | None] = relationship()

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.is_active_user

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    __tablename__ = "api_token"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[utc_ts]
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship()


class AuditEvent(db.Model):
    """Who did what and when: logins (also failed ones) and administrative changes."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_action_subject_at", "action", "subject", "at"),)

    id: Mapped[intpk]
    at: Mapped[utc_ts] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(sa.String(64))
    # What the action was about, e.g. "user:keeper1" or "unit:150603".
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    detail: Mapped[str] = mapped_column(sa.Text, default="")
    remote_addr: Mapped[str] = mapped_column(sa.String(64), default="")

    actor: Mapped[User | None] = relationship()
