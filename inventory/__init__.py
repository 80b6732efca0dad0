"""应急物资储备 · Emergency Reserve Inventory: the application factory."""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

ROOT = Path(__file__).resolve().parent.parent
__version__ = "0.1.0"


class InventoryApp(Flask):
    """Flask, with `ensure_sync` answered once per function.

    Flask asks `inspect` whether every hook and the view are coroutine functions on each
    request (eight times a booking), and the answer never changes for a function.
    """

    _SYNC_CACHE_SIZE = 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync_functions: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._sync_functions[func]
        except KeyError:
            sync = super().ensure_sync(func)
            if len(self._sync_functions) < self._SYNC_CACHE_SIZE:
                self._sync_functions[func] = sync
            return sync
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; tests pass a mapping, production reads INVENTORY_* variables."""
    from inventory import auth, cli, config, errors, extensions, guards, static_assets, templating
    from inventory.api import bp as api_bp
    from inventory.web import register as register_web

    app = InventoryApp(__name__, template_folder=str(ROOT / "templates"),
                       instance_path=str(_instance_path(test_config)))
    config.load(app, test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if int(app.config["PROXY_COUNT"]):
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    extensions.init_app(app)
    guards.init_app(app)  # before any route exists: it installs the <int:> converter
    auth.init_app(app)
    templating.init_app(app)
    static_assets.init_app(app)  # versioned, long-cached, gzipped static files
    register_web(app)
    # Bearer-token clients send no CSRF token; auth.require_login checks it for cookie calls.
    extensions.csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    errors.register(app)
    cli.register(app)
    return app


def _instance_path(test_config: Mapping[str, Any] | None) -> Path:
    import os

    if test_config and test_config.get("INSTANCE_PATH"):
        return Path(test_config["INSTANCE_PATH"])
    return Path(os.environ.get("INVENTORY_INSTANCE_PATH") or ROOT / "instance")
