"""A lot's label says who holds it, also when several units hold stock of the same lot
(pre-positioned reserve): both names when they fit, else the largest holder and how many."""
import re

from inventory.extensions import db
from inventory.services import units
from inventory.services.movements import get_lot
from tests import factories


def add_owner(app, lot_code: str, depot_code: str, owner_code: str, quantity: int) -> None:
    with app.app_context():
        lot = get_lot(db.session, lot_code)
        factories.receive(db.session, lot.item, units.get_depot(db.session, depot_code), quantity,
                          owner=units.get_unit(db.session, owner_code), lot_code=lot_code)
        db.session.commit()


def label_text(client, token_for, url: str) -> str:
    """The label's text lines joined by spaces (a long line wraps at a space)."""
    svg = client.get(url, headers=token_for("keeper")).get_data(as_text=True)
    return " ".join(re.findall(r"<text [^>]*>([^<]*)</text>", svg))


def test_one_owner_is_printed(client, world, token_for):
    assert label_text(client, token_for, "/labels/lot/Q1.svg").endswith(" Street One")


def test_two_owners_are_both_printed_largest_first(client, app, world, token_for):
    add_owner(app, "Q1", "DEP-S1", "S1C1", 80)
    assert label_text(client, token_for, "/labels/lot/Q1.svg").endswith(
        " Community One、Street One")


def test_many_owners_print_the_largest_and_how_many(client, app, world, token_for):
    add_owner(app, "Q1", "DEP-S1", "S1C1", 80)
    add_owner(app, "Q1", "DEP-S1", "S2", 10)
    assert label_text(client, token_for, "/labels/lot/Q1.svg").endswith(" Community One等3个单位")


def test_a_chosen_owner_is_printed_alone(client, app, world, token_for):
    add_owner(app, "Q1", "DEP-S1", "S1C1", 80)
    text = label_text(client, token_for, "/labels/lot/Q1.svg?owner=S1")
    assert text.endswith(" Street One") and "Community" not in text
