"""Alembic owns the schema: one head, upgrade from empty, and models agree with migrations."""
import os

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from inventory import ROOT, create_app
from inventory.extensions import db
from tests.conftest import POSTGRES_URL, base_config


def _alembic_config(app) -> Config:
    return app.extensions["migrate"].migrate.get_config(str(ROOT / "migrations"))


def test_single_head(app):
    with app.app_context():
        script = ScriptDirectory.from_config(_alembic_config(app))
        assert len(script.get_heads()) == 1


@pytest.fixture
def empty_db_url(tmp_path):
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}"
        return
    engine = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS inventory_migrations"))
        conn.execute(sa.text("CREATE DATABASE inventory_migrations"))
    yield POSTGRES_URL.rsplit("/", 1)[0] + "/inventory_migrations"
    with engine.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS inventory_migrations WITH (FORCE)"))
    engine.dispose()


def test_upgrade_from_empty_matches_the_models(tmp_path, empty_db_url):
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=empty_db_url))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"unit", "depot", "item", "lot", "balance", "movement", "user"} <= tables
        command.check(_alembic_config(app))  # raises when models and migrations differ
        db.engine.dispose()


PARTIAL_LEDGER_INDEXES = {"ix_movement_from_depot_id", "ix_movement_to_depot_id",
                          "ix_movement_order_code", "ix_movement_approves_id"}


def _partial_movement_indexes() -> set[str]:
    """Names of the movement table's indexes that have a WHERE condition."""
    if db.engine.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'movement'"
    else:
        query = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'movement'"
    with db.engine.connect() as conn:
        return {name for name, sql in conn.execute(sa.text(query)) if sql and "WHERE" in sql}


def test_ledger_indexes_on_mostly_null_columns_are_partial(tmp_path, empty_db_url):
    # Alembic's check does not compare index conditions, so this one does; 0005 made them partial.
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=empty_db_url))
    directory = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory)
        assert _partial_movement_indexes() == PARTIAL_LEDGER_INDEXES
        downgrade(directory=directory, revision="0004")
        assert _partial_movement_indexes() == set()
        upgrade(directory=directory)
        assert _partial_movement_indexes() == PARTIAL_LEDGER_INDEXES
        db.engine.dispose()


def test_sqlite_upgrade_turns_on_wal_and_foreign_keys(tmp_path):
    if os.environ.get("INVENTORY_TEST_DATABASE_URL"):
        pytest.skip("SQLite-specific")
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'wal.sqlite'}"))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        db.engine.dispose()
