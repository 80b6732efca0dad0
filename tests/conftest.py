"""Fixtures: a fresh database per test (in-memory SQLite, or the PostgreSQL of
scripts/with-postgres), a client, a runner, and a small reserve to act on."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from inventory import create_app
from inventory.extensions import db
from tests import factories

POSTGRES_URL = os.environ.get("INVENTORY_TEST_DATABASE_URL")
_pg_schema_ready = False


def base_config(tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": POSTGRES_URL or "sqlite://",
        "WTF_CSRF_ENABLED": False,
        "SQLITE_SYNCHRONOUS": "OFF",
    }
    config.update(overrides)
    return config


def _reset_postgres(app) -> None:
    global _pg_schema_ready
    with app.app_context():
        if not _pg_schema_ready:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.create_all()
            _pg_schema_ready = True
        else:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def make_app(tmp_path):
    """Build an app with extra config; the database is fresh and has the schema."""
    apps = []

    def build(**overrides):
        app = create_app(base_config(tmp_path, **overrides))
        if POSTGRES_URL and "SQLALCHEMY_DATABASE_URI" not in overrides:
            _reset_postgres(app)
        else:
            with app.app_context():
                db.create_all()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def session(app) -> Iterator:
    with app.app_context():
        yield db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """A small reserve: city > district > two streets, depots, items, one user per role."""
    with app.app_context():
        built = factories.build_world(db.session)
        db.session.commit()
        return built


def login(client, username: str, password: str = factories.PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.data[:500]
    return response


@pytest.fixture
def token_for(app, world):
    """Bearer-token headers for a user of the world."""
    from inventory.models import utcnow
    from inventory.services import users

    def make(username: str) -> dict[str, str]:
        with app.app_context():
            user = users.get_user(db.session, username)
            token = users.create_token(db.session, user=user, now=utcnow())
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def world_app(make_app):
    """An app with extra config and the small reserve loaded: world_app(LOGIN_MAX_FAILURES=2)."""
    def build(**overrides):
        app = make_app(**overrides)
        with app.app_context():
            factories.build_world(db.session)
            db.session.commit()
        return app
    return build
