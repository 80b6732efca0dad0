"""The alert list (filters, acknowledge, resolve) and the open-alert badge."""
from __future__ import annotations

from datetime import date

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.freshness import refresh_alerts
from inventory.i18n import translate
from inventory.models import utcnow
from inventory.schemas.alerts import AlertArgs, alert_text
from inventory.services import access, alerts, stock, units
from inventory.services.access import Permission
from inventory.services.errors import N_
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.forms import filter_args


def open_alert_count() -> int:
    """Open alerts in the signed-in user's area, counted once per request (nav badge)."""
    if not current_user.is_authenticated:
        return 0
    if "open_alerts" not in g:
        g.open_alerts = alerts.open_count(db.session, current_actor())
    return g.open_alerts


bp.add_app_template_global(alert_text)


@bp.get("/alerts")
@permission_required(Permission.VIEW)
def alert_list():
    user = current_actor()
    raw = {k: v for k, v in request.args.items() if v.strip() and k != "lang"}
    args, errors = filter_args(AlertArgs(), raw)
    paging = {"page": args.pop("page"), "per_page": args.pop("per_page")}
    unit = access.require_unit(user, units.get_unit(db.session, args["unit"])) \
        if args.get("unit") else None
    refresh_alerts()
    args.setdefault("state", "open")  # none given, or a bad one (reported in `errors`)
    stmt = alerts.alert_query(user, kind=args.get("kind"), severity=args.get("severity"),
                              state=args.get("state"), unit=unit)
    return render_template("alerts/list.html", page=paginate(db.session, stmt, **paging),
                           args=raw, state=args["state"], errors=errors,
                           last_run=alerts.last_run(db.session),
                           units=stock.unit_tree(db.session, user)), 422 if errors else 200


def _act(alert_id: int, action, done: str) -> object:
    alert = alerts.get_visible(db.session, current_actor(), alert_id)
    action(db.session, alert, user=current_actor(), now=utcnow())
    db.session.commit()
    flash(translate(done), "success")  # only once it has happened
    target = request.form.get("next") or ""
    safe = target.startswith("/") and not target.startswith("//")
    return redirect(target if safe else url_for("web.alert_list"))


@bp.post("/alerts/<int:alert_id>/acknowledge")
@permission_required(Permission.BOOK_STOCK)
def alert_acknowledge(alert_id: int):
    return _act(alert_id, alerts.acknowledge, N_("Alert acknowledged."))


@bp.post("/alerts/<int:alert_id>/resolve")
@permission_required(Permission.BOOK_STOCK)
def alert_resolve(alert_id: int):
    return _act(alert_id, alerts.resolve, N_("Alert resolved."))


@bp.post("/alerts/evaluate")
@permission_required(Permission.MANAGE_CATALOGUE)
def alert_evaluate():
    result = alerts.evaluate(db.session, today=date.today(), now=utcnow(), trigger="page",
                             season=current_app.config["SEASON"])
    db.session.commit()
    flash(translate(N_("Alerts checked: %(opened)s new, %(resolved)s resolved."),
                    opened=result.opened + result.reopened, resolved=result.resolved), "success")
    return redirect(url_for("web.alert_list"))
