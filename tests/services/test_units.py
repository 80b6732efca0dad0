"""Tier rules and the materialised path of the unit tree."""
import pytest

from inventory.models import utcnow
from inventory.services import units
from inventory.services.errors import InvalidInput
from tests.factories import TIERS, make_unit


def test_a_unit_must_sit_below_its_parents_tier(session, world):
    with pytest.raises(InvalidInput) as raised:
        make_unit(session, "X1", "district", world.units["D1"])
    assert "tier" in raised.value.errors


def test_an_unknown_tier_is_refused(session, world):
    with pytest.raises(InvalidInput) as raised:
        make_unit(session, "X2", "galaxy", world.units["D1"])
    assert "tier" in raised.value.errors


def test_a_unit_may_skip_a_tier(session, world):
    unit = make_unit(session, "X3", "community", world.units["D1"])
    assert unit.path == world.units["D1"].path + f"{unit.id}/"


def test_codes_are_unique(session, world):
    with pytest.raises(InvalidInput) as raised:
        make_unit(session, "D1", "street", world.units["D1"])
    assert "code" in raised.value.errors


def test_tiers_are_configuration(session):
    tiers = ["county", "township", "village", "society", "household"]
    county = units.create_unit(session, code="YY", name="酉阳县", tier="county", parent=None,
                               tiers=tiers, now=utcnow())
    township = units.create_unit(session, code="YY1", name="镇", tier="township", parent=county,
                                 tiers=tiers, now=county.created_at)
    assert township.parent is county
    with pytest.raises(InvalidInput):
        units.create_unit(session, code="YY2", name="x", tier="street", parent=county, tiers=tiers,
                          now=county.created_at)


def test_moving_a_unit_moves_its_subtree(session, world):
    s1 = session.get(type(world.units["S1"]), world.units["S1"].id)
    d2 = session.get(type(world.units["D2"]), world.units["D2"].id)
    units.update_unit(session, s1, tiers=TIERS, parent=d2)
    child = session.get(type(world.units["S1C1"]), world.units["S1C1"].id)
    session.refresh(child)
    assert s1.path.startswith(d2.path)
    assert child.path == s1.path + f"{child.id}/"
    assert set(units.subtree_ids(session, d2)) >= {s1.id, child.id}


def test_a_unit_cannot_move_under_its_own_child(session, world):
    d1 = session.get(type(world.units["D1"]), world.units["D1"].id)
    s1 = session.get(type(world.units["S1"]), world.units["S1"].id)
    with pytest.raises(InvalidInput):
        units.update_unit(session, d1, tiers=TIERS, parent=s1)


def test_raising_a_units_tier_above_its_children_is_refused(session, world):
    s1 = session.get(type(world.units["S1"]), world.units["S1"].id)
    with pytest.raises(InvalidInput):
        units.update_unit(session, s1, tiers=TIERS, tier="community")
