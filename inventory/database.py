"""The declarative base with its naming convention, and engine settings per database.

SQLite gets WAL, foreign keys and a busy timeout on every connection.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; constraints get stable names so migrations can refer to them."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


SQLITE_BUSY_TIMEOUT_MS = 15000
SYNCHRONOUS_MODES = ("OFF", "NORMAL", "FULL", "EXTRA")


def configure_engine(engine: sa.Engine, *, synchronous: str = "FULL") -> None:
    """Apply the per-connection settings the app relies on (idempotent per engine)."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_inventory_configured", False):
        return
    mode = synchronous.upper() if synchronous.upper() in SYNCHRONOUS_MODES else "FULL"
    event.listen(engine, "connect",
                 lambda conn, record: _sqlite_on_connect(conn, record, mode))
    engine._inventory_configured = True  # type: ignore[attr-defined]


def _sqlite_on_connect(dbapi_connection, _record, synchronous: str) -> None:
    # pysqlite's own transaction handling opens the transaction right before the first
    # write, so a request's reads never hold a snapshot that a later write would have to
    # upgrade (the SQLITE_BUSY_SNAPSHOT trap); the busy timeout queues competing writers.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if mode not in ("wal", "memory"):
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA synchronous = {synchronous}")
    cursor.close()


def is_sqlite(engine_or_session) -> bool:
    bind = getattr(engine_or_session, "bind", engine_or_session)
    return bind.dialect.name == "sqlite"
