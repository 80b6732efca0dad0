"""Many units (or dates) from one pass over the balances give exactly what `load` gives."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inventory.models import (Agreement, AgreementCheck, AgreementCheckLine, AgreementLine,
                              AgreementMode, Balance, Item, Lot, LotStatus, Partner, Unit, utcnow)
from inventory.services import movements, readiness_load, readiness_many
from inventory.services.errors import InvalidInput
from tests import factories

ON = date(2027, 1, 10)  # a cold-season date: the stove counts


@pytest.fixture
def busy(session, world):
    """The world plus what makes readiness interesting: expiring, expired, quarantined and
    reserved lots, pre-positioned stock, agreements of every mode, a seasonal item."""
    w, items, depots, units = world, world.items, world.depots, world.units
    stove = factories.make_item(session, "1010201", name="取暖炉", name_en="Stove",
                                category="shelter", per_person=0, per_person_cold=0.01)
    factories.receive(session, stove, depots["DEP-S1"], 5, lot_code="ST1")
    food = items["food"]
    for code, depot, quantity, days in (("F-OLD", "DEP-D1", 300, -1), ("F-DAY", "DEP-S1", 90, 0),
                                        ("F-NEXT", "DEP-S2", 60, 1), ("F-LATER", "DEP-C1", 900, 40),
                                        ("F-D2", "DEP-D2", 120, 200)):
        factories.receive(session, food, depots[depot], quantity, lot_code=code,
                          expiry=ON + timedelta(days=days))
    factories.receive(session, items["torch"], depots["DEP-S1"], 700, lot_code="TO1",
                      owner=units["C1"])
    for item, depot, quantity in (("tent", "DEP-S1", 20), ("quilt", "DEP-S2", 30),
                                  ("quilt", "DEP-D2", 12), ("tent", "DEP-S2", 9)):
        factories.receive(session, items[item], depots[depot], quantity)
    session.execute(sa.update(Balance).where(Balance.lot_id == w.lots["Q1"].id)
                    .values(reserved=7))
    quarantined = factories.receive(session, items["quilt"], depots["DEP-D2"], 33, lot_code="QQ")
    session.get(Lot, quarantined.id).status = LotStatus.QUARANTINED
    movements.transfer(session, factories.actor(), lot=w.lots["T1"], depot=depots["DEP-D1"],
                       owner=units["D1"], to_depot=depots["DEP-S2"], quantity=40, now=utcnow())
    partner = Partner(code="P1", name="Partner", created_at=utcnow())
    for code, mode, owner, lead, quantity, valid_to in (
            ("A1", AgreementMode.STOCK, "D1", 4, 500, 300), ("A2", AgreementMode.SUPPLY, "S1", 8, 80, 30),
            ("A3", AgreementMode.CAPACITY, "C1", 6, 240, 90), ("A4", AgreementMode.SUPPLY, "D2", 2, 50, -1)):
        agreement = Agreement(
            code=code, partner=partner, owner=units[owner], mode=mode, lead_time_hours=lead,
            valid_from=ON - timedelta(days=60), valid_to=ON + timedelta(days=valid_to),
            created_at=utcnow(), lines=[AgreementLine(item=items["quilt"], quantity=quantity)])
        session.add(agreement)
        if mode is AgreementMode.STOCK:
            session.add(AgreementCheck(agreement=agreement, checked_on=ON - timedelta(days=3),
                                       created_at=utcnow(), lines=[AgreementCheckLine(
                                           line=agreement.lines[0], quantity_found=321)]))
    units["S1"].horizon_hours = 24  # its own horizon runs past F-DAY's expiry
    units["S2"].target_people = 700
    session.flush()
    return w


def same(many, one):
    assert many.readiness == one.readiness
    assert many.agreement_by_mode == one.agreement_by_mode
    assert (many.season, many.basis, many.on, many.unit) == (one.season, one.basis, one.on,
                                                             one.unit)


@pytest.mark.parametrize("basis", ["owner", "location"])
def test_load_many_gives_every_unit_what_load_gives(session, busy, basis):
    units = list(session.scalars(sa.select(Unit).order_by(Unit.path)))
    for on in (ON, ON + timedelta(days=1), ON + timedelta(days=100)):
        reports = readiness_many.load_many(session, units, on=on, basis=basis)
        assert set(reports) == {unit.id for unit in units}
        assert len({r.readiness.people_coverable for r in reports.values()}) > 2  # varied
        for unit in units:
            same(reports[unit.id], readiness_load.load(session, unit, on=on, basis=basis))
    assert reports[busy.units["C1"].id].season == "warm"  # 100 days later: April
    hours = readiness_many.load_many(session, units, on=ON, basis=basis, hours=30,
                                     season="warm")
    for unit in units:
        same(hours[unit.id], readiness_load.load(session, unit, on=ON, basis=basis, hours=30,
                                                 season="warm"))


@pytest.mark.parametrize("basis", ["owner", "location"])
def test_stock_summed_once_answers_the_subtree_at_every_date(session, busy, basis):
    for root_code in ("C1", "D1"):
        root = session.scalar(sa.select(Unit).where(Unit.code == root_code))
        stock = readiness_many.subtree_stock(session, root, basis)
        inside = [u for u in session.scalars(sa.select(Unit)) if u.path.startswith(root.path)]
        for unit in inside:
            for on, hours in ((ON, 8), (ON, 48), (ON + timedelta(days=45), 8)):
                options = {"on": on, "hours": hours, "basis": basis, "people": 1234}
                same(readiness_load.load(session, unit, stock=stock, **options),
                     readiness_load.load(session, unit, **options))


def test_stock_of_another_basis_or_an_unknown_basis_is_refused(session, busy):
    stock = readiness_many.subtree_stock(session, None, "owner")
    with pytest.raises(ValueError):
        readiness_load.load(session, busy.units["D1"], on=ON, basis="location", stock=stock)
    with pytest.raises(InvalidInput):
        readiness_many.subtree_stock(session, None, "nowhere")
    assert readiness_many.load_many(session, [], on=ON) == {}


def old_drill_down(session, report, group):
    """The drill-down as it was: one query per grouping, every norm item in each line."""
    from inventory.services import readiness
    from inventory.services.readiness import ItemFigures
    from inventory.services.readiness_load import (DepotUnit, horizon_end, scope_condition,
                                                   usable_quantity)
    from inventory.models import Depot

    r = report.readiness
    key = DepotUnit.tier if group == "tier" else Balance.depot_id
    stmt = (sa.select(key, Lot.item_id,
                      sa.func.sum(usable_quantity(horizon_end(report.on, r.horizon_hours))))
            .select_from(Balance).join(Lot, Lot.id == Balance.lot_id)
            .join(Depot, Depot.id == Balance.depot_id)
            .join(DepotUnit, DepotUnit.id == Depot.unit_id)
            .where(scope_condition(report.unit, report.basis)).group_by(key, Lot.item_id))
    by_id = {item.id: code for code, item in report.items.items()}
    grouped = {}
    for group_key, item_id, physical in session.execute(stmt):
        quantities = grouped.setdefault(group_key, {})
        if item_id in by_id:
            quantities[by_id[item_id]] = int(physical or 0)
    norms = {line.item_code: ItemFigures(item_code=line.item_code, per_person=line.per_person,
                                         critical=line.critical) for line in r.items}
    return readiness.group_readiness(grouped, norms, people=r.target_people,
                                     horizon_hours=r.horizon_hours)


@pytest.mark.parametrize("basis", ["owner", "location"])
@pytest.mark.parametrize("critical", [True, False])
def test_one_query_drill_down_shows_what_the_two_queries_showed(session, busy, basis, critical):
    if not critical:  # no critical item at all: every norm item limits
        session.execute(sa.update(Item).values(critical=False))
        session.expire_all()
    covered = set()
    for code in ("C1", "D1", "S1"):
        unit = session.scalar(sa.select(Unit).where(Unit.code == code))
        for on, people in ((ON, 100), (ON + timedelta(days=1), 2000)):
            report = readiness_load.load(session, unit, on=on, people=people, basis=basis)
            both = readiness_load.drill_downs(session, report)
            for group in ("tier", "depot"):
                old = old_drill_down(session, report, group)
                assert set(both[group]) == set(old), group
                assert {k: (v.people_coverable, v.limiting_item_code)
                        for k, v in both[group].items()} == {
                    k: (v.people_coverable, v.limiting_item_code) for k, v in old.items()}
            covered |= {v.people_coverable for v in both["depot"].values()}
    assert len(covered) > 1  # some depot could relieve somebody: the figures mean something
