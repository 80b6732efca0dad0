"""flask backup: a consistent copy of the database, also while the app is writing."""
import sqlite3
import threading

import pytest
import sqlalchemy as sa

from inventory import create_app
from inventory.extensions import db
from inventory.models import utcnow
from inventory.services import ledger, movements
from tests import factories
from tests.conftest import POSTGRES_URL, base_config


@pytest.mark.sqlite_only
def test_backup_while_writing_restores_to_a_consistent_ledger(tmp_path):
    if POSTGRES_URL:
        pytest.skip("SQLite file backup")
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        db.create_all()
        world = factories.build_world(db.session)
        db.session.commit()
        lot_id, depot_id = world.lots["T1"].id, world.depots["DEP-D1"].id
    stop = threading.Event()

    def writer():
        with app.app_context():
            from inventory.models import Depot, Lot
            lot, depot = db.session.get(Lot, lot_id), db.session.get(Depot, depot_id)
            while not stop.is_set():
                movements.receive(db.session, factories.actor(), lot=lot, depot=depot,
                                  owner=depot.unit, quantity=1, now=utcnow())
                db.session.commit()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite")])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert sqlite3.connect(tmp_path / "copy.sqlite").execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    restored = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'copy.sqlite'}"))
    with restored.app_context():
        assert ledger.verify(db.session) == []
        assert db.session.scalar(sa.text("SELECT count(*) FROM movement")) >= 3
        db.session.remove()
        db.engine.dispose()
    with app.app_context():
        db.engine.dispose()


def test_postgres_backup_restores_to_a_consistent_ledger(tmp_path):
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL run only")
    import os
    import subprocess

    from tests.serving import fresh_database

    app = create_app(base_config(tmp_path))
    from tests.conftest import _reset_postgres
    _reset_postgres(app)
    with app.app_context():
        factories.build_world(db.session)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.dump")])
    assert result.exit_code == 0, result.output
    bindir = os.environ.get("INVENTORY_TEST_PG_BINDIR", "/usr/bin")
    with fresh_database(tmp_path) as restored_url:
        target = restored_url.replace("postgresql+psycopg://", "postgresql://")
        subprocess.run([f"{bindir}/pg_restore", "--no-owner", f"--dbname={target}",
                        str(tmp_path / "copy.dump")], check=True, capture_output=True)
        restored = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=restored_url))
        with restored.app_context():
            assert ledger.verify(db.session) == []
            assert db.session.scalar(sa.text("SELECT count(*) FROM movement")) == 3
            db.session.remove()
            db.engine.dispose()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.sqlite_only
def test_sqlite_backup_finishes_while_another_connection_keeps_writing(tmp_path):
    """The copy is one snapshot; copied in slices it restarted on every write in between,
    and on a busy database of a few megabytes it could go on for minutes."""
    if POSTGRES_URL:
        pytest.skip("SQLite file backup")
    import os
    import time

    from inventory.services import backup as backup_service
    path = tmp_path / "busy.sqlite"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE filler (data BLOB)")
    setup.executemany("INSERT INTO filler VALUES (?)", [(os.urandom(1000),) for _ in range(30000)])
    setup.commit()
    setup.close()
    stop = threading.Event()
    writes = []

    def writer():
        connection = sqlite3.connect(path, timeout=30)
        while not stop.is_set():
            connection.execute("INSERT INTO filler VALUES (x'00')")
            connection.commit()
            writes.append(1)
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(writes) < 10:
            time.sleep(0.01)
        started = time.monotonic()
        backup_service.backup(sa.create_engine(f"sqlite:///{path}"), tmp_path / "copy.sqlite")
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
    copy = sqlite3.connect(tmp_path / "copy.sqlite")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM filler").fetchone()[0] >= 30000
    assert elapsed < 15, f"backup took {elapsed:.1f} s under writes"


def _flask_on(server, database_url: str, *args: str):
    """Run a CLI command like the server's, but on another database (the restored copy)."""
    import subprocess

    from tests.serving import BIN, ROOT
    env = {**server.env, "INVENTORY_DATABASE_URL": database_url}
    return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_backup_taken_while_the_running_app_books_restores_to_a_consistent_ledger(tmp_path):
    """`flask --app wsgi backup FILE` beside gunicorn under a stream of bookings; the copy,
    restored, holds every booking answered before the backup began and passes verify-ledger."""
    import os
    import shutil
    import subprocess

    from tests.booking_stream import Stream, ledger_by_request_id, seed
    from tests.serving import fresh_database, running_server
    copy = tmp_path / ("copy.dump" if POSTGRES_URL else "copy.sqlite")
    with running_server(tmp_path, workers=3) as server:
        headers = server.token("keeper")
        seed(server.url, headers)
        with Stream(server.url, headers, clients=4, prefix="backup") as stream:
            stream.wait_for_answers(30)
            before = {a.body["request_id"] for a in list(stream.attempts) if a.status == 201}
            result = server.flask("backup", str(copy))
            assert result.returncode == 0, result.stdout + result.stderr
            stream.wait_for_answers(20)  # the app kept booking during and after the copy
        assert {a.status for a in stream.attempts} <= {201}
        answered = {a.body["request_id"] for a in stream.attempts}
        with fresh_database(tmp_path / "restored") as restored_url:
            if POSTGRES_URL:
                bindir = os.environ.get("INVENTORY_TEST_PG_BINDIR", "/usr/bin")
                target = restored_url.replace("postgresql+psycopg://", "postgresql://")
                subprocess.run([f"{bindir}/pg_restore", "--no-owner", f"--dbname={target}",
                                str(copy)], check=True, capture_output=True)
            else:
                restored_url = f"sqlite:///{tmp_path / 'restored.sqlite'}"
                shutil.copy(copy, tmp_path / "restored.sqlite")
            check = _flask_on(server, restored_url, "verify-ledger")
            assert check.returncode == 0, check.stdout + check.stderr
            in_copy = set(ledger_by_request_id(restored_url, "backup"))
    assert before <= in_copy <= answered
    assert len(in_copy) < len(answered)  # the copy is a snapshot: later bookings are not in it
