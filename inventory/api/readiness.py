"""Readiness against the target (GET /readiness)."""
from __future__ import annotations

from datetime import date

from flask import current_app

from inventory.api import bp
from inventory.api.common import args
from inventory.api.spec import documented
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.schemas.readiness import ReadinessArgs, ReadinessOut, dump_report
from inventory.services import readiness_load
from inventory.services.access import Permission
from inventory.services.readiness_load import resolve_unit


@bp.get("/readiness")
@documented("People the reserve can relieve at a horizon, per item and limiting item",
            "readiness", query=ReadinessArgs, response=ReadinessOut)
@permission_required(Permission.VIEW)
def readiness_get():
    values = args(ReadinessArgs())
    unit = resolve_unit(db.session, current_actor(), values.get("unit"))
    report = readiness_load.load(db.session, unit, on=values.get("on") or date.today(),
                                 people=values.get("people"), hours=values.get("hours"),
                                 basis=values["basis"],
                                 season=values.get("season") or current_app.config["SEASON"])
    return dump_report(report)
