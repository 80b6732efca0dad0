"""The SQLite write queue (inventory.database.WriteQueue): one writer at a time, per file lock."""
from __future__ import annotations

import fcntl
import os

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
