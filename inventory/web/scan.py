"""The scan page: keepers book stock by scanning labels (camera or handheld scanner)."""
from __future__ import annotations

from flask import render_template

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.services import stock
from inventory.services.access import Permission
from inventory.web import bp


@bp.get("/scan")
@permission_required(Permission.BOOK_STOCK)
def scan():
    user = current_actor()
    return render_template("scan.html", depots=stock.visible_depots(db.session, user),
                           all_depots=stock.all_depots(db.session))
