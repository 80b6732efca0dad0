"""The SQLite write queue (inventory.database.WriteQueue): one writer at a time, per file lock."""
from __future__ import annotations

import fcntl
import os

import pytest
import sqlalchemy as sa

from inventory.database import configure_engine


def _engine(tmp_path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'queue.sqlite'}")
    configure_engine(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    return engine


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def test_a_connection_keeps_its_lock_file_open_and_closes_it_with_itself(tmp_path):
    engine = _engine(tmp_path)
    with engine.connect() as conn:
        record_info = conn.connection._connection_record.info
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        fd = record_info["write_lock"]
        conn.commit()
    # Back in the pool: the lock is released, the file stays open for the next write.
    assert "write_lock" not in record_info and record_info["write_lock_fd"] == fd
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        assert conn.connection._connection_record.info["write_lock"] == fd
        conn.commit()
    before = _open_fds()
    engine.dispose()
    assert str(fd) in before and str(fd) not in _open_fds()


def test_connections_of_one_process_hold_the_lock_through_their_own_files(tmp_path):
    """A lock belongs to an open file: two connections sharing one would not exclude
    each other within a process (threads)."""
    engine = _engine(tmp_path)
    lock_file = tmp_path / "queue.sqlite.write-lock"
    first, second = engine.connect(), engine.connect()
    first.exec_driver_sql("INSERT INTO t VALUES (1)")
    second.exec_driver_sql("SELECT 1")  # checked out too, so it gets its own record
    fds = [first.connection._connection_record.info["write_lock_fd"]]
    other = os.open(lock_file, os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):  # held: any other open file must wait
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        first.commit()
        first.close()  # back in the pool: released
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(other, fcntl.LOCK_UN)
    finally:
        os.close(other)
    second.exec_driver_sql("INSERT INTO t VALUES (2)")
    fds.append(second.connection._connection_record.info["write_lock_fd"])
    second.commit()
    second.close()
    assert fds[0] != fds[1]
    engine.dispose()
