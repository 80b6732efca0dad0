"""The one-screen overview (一屏观全域) for leaders and a wall display; it refreshes itself."""
from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request

from inventory.auth import current_actor, permission_required
from inventory.charts import TreeNode, tree_chart
from inventory.extensions import db
from inventory.freshness import refresh_alerts
from inventory.i18n import translate
from inventory.models import AlertSeverity, utcnow
from inventory.schemas.common import query_args
from inventory.schemas.reports import OverviewArgs
from inventory.services import overview, readiness_load
from inventory.services.access import Permission
from inventory.services.errors import N_
from inventory.templating import number
from inventory.web import bp

REFRESH_SECONDS = 60
TONE = {AlertSeverity.CRITICAL: "bad", AlertSeverity.WARNING: "warn", AlertSeverity.INFO: "ok"}


@bp.get("/overview")
@permission_required(Permission.VIEW)
def overview_page():
    refresh_alerts()
    user = current_actor()
    values = query_args(request.args, OverviewArgs())
    unit = readiness_load.resolve_unit(db.session, user, values.get("unit"))
    wall = values.get("wall") == "1"
    view = overview.build(db.session, user, unit, today=date.today(), recent=5 if wall else 8,
                          top=4 if wall else 6, season=current_app.config["SEASON"])
    return render_template("overview.html", o=view, r=view.readiness.readiness,
                           tree=_tree(view), wall=wall,
                           refresh_seconds=REFRESH_SECONDS, generated_at=utcnow())


def _tree(view: overview.Overview):
    nodes = [TreeNode(key=str(s.unit.id), parent=str(s.unit.parent_id) if s.unit.parent_id else None,
                      title=s.unit.name,
                      caption=translate(N_("%(n)s pieces held"), n=number(s.pieces_held)),
                      tone=TONE.get(s.worst_alert, "ok") if s.pieces_held or s.worst_alert
                      else "none")
             for s in view.units]
    return tree_chart(nodes, title=translate(N_("Stock by tier")))
