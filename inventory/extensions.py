"""Flask extensions, created unbound here and bound in `init_app` (no circular imports)."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, session
from flask_babel import Babel
from flask_login import LoginManager as _LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from inventory.database import Base



class LoginManager(_LoginManager):
    """Flask-Login, minus work for requests that carry no session (token clients, scanners).

    Session protection compares a hash of the client's address and user agent with the
    one stored in the session; Flask-Login computes that hash before it looks whether
    there is a session at all. With none there is nothing to protect, and the answer is
    the same without the hash.
    """

    def _session_protection_failed(self) -> bool:
        return bool(session) and super()._session_protection_failed()


db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def init_app(app: Flask) -> None:
    """Bind every extension to the app; locale selection lives in `inventory.i18n`."""
    from inventory import database, i18n

    db.init_app(app)
    with app.app_context():
        database.configure_engine(db.engine, synchronous=app.config["SQLITE_SYNCHRONOUS"])
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True,
                     compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
