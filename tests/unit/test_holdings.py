"""Whose stock a booking draws on, and which lot goes out first: pure rules, no database."""
from datetime import date, timedelta

import pytest

from inventory.services.errors import InvalidInput
from inventory.services.holdings import Held, drawn_owner, earlier_lot

TODAY = date(2026, 6, 1)
DEPOT_UNIT, DISTRICT, CITY = 10, 20, 30


def held(lot_id=1, owner_id=DEPOT_UNIT, quantity=10, reserved=0, expiry_in=None):
    expiry = TODAY + timedelta(days=expiry_in) if expiry_in is not None else None
    return Held(lot_id, owner_id, quantity, reserved, f"LOT-{lot_id}", expiry)


def test_the_depots_own_unit_is_drawn_on_first():
    rows = [held(owner_id=DISTRICT, quantity=90), held(owner_id=DEPOT_UNIT, quantity=5)]
    assert drawn_owner(rows, lot_id=1, depot_unit_id=DEPOT_UNIT, quantity=5) == DEPOT_UNIT


def test_then_whoever_has_enough_available_most_first():
    rows = [held(owner_id=DEPOT_UNIT, quantity=5), held(owner_id=CITY, quantity=50, reserved=45),
            held(owner_id=DISTRICT, quantity=20)]
    assert drawn_owner(rows, lot_id=1, depot_unit_id=DEPOT_UNIT, quantity=8) == DISTRICT
    # nobody has enough: the first in that order, so the debit reports what is short
    assert drawn_owner(rows, lot_id=1, depot_unit_id=DEPOT_UNIT, quantity=99) == DEPOT_UNIT


def test_other_lots_and_absent_lots_draw_on_no_one():
    rows = [held(lot_id=2, owner_id=DISTRICT)]
    assert drawn_owner(rows, lot_id=1, depot_unit_id=DEPOT_UNIT, quantity=1) is None


def test_a_count_needs_a_single_owner():
    assert drawn_owner([held(owner_id=CITY)], lot_id=1, depot_unit_id=DEPOT_UNIT,
                       quantity=None) == CITY
    with pytest.raises(InvalidInput) as raised:
        drawn_owner([held(owner_id=CITY), held(owner_id=DISTRICT)], lot_id=1,
                    depot_unit_id=DEPOT_UNIT, quantity=None)
    assert "owner_code" in raised.value.errors


def test_the_soonest_earlier_unexpired_available_lot_goes_first():
    rows = [held(lot_id=1, expiry_in=300), held(lot_id=2, expiry_in=90),
            held(lot_id=3, expiry_in=30), held(lot_id=4, expiry_in=10, reserved=10),
            held(lot_id=5, expiry_in=-1), held(lot_id=6, expiry_in=None)]
    assert earlier_lot(rows, lot_id=1, expiry_date=TODAY + timedelta(days=300),
                       today=TODAY).lot_id == 3
    assert earlier_lot(rows, lot_id=3, expiry_date=TODAY + timedelta(days=30),
                       today=TODAY) is None


def test_a_lot_without_expiry_yields_to_any_expiring_lot():
    rows = [held(lot_id=6, expiry_in=None), held(lot_id=2, expiry_in=90),
            held(lot_id=7, expiry_in=0)]
    assert earlier_lot(rows, lot_id=6, expiry_date=None, today=TODAY).lot_id == 7
