"""The readiness loader: what counts as usable stock, owner vs location, agreements."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inventory.models import (Agreement, AgreementCheck, AgreementCheckLine, AgreementLine,
                              AgreementMode, Balance, Item, Lot, LotStatus, Partner, utcnow)
from inventory.services import movements, readiness_load
from inventory.services.errors import Forbidden, InvalidInput
from tests import factories

ON = date.today()


def line(report, code):
    return next(item for item in report.readiness.items if item.item_code == code)


def test_expired_lot_excluded_and_lot_expiring_the_day_after_included(session, world):
    food, depot = world.items["food"], world.depots["DEP-D1"]
    factories.receive(session, food, depot, 30, lot_code="F-OLD", expiry=ON - timedelta(days=1))
    factories.receive(session, food, depot, 12, lot_code="F-NEW", expiry=ON + timedelta(days=1))
    report = readiness_load.load(session, world.units["D1"], on=ON, people=100, hours=8)
    food_line = line(report, "1040101")
    assert (food_line.on_hand, food_line.physical) == (42, 12)
    assert food_line.people_covered == 4  # 12 rations at 3 per person


def test_lot_expiring_on_the_day_counts_but_not_when_the_horizon_runs_past_it(session, world):
    factories.receive(session, world.items["food"], world.depots["DEP-D1"], 9, lot_code="F-TODAY",
                      expiry=ON)
    d1 = world.units["D1"]
    assert line(readiness_load.load(session, d1, on=ON, hours=8), "1040101").physical == 9
    assert line(readiness_load.load(session, d1, on=ON, hours=24), "1040101").physical == 0


def test_reserved_and_quarantined_stock_are_not_usable(session, world):
    session.execute(sa.update(Balance).where(Balance.lot_id == world.lots["T1"].id)
                    .values(reserved=40))
    report = readiness_load.load(session, world.units["D1"], on=ON, people=100)
    assert (line(report, "1010101").on_hand, line(report, "1010101").physical) == (100, 60)
    session.get(Lot, world.lots["T1"].id).status = LotStatus.QUARANTINED
    session.flush()
    report = readiness_load.load(session, world.units["D1"], on=ON, people=100)
    assert line(report, "1010101").physical == 0


def test_owner_and_location_basis_with_pre_positioned_stock(session, world):
    # District One pre-positions 40 tents at Street One's depot; the district still owns them.
    movements.transfer(session, factories.actor(), lot=world.lots["T1"],
                       depot=world.depots["DEP-D1"], owner=world.units["D1"],
                       to_depot=world.depots["DEP-S1"], quantity=40, now=utcnow())
    s1 = world.units["S1"]
    by_owner = readiness_load.load(session, s1, on=ON, people=100, basis="owner")
    by_location = readiness_load.load(session, s1, on=ON, people=100, basis="location")
    assert line(by_owner, "1010101").physical == 0
    assert line(by_location, "1010101").physical == 40
    assert line(by_owner, "1020101").physical == line(by_location, "1020101").physical == 50
    d1 = readiness_load.load(session, world.units["D1"], on=ON, people=100, basis="owner")
    assert line(d1, "1010101").physical == 100
    assert readiness_load.preposition(session, world.units["D1"]) == (40, 100)


def test_item_with_no_stock_is_listed_and_limits(session, world):
    report = readiness_load.load(session, world.units["D1"], on=ON)
    food_line = line(report, "1040101")
    assert (food_line.physical, food_line.required, food_line.people_covered) == (0, 45000, 0)
    assert report.readiness.people_coverable == 0
    assert report.readiness.limiting_item_code == "1040101"
    assert report.readiness.target_people == 15000 and report.readiness.horizon_hours == 8


def test_readiness_figure_for_the_subtree(session, world):
    food = world.items["food"]
    factories.receive(session, food, world.depots["DEP-S2"], 300, lot_code="F1")
    report = readiness_load.load(session, world.units["D1"], on=ON, people=1000)
    # tents 100 / 0.25 = 400, quilts 50 / 1 = 50, food 300 / 3 = 100: quilts limit
    assert report.readiness.people_coverable == 50
    assert report.readiness.limiting_item_code == "1020101"
    assert report.readiness.resident_population == 100_000
    assert report.readiness.resident_coverage_ratio == pytest.approx(50 / 100_000)


def _agreement(session, world, *, mode, lead, quantity=400, valid_to=None, item="quilt"):
    partner = session.scalar(sa.select(Partner).where(Partner.code == "P1")) or Partner(
        code="P1", name="Partner", created_at=utcnow())
    agreement = Agreement(code=f"A-{mode}-{lead}", partner=partner, owner=world.units["D1"],
                          mode=mode, valid_from=ON - timedelta(days=30),
                          valid_to=valid_to or ON + timedelta(days=300), lead_time_hours=lead,
                          created_at=utcnow(),
                          lines=[AgreementLine(item=world.items[item], quantity=quantity)])
    session.add(agreement)
    session.flush()
    return agreement


def test_agreements_count_by_lead_time_validity_and_last_check(session, world):
    _agreement(session, world, mode=AgreementMode.SUPPLY, lead=8, quantity=100)
    _agreement(session, world, mode=AgreementMode.SUPPLY, lead=9, quantity=1000)
    _agreement(session, world, mode=AgreementMode.SUPPLY, lead=2, quantity=1000,
               valid_to=ON - timedelta(days=1))
    stock = _agreement(session, world, mode=AgreementMode.STOCK, lead=4, quantity=500)
    for days_ago, found in ((20, 300), (5, 200)):
        session.add(AgreementCheck(agreement=stock, checked_on=ON - timedelta(days=days_ago),
                                   created_at=utcnow(), lines=[AgreementCheckLine(
                                       line=stock.lines[0], quantity_found=found)]))
    session.flush()
    report = readiness_load.load(session, world.units["D1"], on=ON, people=1000, hours=8)
    quilt = line(report, "1020101")
    assert (quilt.physical, quilt.agreement, quilt.usable) == (50, 300, 350)
    assert report.agreement_by_mode == {"supply": {"1020101": 100}, "stock": {"1020101": 200}}
    assert report.readiness.people_coverable_with_agreements == 0  # food has nothing
    later = readiness_load.load(session, world.units["D1"], on=ON, people=1000, hours=9)
    assert line(later, "1020101").agreement == 1300
    # the other district's view holds none of District One's agreements
    d2 = readiness_load.load(session, world.units["D2"], on=ON, people=1000)
    assert line(d2, "1020101").agreement == 0


def test_drill_down_by_tier_and_depot(session, world):
    report = readiness_load.load(session, world.units["C1"], on=ON, people=100, basis="location")
    drill = readiness_load.drill_downs(session, report)
    tiers = drill["tier"]
    assert set(tiers) == {"district", "street"}
    district_tents = line_of(tiers["district"], "1010101")
    assert district_tents.physical == 130
    depots = drill["depot"]
    assert line_of(depots[world.depots["DEP-S1"].id], "1020101").physical == 50


def line_of(result, code):
    return next(item for item in result.items if item.item_code == code)


def test_resolve_unit_defaults_and_scope(session, world):
    users = world.users
    assert readiness_load.resolve_unit(session, users["bureau"], None).code == "D1"
    assert readiness_load.resolve_unit(session, users["admin"], None).code == "C1"
    with pytest.raises(Forbidden):
        readiness_load.resolve_unit(session, users["bureau"], "D2")
    with pytest.raises(InvalidInput):
        readiness_load.scope_condition(world.units["D1"], "nowhere")


def test_cold_season_uses_the_cold_norm(session, world):
    torch = session.get(Item, world.items["torch"].id)
    torch.per_person_cold = torch.per_person * 2
    session.flush()
    warm = readiness_load.load(session, world.units["D1"], on=ON, people=300, season="warm")
    cold = readiness_load.load(session, world.units["D1"], on=ON, people=300, season="cold")
    assert (line(warm, "1060101").required, line(cold, "1060101").required) == (100, 200)
    # without a season the date decides (auto): January cold, July warm
    january = readiness_load.load(session, world.units["D1"], on=date(2026, 1, 5), people=300)
    july = readiness_load.load(session, world.units["D1"], on=date(2026, 7, 5), people=300)
    assert (january.season, line(january, "1060101").required) == ("cold", 200)
    assert (july.season, line(july, "1060101").required) == ("warm", 100)
