"""The stock list (search, filters, pages) and the lot page with its ledger history."""
from __future__ import annotations

from datetime import date

from flask import render_template, request
from marshmallow import ValidationError

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate_tree
from inventory.schemas.stock import StockArgs
from inventory.services import bookings, catalog, stock
from inventory.services.access import Permission
from inventory.services.errors import N_, NotFound
from inventory.services.movements import get_lot
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.forms import new_request_id, page_args


@bp.get("/stock")
@permission_required(Permission.VIEW)
def stock_list():
    user = current_actor()
    raw = {k: v for k, v in request.args.items() if v.strip()}
    try:
        args = StockArgs().load(raw)
    except ValidationError as error:
        args, errors = StockArgs().load({}), translate_tree(error.messages)
    else:
        errors = {}
    paging = {"page": args.pop("page"), "per_page": args.pop("per_page")}
    filters = stock.resolve_filters(db.session, user, args)
    page = paginate(db.session, stock.stock_query(user, filters, today=date.today()), **paging)
    return render_template("stock/list.html", page=page, args=raw, errors=errors,
                           units=stock.unit_tree(db.session, user), today=date.today(),
                           depots=stock.visible_depots(db.session, user),
                           items=catalog.active_items(db.session)), 422 if errors else 200


def lot_context(lot_code: str) -> dict:
    """What the lot page shows: the lot, where it is, its ledger, and booking choices."""
    user = current_actor()
    lot = get_lot(db.session, lot_code)
    balances = list(db.session.scalars(stock.stock_query(
        user, stock.StockFilter(lot=lot, include_empty=True), today=date.today()))) if lot else []
    if lot is None or (not balances and user.unit_id is not None):
        raise NotFound(N_("Lot %(code)s not found."), code=lot_code)
    history = paginate(db.session, stock.lot_history(db.session, user, lot), **page_args())
    return {"lot": lot, "balances": balances, "today": date.today(), "history": history,
            "fefo_hints": _fefo_hints(lot, balances),
            "reversed_ids": stock.reversed_ids(db.session, lot),
            "depots": stock.visible_depots(db.session, user),
            "all_depots": stock.all_depots(db.session)}


def _fefo_hints(lot, balances) -> list[tuple]:
    """(depot, hint) where an earlier-expiring lot of the same item sits beside this one:
    shown before booking, not only in the answer to an issue."""
    depots = {b.depot.id: b.depot for b in balances if b.quantity > 0}
    hints = [(depot, bookings.fefo_hint(db.session, lot, depot, date.today()))
             for depot in depots.values()]
    return [(depot, hint) for depot, hint in hints if hint]


@bp.get("/lots/<lot_code>")
@permission_required(Permission.VIEW)
def lot_detail(lot_code: str):
    return render_template("stock/lot.html", **lot_context(lot_code), form={}, errors={},
                           request_id=new_request_id())
