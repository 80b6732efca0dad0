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
