"""HTML pages: one blueprint, modules split by resource; views call services and commit once."""
from __future__ import annotations

from flask import Blueprint, Flask

from inventory.extensions import db

bp = Blueprint("web", __name__)


def register(app: Flask) -> None:
    from inventory.web import (account, agreements, alerts, bookings, dispatch,  # noqa: F401
                               dispatch_views, distributions, events, home, items, labels, ledger,
                               norms, overview, partners, readiness, rollup, scan, stock,
                               transfer, trends, units, users)

    app.register_blueprint(bp)
    app.add_url_rule("/healthz", "health", health)


def health():
    """Liveness and database check, no auth (for load balancers and monitoring)."""
    try:
        db.session.execute(db.text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
