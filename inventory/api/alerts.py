"""Alerts: the list (refreshed when stale), acknowledge and resolve."""
from __future__ import annotations

from inventory.api import bp
from inventory.api.common import args, dump_page, paging
from inventory.api.spec import documented
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.freshness import refresh_alerts
from inventory.models import Alert, utcnow
from inventory.schemas.alerts import AlertArgs, AlertOut
from inventory.schemas.common import page_schema
from inventory.services import access, alerts, units
from inventory.services.access import Permission
from inventory.services.pagination import paginate


@bp.get("/alerts")
@documented("Alerts in your area, most severe first", "alerts", query=AlertArgs,
            response=page_schema(AlertOut))
@permission_required(Permission.VIEW)
def alerts_list():
    values = args(AlertArgs())
    page_args = paging(values)
    user = current_actor()
    unit = access.require_unit(user, units.get_unit(db.session, values["unit"])) \
        if values.get("unit") else None
    refresh_alerts()
    stmt = alerts.alert_query(user, kind=values.get("kind"), severity=values.get("severity"),
                              state=values.get("state"), unit=unit)
    return dump_page(paginate(db.session, stmt, **page_args), AlertOut())


def visible_alert(alert_id: int) -> Alert:
    return alerts.get_visible(db.session, current_actor(), alert_id)


@bp.post("/alerts/<int:alert_id>/acknowledge")
@documented("Acknowledge an open alert", "alerts", response=AlertOut)
@permission_required(Permission.BOOK_STOCK)
def alerts_acknowledge(alert_id: int):
    alert = alerts.acknowledge(db.session, visible_alert(alert_id), user=current_actor(),
                               now=utcnow())
    db.session.commit()
    return AlertOut().dump(alert)


@bp.post("/alerts/<int:alert_id>/resolve")
@documented("Resolve an alert by hand (re-opened if the condition persists)", "alerts",
            response=AlertOut)
@permission_required(Permission.BOOK_STOCK)
def alerts_resolve(alert_id: int):
    alert = alerts.resolve(db.session, visible_alert(alert_id), user=current_actor(), now=utcnow())
    db.session.commit()
    return AlertOut().dump(alert)
