"""Keep stored alerts fresh for the pages and the API that read them.

Bookings never evaluate alerts (the scan path must stay fast). Before alerts are read,
`refresh_alerts` re-evaluates them when the ledger has moved since the last evaluation
(throttled by INVENTORY_ALERT_REFRESH_SECONDS), and commits that on its own.
"""
from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from sqlalchemy.exc import IntegrityError, OperationalError

from inventory.extensions import db
from inventory.models import utcnow
from inventory.services import alerts

log = logging.getLogger(__name__)


def refresh_alerts() -> bool:
    """Re-evaluate stale alerts; a concurrent evaluation elsewhere wins (we just read)."""
    interval = float(current_app.config["ALERT_REFRESH_SECONDS"])
    try:
        refreshed = alerts.refresh_if_stale(db.session, today=date.today(), now=utcnow(),
                                            min_interval_seconds=interval,
                                            season=current_app.config["SEASON"])
        if refreshed:
            db.session.commit()
        return refreshed
    except (IntegrityError, OperationalError) as error:
        db.session.rollback()
        log.info("alert refresh skipped: %s", error.orig)
        return False
    except Exception:  # noqa: BLE001 - a broken rule must not take the pages down with it
        db.session.rollback()
        log.exception("alert refresh failed; showing the stored alerts")
        return False
