"""The stock list: model rows for pages, plain rows for the API, same filters and order."""
from datetime import date, timedelta

import pytest

from inventory.models import User
from inventory.services import stock
from tests.factories import receive


@pytest.fixture
def more_stock(session, world):
    food = world.items["food"]
    for code, depot, days in (("F-LATE", "DEP-D1", 600), ("F-SOON", "DEP-D1", 20),
                              ("F-S1", "DEP-S1", 90)):
        receive(session, food, world.depots[depot], 5, lot_code=code,
                expiry=date.today() + timedelta(days=days))
    receive(session, world.items["tent"], world.depots["DEP-S1"], 7, lot_code="T1",
            owner=world.units["D1"])  # district stock pre-positioned at a street depot
    return world


@pytest.mark.parametrize("username, filters", [
    ("admin", {}), ("keeper", {}), ("admin", {"expiring_within_days": 100}),
    ("admin", {"search": "F-"}), ("bureau", {"owner": "D1"}), ("admin", {"include_empty": True}),
])
def test_plain_rows_match_the_model_rows_in_order(session, more_stock, username, filters):
    user = session.get(User, more_stock.users[username].id)
    if "owner" in filters:
        filters = {**filters, "owner": more_stock.units[filters["owner"]]}
    wanted = stock.StockFilter(**filters)
    models = [(b.depot.code, b.lot.item.code, b.lot.lot_code, b.owner.code, b.lot.expiry_date,
               b.quantity, b.reserved, b.lot.batch_no, b.lot.item.name)
              for b in session.scalars(stock.stock_query(user, wanted, today=date.today()))]
    rows = [tuple(row) for row in session.execute(stock.stock_rows(user, wanted,
                                                                   today=date.today()))]
    assert rows == models and len(rows) >= 2
