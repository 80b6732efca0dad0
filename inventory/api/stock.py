"""Stock on hand: balances per lot, depot and owner."""
from __future__ import annotations

from datetime import date

from inventory.api import bp
from inventory.api.common import args, dump_page, paging
from inventory.api.spec import documented
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.schemas.common import page_schema
from inventory.schemas.stock import StockArgs, StockRowOut
from inventory.services import stock
from inventory.services.access import Permission
from inventory.services.pagination import paginate


@bp.get("/stock")
@documented("Stock on hand you may see, filtered", "stock", query=StockArgs,
            response=page_schema(StockRowOut))
@permission_required(Permission.VIEW)
def stock_list():
    user = current_actor()
    values = args(StockArgs())
    page_args = paging(values)
    filters = stock.resolve_filters(db.session, user, values)
    stmt = stock.stock_rows(user, filters, today=date.today())
    return dump_page(paginate(db.session, stmt, scalars=False, **page_args), StockRowOut())
