"""The booking read gets what a depot holds of an item as a JSON column of the row that
reads the depot and the lot (one statement fewer per scan): it must equal `holdings.held`,
on SQLite and on PostgreSQL, whatever else the depot holds."""
from datetime import date, timedelta

from inventory.services import bookings, holdings
from tests import factories


def booking_read(session, user, depot_code: str, lot_code: str) -> list[holdings.Held]:
    _depot, _lot, here = bookings._depot_and_lot(
        session, user, {"depot_code": depot_code, "lot_code": lot_code}, lot_required=True)
    return sorted(here, key=repr)


def test_the_booking_read_holds_what_held_reads(session, world):
    food, depot = world.items["food"], world.depots["DEP-S1"]
    soon = date.today() + timedelta(days=20)
    factories.receive(session, food, depot, 7, lot_code="F-SOON", expiry=soon)
    factories.receive(session, food, depot, 5, lot_code="F-LATE",
                      expiry=soon + timedelta(days=400), owner=world.units["D1"])
    factories.receive(session, food, world.depots["DEP-S2"], 9, lot_code="F-ELSEWHERE")
    gone = factories.receive(session, food, depot, 1, lot_code="F-GONE")
    factories.receive(session, world.items["torch"], depot, 3, lot_code="TORCH-HERE")
    session.execute(holdings._BALANCE.update().where(holdings._BALANCE.c.lot_id == gone.id)
                    .values(quantity=0))
    expected = sorted(holdings.held(session, depot_id=depot.id, item_id=food.id), key=repr)
    assert {row.lot_code for row in expected} == {"F-SOON", "F-LATE"}
    assert booking_read(session, world.users["admin"], "DEP-S1", "F-LATE") == expected
    assert next(r for r in expected if r.lot_code == "F-SOON").expiry_date == soon
    assert [r.lot_code for r in booking_read(session, world.users["admin"], "DEP-S1", "Q1")] == [
        "Q1"]  # quilts: the food and the torch held here are not its item


def test_nothing_else_held_is_just_the_lot_or_nothing(session, world):
    assert booking_read(session, world.users["admin"], "DEP-D2", "T2")[0].lot_code == "T2"
    assert booking_read(session, world.users["admin"], "DEP-S2", "T2") == []
