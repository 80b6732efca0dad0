"""Keeper pages in markup: what amber says is written too, and a field's error is tied to its
field for screen readers."""
import re
from datetime import date, timedelta

from inventory.extensions import db
from tests import factories
from tests.conftest import login
from tests.web.test_lot_page_refusals import book


def test_the_stock_list_says_expires_soon_in_words(app, client, world):
    with app.app_context():
        factories.receive(db.session, db.session.merge(world.items["quilt"]),
                          db.session.merge(world.depots["DEP-S1"]), 4, lot_code="SOON",
                          expiry=date.today() + timedelta(days=30))
        db.session.commit()
    login(client, "keeper")
    page = client.get("/stock").get_data(as_text=True)
    cell = re.search(r'<td class="expiring">(.*?)</td>', page, re.S)
    assert cell and '<span class="tag tag-expiring">即将到期</span>' in cell.group(1)
    page = client.get("/stock?lang=en").get_data(as_text=True)
    assert "Expires soon" in page


def test_the_lot_pages_quantity_error_is_tied_to_its_field(client, world):
    login(client, "keeper")
    page = book(client, kind="issue", quantity="abc").get_data(as_text=True)
    field = re.search(r'<input id="f-quantity"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="quantity-error"' in field
    assert 'id="quantity-error"' in page
