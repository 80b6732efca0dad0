"""The ledger page (台账): every movement the user may see, filtered, a page at a time."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template, request
from sqlalchemy.orm import selectinload

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import Lot, Movement, User
from inventory.schemas.movements import LedgerPageArgs
from inventory.services import catalog, ledger, stock
from inventory.services.access import Permission
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.forms import filter_args
from inventory.web.users import local_day_start


@bp.get("/movements")
@permission_required(Permission.VIEW)
def ledger_page():
    """Filters that are invalid or name nothing are reported (422) and left out; the
    others still apply, and every value typed stays in the form."""
    user = current_actor()
    raw = {k: v.strip() for k, v in request.args.items() if v.strip()}
    args, errors = filter_args(LedgerPageArgs(), raw)
    paging = {"page": args.pop("page"), "per_page": args.pop("per_page")}
    page = paginate(db.session, _query(user, _whole_days(args), errors), **paging)
    return render_template(
        "stock/ledger.html", page=page, args=raw, errors=errors,
        reversed_ids=ledger.reversed_among(db.session, page.items),
        depots=stock.visible_depots(db.session, user),
        items=catalog.active_items(db.session)), 422 if errors else 200


def _whole_days(args: dict) -> dict:
    """since/until as days in the app's time zone → UTC bounds, the last day included."""
    zone = current_app.config["TIMEZONE"]
    for key, days in (("since", 0), ("until", 1)):
        if args.get(key):
            args[key] = local_day_start(args[key] + timedelta(days=days), zone)
    return args


# What each row shows, loaded with the page in a few statements, not row by row.
_SHOWN = (selectinload(Movement.lot).selectinload(Lot.item), selectinload(Movement.from_depot),
          selectinload(Movement.to_depot), selectinload(Movement.from_owner),
          selectinload(Movement.to_owner), selectinload(Movement.actor))


def _query(user: User, args: dict, errors: dict) -> sa.Select:
    """The ledger query; a filter naming an unknown depot, item or user becomes an error
    of that field and is left out."""
    while True:
        try:
            return ledger.ledger_query(db.session, user, args).options(*_SHOWN)
        except ledger.UnknownFilter as error:
            errors[error.field] = [translate(error.message, **error.params)]
            args.pop(error.field)
