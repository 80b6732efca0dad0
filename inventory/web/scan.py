"""The scan page: keepers book stock by scanning labels (camera or handheld scanner)."""
from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template, request

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


@bp.get("/sw.js")
def service_worker():
    """The scan page's service worker (static/js/sw.js), served from the app's root so that
    its scope may be the scan page; always revalidated, so a new version is picked up at once."""
    script = Path(current_app.static_folder, "js", "sw.js").read_bytes()  # no file left open
    response = current_app.response_class(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)
