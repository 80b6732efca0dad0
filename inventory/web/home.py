"""The home page: headline totals and stock by tier."""
from __future__ import annotations

from datetime import date

from flask import current_app, render_template

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.services import stock
from inventory.services.access import Permission
from inventory.web import bp


@bp.get("/")
@permission_required(Permission.VIEW)
def home():
    user = current_actor()
    today = date.today()
    by_tier = stock.pieces_by_tier(db.session, user)
    tiers = [(tier, by_tier.get(tier, 0)) for tier in current_app.config["TIERS"]]
    return render_template("home.html", headline=stock.headline(db.session, user, today=today),
                           tiers_totals=tiers, total=max(sum(by_tier.values()), 1))
