"""Configuration: defaults here, overridden by INVENTORY_* environment variables.

Every setting is listed in the README. `from_prefixed_env` parses values as JSON when
it can, so ``INVENTORY_TIERS='["county", "township"]'`` gives a list; a comma-separated
string works too.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULT_TIERS = ("city", "district", "street", "community")
SEASON_SETTINGS = ("auto", "warm", "cold")  # as services.readiness.SEASON_SETTINGS


class Defaults:
    """Values used when neither the environment nor a test overrides them."""

    # DATABASE_URL: SQLAlchemy URL; empty means instance/inventory.sqlite.
    DATABASE_URL = ""
    # SECRET_KEY: empty means generate one into instance/secret_key on first start.
    SECRET_KEY = ""
    # Base URL printed in QR labels, e.g. https://10.0.0.5:8443; empty = the request's host.
    PUBLIC_URL = ""
    TIERS: Any = DEFAULT_TIERS
    DEFAULT_LOCALE = "zh"
    LOCALES = ("zh", "en")
    TIMEZONE = "Asia/Shanghai"
    # Failed-login throttling: this many failures within the window locks the account/IP.
    LOGIN_MAX_FAILURES = 5
    LOGIN_FAILURE_WINDOW_SECONDS = 900
    # Trust X-Forwarded-* headers from this many proxies (set to 1 behind nginx).
    PROXY_COUNT = 0
    # Secure cookies: "auto" = Secure whenever the request arrived over HTTPS.
    SECURE_COOKIES = "auto"
    SESSION_LIFETIME_HOURS = 12
    MAX_UPLOAD_MB = 10
    # Largest spreadsheet accepted by imports, in data rows.
    IMPORT_MAX_ROWS = 100_000
    # Largest accepted by the Import page: each step (check, then import) takes about a
    # second per 1,000 rows and must end within the gunicorn worker timeout.
    IMPORT_PAGE_MAX_ROWS = 20_000
    SQLITE_SYNCHRONOUS = "FULL"
    # Alerts are re-evaluated on read at most this often when stock moved (negative: never).
    ALERT_REFRESH_SECONDS = 60
    # Approvals a dispatch order needs (2 = two different bureau users must approve).
    DISPATCH_APPROVERS = 1
    # Season of the readiness norms when a request does not name one: "auto" (cold from
    # November to March), "warm" or "cold".
    SEASON = "auto"
    # A worker remembers what a bearer token resolved to for this long (0 = ask the
    # database every time); a revoked token stops working in every worker within it.
    TOKEN_CACHE_SECONDS = 5


def load(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill app.config from defaults, then the environment (or a test's mapping)."""
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_prefixed_env("INVENTORY")
    else:
        app.config.update(test_config)
    cfg = app.config
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    cfg["TIERS"] = _as_list(cfg["TIERS"])
    cfg["LOCALES"] = _as_list(cfg["LOCALES"])
    cfg["SEASON"] = _season(cfg["SEASON"])
    cfg.setdefault("SQLALCHEMY_DATABASE_URI", cfg["DATABASE_URL"] or _default_sqlite(app))
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        cfg["SQLALCHEMY_DATABASE_URI"] = cfg["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1)
    # A database server can drop idle connections; a SQLite file cannot, and a ping would
    # cost a statement on every request.
    if not cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    cfg["SECRET_KEY"] = cfg["SECRET_KEY"] or _instance_secret(app)
    cfg["BABEL_DEFAULT_LOCALE"] = cfg["DEFAULT_LOCALE"]
    cfg["BABEL_DEFAULT_TIMEZONE"] = cfg["TIMEZONE"]
    cfg["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    cfg["MAX_CONTENT_LENGTH"] = int(cfg["MAX_UPLOAD_MB"]) * 1024 * 1024
    cfg["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(cfg["SESSION_LIFETIME_HOURS"]))
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["REMEMBER_COOKIE_HTTPONLY"] = True
    cfg["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    cfg["WTF_CSRF_TIME_LIMIT"] = None  # a keeper's scan page stays open all shift
    cfg["JSON_SORT_KEYS"] = False


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part) for part in value]


def _season(value: Any) -> str:
    season = str(value).strip().lower()
    if season not in SEASON_SETTINGS:
        raise ValueError(f"INVENTORY_SEASON must be one of {', '.join(SEASON_SETTINGS)}, "
                         f"not {value!r}")
    return season


def _default_sqlite(app: Flask) -> str:
    return "sqlite:///" + str(Path(app.instance_path) / "inventory.sqlite")


def _instance_secret(app: Flask) -> str:
    """Read instance/secret_key, creating it (mode 0600) on first start.

    Written to a temporary file and linked into place, so workers starting together
    all read the same complete key.
    """
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        tmp = path.with_name(f"secret_key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
