"""When each pile of a depot was last counted (shown on the count sheet): the newest stocktake
that no reversal undid, per lot and owner, in that depot only."""
from datetime import timedelta

from inventory.models import Depot, Lot, Unit, utcnow
from inventory.services import ledger, movements
from tests.factories import actor


def test_the_newest_count_of_each_pile_that_was_not_undone(session, world):
    lot = session.get(Lot, world.lots["T1"].id)
    d1, s1 = (session.get(Depot, world.depots[code].id) for code in ("DEP-D1", "DEP-S1"))
    owner = session.get(Unit, world.units["D1"].id)
    assert ledger.last_counted(session, d1, [lot.id]) == {}
    first, later = utcnow() - timedelta(days=40), utcnow() - timedelta(days=3)
    movements.count(session, actor(), lot=lot, depot=d1, owner=owner, counted=100, now=first)
    assert ledger.last_counted(session, d1, [lot.id]) == {(lot.id, owner.id): first}  # no change
    wrong = movements.count(session, actor(), lot=lot, depot=d1, owner=owner, counted=90, now=later)
    assert ledger.last_counted(session, d1, [lot.id]) == {(lot.id, owner.id): later}
    movements.reverse(session, actor(), movement=wrong, now=utcnow())  # the count is undone
    assert ledger.last_counted(session, d1, [lot.id]) == {(lot.id, owner.id): first}
    movements.count(session, actor(), lot=lot, depot=s1, owner=owner, counted=2, now=utcnow())
    assert ledger.last_counted(session, d1, [lot.id]) == {(lot.id, owner.id): first}  # not S1's
    assert ledger.last_counted(session, d1, []) == {}
