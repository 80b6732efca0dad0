"""The SQLite write queue (inventory.database.WriteQueue): one writer at a time, per file lock."""
from __future__ import annotations

import fcntl
import os
import sqlite3

import pytest
import sqlalchemy as sa

from inventory.database import QueuedConnection, configure_engine


def _engine(tmp_path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'queue.sqlite'}")
    configure_engine(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    return engine


def _held_by_someone(lock_file) -> bool:
    """Whether another open file of the lock holds it (tried without waiting)."""
    other = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(other)
    return False


def test_a_writer_holds_the_lock_from_its_first_write_until_its_commit(tmp_path):
    engine = _engine(tmp_path)
    lock_file = tmp_path / "queue.sqlite.write-lock"
    with engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        assert isinstance(dbapi, QueuedConnection)
        conn.exec_driver_sql("SELECT count(*) FROM t")
        assert not _held_by_someone(lock_file)  # reads never take it
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert _held_by_someone(lock_file)
        conn.commit()
        # Released by the commit itself, before the connection goes back to the pool.
        assert not _held_by_someone(lock_file)
        conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        assert _held_by_someone(lock_file)
        conn.rollback()
        assert not _held_by_someone(lock_file)
    engine.dispose()


def test_a_failed_write_keeps_the_lock_until_the_rollback(tmp_path):
    engine = _engine(tmp_path)
    lock_file = tmp_path / "queue.sqlite.write-lock"
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        with pytest.raises(sa.exc.OperationalError):
            conn.exec_driver_sql("INSERT INTO missing VALUES (1)")
        assert _held_by_someone(lock_file)
    # Returned to the pool: the pool's reset rolled back and released it.
    assert not _held_by_someone(lock_file)
    engine.dispose()


def test_connections_keep_their_own_lock_file_open_until_they_close(tmp_path):
    """A lock belongs to an open file: two connections sharing one would not exclude
    each other within a process (threads)."""
    engine = _engine(tmp_path)
    first, second = engine.connect(), engine.connect()
    first.exec_driver_sql("INSERT INTO t VALUES (1)")
    first.commit()
    second.exec_driver_sql("INSERT INTO t VALUES (2)")
    second.commit()
    fds = [c.connection.dbapi_connection.write_lock_fd for c in (first, second)]
    assert None not in fds and fds[0] != fds[1]
    first.close()
    second.close()
    assert {str(fd) for fd in fds} <= set(os.listdir("/proc/self/fd"))  # kept in the pool
    engine.dispose()
    assert not {str(fd) for fd in fds} & set(os.listdir("/proc/self/fd"))


def _flushes(monkeypatch, lock_file) -> list[tuple[str, bool]]:
    """Record each fdatasync/fsync: the file's name and whether the write lock was held."""
    calls: list[tuple[str, bool]] = []
    for name in ("fdatasync", "fsync"):
        real = getattr(os, name)

        def spy(fd, real=real):
            calls.append((os.readlink(f"/proc/self/fd/{fd}"), _held_by_someone(lock_file)))
            return real(fd)

        monkeypatch.setattr(os, name, spy)
    return calls


def test_a_commit_is_flushed_to_disk_after_the_lock_is_dropped_and_before_it_returns(
        tmp_path, monkeypatch):
    engine = _engine(tmp_path)
    lock_file = tmp_path / "queue.sqlite.write-lock"
    wal = str(tmp_path / "queue.sqlite-wal")
    with engine.connect() as conn:
        # SQLite itself does not wait for the disk: the commit does, outside the lock.
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        calls = _flushes(monkeypatch, lock_file)
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        conn.commit()
        assert calls[0] == (wal, False)
        # The WAL's directory entry too, once per connection.
        assert calls[1:] == [(str(tmp_path), False)]
        calls.clear()
        conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        conn.commit()
        assert calls == [(wal, False)]
        calls.clear()
        # Nothing to flush after reads, or after a rollback.
        conn.exec_driver_sql("SELECT count(*) FROM t").scalar()
        conn.commit()
        conn.exec_driver_sql("INSERT INTO t VALUES (3)")
        conn.rollback()
        assert calls == []
    engine.dispose()


@pytest.mark.parametrize("synchronous", ["NORMAL", "OFF"])
def test_weaker_settings_are_left_to_sqlite(tmp_path, monkeypatch, synchronous):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'queue.sqlite'}")
    configure_engine(engine, synchronous=synchronous)
    lock_file = tmp_path / "queue.sqlite.write-lock"
    with engine.connect() as conn:
        expected = {"NORMAL": 1, "OFF": 0}[synchronous]
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == expected
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
        conn.commit()
        calls = _flushes(monkeypatch, lock_file)
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        conn.commit()
        assert calls == []
    engine.dispose()


def test_without_the_write_queue_sqlite_flushes_itself(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'plain.sqlite'}")
    configure_engine(engine, write_queue=False)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_a_commit_survives_the_loss_of_its_wal_file_name(tmp_path):
    """A WAL removed by a checkpointing close is no error: its content is in the database."""
    engine = _engine(tmp_path)
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        dbapi = conn.connection.dbapi_connection
        dbapi._sync_wal(tmp_path / "no-such-wal")  # does not raise
        conn.commit()
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1
    engine.dispose()



class _NoWalCursor(sqlite3.Cursor):
    def execute(self, sql, *args):
        # Answers as SQLite does where WAL is refused (it needs shared memory, which some
        # network file systems lack): the journal mode stays what it was.
        if sql.replace(" ", "").upper() == "PRAGMAJOURNAL_MODE=WAL":
            sql = "PRAGMA journal_mode"
        return super().execute(sql, *args)


class _NoWalConnection(QueuedConnection):
    def cursor(self, factory=_NoWalCursor):
        return super().cursor(factory)


def test_without_wal_mode_sqlite_keeps_flushing_itself(tmp_path):
    """Deferring the flush is only safe with a WAL to flush: with a rollback journal
    `NORMAL` would not be durable, so SQLite keeps `FULL`."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'nowal.sqlite'}")
    configure_engine(engine)

    @sa.event.listens_for(engine, "do_connect")
    def refuse_wal(_dialect, _record, _cargs, cparams):
        cparams["factory"] = _NoWalConnection

    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.connection.dbapi_connection.wal_path is None
    engine.dispose()
