"""The declarative base with its naming convention, and engine settings per database.

SQLite gets WAL, foreign keys and a busy timeout on every connection.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Session

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


def configure_engine(engine: sa.Engine, *, synchronous: str = "FULL",
                     write_queue: bool = True) -> None:
    """Apply the per-connection settings the app relies on (idempotent per engine)."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_inventory_configured", False):
        return
    mode = synchronous.upper() if synchronous.upper() in SYNCHRONOUS_MODES else "FULL"
    database = engine.url.database
    wal = None  # with the write queue and FULL: the WAL its connections flush themselves
    if write_queue and database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database)
        queue = WriteQueue(path.with_name(path.name + ".write-lock"))
        event.listen(engine, "do_connect", queue.connect)
        event.listen(engine, "before_cursor_execute", queue.before_execute)
        wal = path.with_name(path.name + "-wal") if mode == "FULL" else None
    event.listen(engine, "connect",
                 lambda conn, record: _sqlite_on_connect(conn, record, mode, wal))
    engine._inventory_configured = True  # type: ignore[attr-defined]


class WriteQueue:
    """Queue SQLite writers on a file lock instead of SQLite's sleeping busy handler.

    SQLite makes a second writer retry with growing sleeps (1, 2, 5 … 100 ms), which is
    what makes the latency tail under concurrent bookings. Here a connection takes an
    exclusive `flock` on a file beside the database right before its first write
    statement, and drops it the moment its transaction ends (`QueuedConnection`): waiting
    writers are woken at once, in turn. Reads never take it. Every process using the same
    database file shares the lock; the kernel drops it if a process dies. With
    `synchronous=FULL`, a commit is made durable after the lock is dropped instead of
    while holding it (`QueuedConnection.commit`).
    """

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def connect(_dialect, _record, _cargs, cparams) -> None:
        cparams["factory"] = QueuedConnection

    def before_execute(self, _conn, cursor, statement, _params, _context, _many) -> None:
        if statement.lstrip()[:7].upper().startswith(self.WRITES):
            # Connections opened before the queue was set up (none in the app) are not queued.
            take = getattr(cursor.connection, "take_write_lock", None)
            if take is not None:
                take(self.path)


class QueuedConnection(sqlite3.Connection):
    """A pysqlite connection that holds the write queue's lock (`WriteQueue`) from its
    first write until its transaction ends, by commit or rollback.

    The lock is dropped as soon as SQLite has committed, not when the pool takes the
    connection back: the ORM's bookkeeping after a commit (closing the session's
    transaction, returning and resetting the connection) no longer keeps the next writer
    waiting. The lock file stays open while the connection lives: a lock belongs to one
    open file, so connections of one process (threads) queue as processes do.
    """

    write_lock_fd: int | None = None
    write_locked = False
    wal_path: Path | None = None  # set: commits sync the WAL themselves (`commit`)
    wal_dir_synced = False

    def take_write_lock(self, path: Path) -> None:
        if self.write_locked:
            return
        if self.write_lock_fd is None:
            self.write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.write_lock_fd, fcntl.LOCK_EX)
        self.write_locked = True

    def _release_write_lock(self) -> None:
        if self.write_locked and self.write_lock_fd is not None:
            fcntl.flock(self.write_lock_fd, fcntl.LOCK_UN)
            self.write_locked = False

    def commit(self) -> None:
        """Commit, let the next writer in, then make the commit durable before returning.

        With `wal_path` set, SQLite runs with `synchronous=NORMAL`: its commit writes the
        transaction to the WAL without waiting for the disk, and this method then waits
        for it (`fdatasync`, as SQLite's `FULL` would) after dropping the write lock. A
        commit still returns only once it is on disk, so nothing is answered as booked
        that a power cut could lose; but the next writer no longer waits for this one's
        disk flush, and one flush may carry several commits.
        """
        wrote = self.in_transaction  # pysqlite opens transactions for writes only
        self._end_transaction(super().commit)
        if wrote and self.wal_path is not None:
            self._sync_wal(self.wal_path)

    def _sync_wal(self, wal: Path) -> None:
        # Opened by name each time: a file descriptor kept across commits could outlive
        # the WAL file it names. While this connection is open in WAL mode SQLite keeps
        # the WAL in place (it may truncate it, never delete it), and a WAL missing here
        # was checkpointed and synced into the database by the connection that removed it.
        try:
            fd = os.open(wal, os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            os.fdatasync(fd)
        finally:
            os.close(fd)
        if not self.wal_dir_synced:
            # As SQLite does after creating a WAL: its directory entry must be durable
            # too. Once per connection, during which the WAL file stays the same.
            directory = os.open(wal.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
            self.wal_dir_synced = True

    def rollback(self) -> None:
        self._end_transaction(super().rollback)

    def _end_transaction(self, end) -> None:
        """Commit or roll back; once no transaction is open, let the next writer in."""
        try:
            end()
        finally:
            if not self.in_transaction:
                self._release_write_lock()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release_write_lock()
            if self.write_lock_fd is not None:
                os.close(self.write_lock_fd)
                self.write_lock_fd = None


def _sqlite_on_connect(dbapi_connection, _record, synchronous: str,
                       wal: Path | None) -> None:
    # pysqlite's own transaction handling opens the transaction right before the first
    # write, so a request's reads never hold a snapshot that a later write would have to
    # upgrade (the SQLITE_BUSY_SNAPSHOT trap); the busy timeout queues competing writers.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if mode not in ("wal", "memory"):
        mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode == "wal" and wal is not None and isinstance(dbapi_connection, QueuedConnection):
        # FULL's flush after each commit is done by QueuedConnection.commit, outside the
        # write lock. Only in WAL mode: with a rollback journal NORMAL would not be durable.
        dbapi_connection.wal_path = wal
        synchronous = "NORMAL"
    cursor.execute(f"PRAGMA synchronous = {synchronous}")
    cursor.close()


def is_sqlite(engine_or_session) -> bool:
    bind = getattr(engine_or_session, "bind", engine_or_session)
    return bind.dialect.name == "sqlite"


def core(session: Session) -> sa.Connection:
    """The session's connection, for Core statements on tables in the booking path.

    Same transaction as the session, without the ORM's execution layer, which costs about
    as much again as Core's own (27 µs against 22 µs a statement on the development
    machine; docs/benchmarks.md). Only for statements on tables, not ORM entities: they
    neither autoflush nor return objects, through either path.
    """
    return session.connection()
