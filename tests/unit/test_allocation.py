"""The allocation proposal: nearest stock first, FEFO, ownership, reservations, shortfall,
agreement call-offs within and beyond the horizon."""
from datetime import date, timedelta
from decimal import Decimal

from inventory.services.allocation import (Candidate, Need, Offer, norm_quantity, propose,
                                           tree_distance)

TODAY = date(2026, 7, 1)
# city 1 > district 2 > street 3 > community 4 (the destination); sibling community 5;
# sibling street 6; other district 7.
CITY, DISTRICT, STREET, DEST = "/1/", "/1/2/", "/1/2/3/", "/1/2/3/4/"
SIBLING, OTHER_STREET, OTHER_DISTRICT = "/1/2/3/5/", "/1/2/6/", "/1/7/"
TENT = 10


def stock(depot_path, available, *, lot=None, expiry=None, owner_path=None, depot_id=None,
          owner_id=None, reserved=0):
    depot_id = depot_id or len(depot_path)
    return Candidate(item_id=TENT, depot_id=depot_id, depot_path=depot_path,
                     lot_id=hash((lot, depot_path)) % 10_000, expiry_date=expiry,
                     owner_id=owner_id or len(owner_path or depot_path),
                     owner_path=owner_path or depot_path, available=available - reserved,
                     depot_code=f"D{depot_path}", lot_code=lot or f"L{depot_path}",
                     owner_code=f"U{owner_path or depot_path}")


def drawn(proposal):
    return [(a.depot_code, a.lot_code, a.quantity) for a in proposal.allocations]


def test_tree_distance_counts_steps_up_then_down():
    assert tree_distance(DEST, DEST) == (0, 0)
    assert tree_distance(DEST, STREET) == (1, 0)
    assert tree_distance(DEST, SIBLING) == (1, 1)
    assert tree_distance(DEST, DISTRICT) == (2, 0)
    assert tree_distance(DEST, OTHER_STREET) == (2, 1)
    assert tree_distance(DEST, CITY) == (3, 0)
    assert tree_distance(DEST, OTHER_DISTRICT) == (3, 1)


def test_prefers_the_same_street_then_district_then_city():
    candidates = [stock(CITY, 100), stock(DISTRICT, 100), stock(STREET, 30),
                  stock(OTHER_STREET, 100, owner_path=DISTRICT)]
    proposal = propose([Need(TENT, 150)], candidates, [], destination_path=DEST, on=TODAY)
    assert drawn(proposal) == [(f"D{STREET}", f"L{STREET}", 30),
                               (f"D{DISTRICT}", f"L{DISTRICT}", 100),
                               (f"D{OTHER_STREET}", f"L{OTHER_STREET}", 20)]
    assert not proposal.unmet
    # the nearest depot is reached in fewer hours than the farthest one drawn
    hours = [a.hours for a in proposal.allocations]
    assert hours == sorted(hours) and proposal.estimated_hours == hours[-1]


def test_first_expired_first_out_and_expired_lots_skipped():
    candidates = [stock(STREET, 10, lot="LATE", expiry=TODAY + timedelta(days=300)),
                  stock(STREET, 10, lot="SOON", expiry=TODAY + timedelta(days=20)),
                  stock(STREET, 10, lot="GONE", expiry=TODAY - timedelta(days=1)),
                  stock(STREET, 10, lot="NOEXP"),
                  stock(STREET, 10, lot="TODAY", expiry=TODAY)]
    proposal = propose([Need(TENT, 35)], candidates, [], destination_path=DEST, on=TODAY)
    assert [lot for _, lot, _ in drawn(proposal)] == ["TODAY", "SOON", "LATE", "NOEXP"]
    assert drawn(proposal)[-1][2] == 5
    assert "GONE" not in {lot for _, lot, _ in drawn(proposal)}


def test_cross_unit_stock_is_flagged_and_drawn_after_own_stock_at_the_same_distance():
    # In the street's depot: the district's pre-positioned stock and a sibling community's.
    own = stock(STREET, 10, lot="OWN", owner_path=DISTRICT, owner_id=2)
    foreign = stock(STREET, 10, lot="FOREIGN", owner_path=SIBLING, owner_id=5,
                    expiry=TODAY + timedelta(days=5))
    proposal = propose([Need(TENT, 15)], [foreign, own], [], destination_path=DEST, on=TODAY)
    assert [(a.lot_code, a.quantity, a.needs_owner_approval) for a in proposal.allocations] == [
        ("OWN", 10, False), ("FOREIGN", 5, True)]


def test_stock_owned_outside_the_dispatchers_area_needs_approval():
    city_stock = stock(CITY, 10, owner_path=CITY)
    district_dispatcher = propose([Need(TENT, 5)], [city_stock], [], destination_path=DEST,
                                  on=TODAY, authority_path=DISTRICT)
    unscoped = propose([Need(TENT, 5)], [city_stock], [], destination_path=DEST, on=TODAY)
    assert district_dispatcher.allocations[0].needs_owner_approval is True
    assert unscoped.allocations[0].needs_owner_approval is False  # the city covers the destination


def test_only_unreserved_quantity_is_allocated():
    proposal = propose([Need(TENT, 50)], [stock(STREET, 40, reserved=35),
                                          stock(DISTRICT, 20, reserved=20)], [],
                       destination_path=DEST, on=TODAY)
    assert drawn(proposal) == [(f"D{STREET}", f"L{STREET}", 5)]
    assert proposal.unmet == {TENT: 45}


def test_partial_shortfall_is_reported_as_unmet():
    proposal = propose([Need(TENT, 70), Need(99, 4)], [stock(STREET, 30), stock(DISTRICT, 25)],
                       [], destination_path=DEST, on=TODAY)
    assert sum(a.quantity for a in proposal.allocations) == 55
    assert proposal.unmet == {TENT: 15, 99: 4}
    assert proposal.meets_target is False


def test_two_lines_of_one_item_never_draw_the_same_pieces_twice():
    proposal = propose([Need(TENT, 20), Need(TENT, 20)], [stock(STREET, 30)], [],
                       destination_path=DEST, on=TODAY)
    assert sum(a.quantity for a in proposal.allocations) == 30
    assert proposal.unmet == {TENT: 10}


def offer(lead, quantity=100, code="AG1", owner=DISTRICT, **kw):
    return Offer(agreement_id=hash(code) % 1000, item_id=TENT, quantity=quantity,
                 lead_time_hours=lead, owner_path=owner, agreement_code=code, **kw)


def test_agreement_call_off_within_the_horizon_covers_the_rest():
    proposal = propose([Need(TENT, 60)], [stock(STREET, 20)], [offer(6, 50)],
                       destination_path=DEST, on=TODAY, horizon_hours=8)
    assert [(c.agreement_code, c.quantity, c.lead_time_hours) for c in proposal.calloffs] == [
        ("AG1", 40, 6)]
    assert proposal.unmet == {}
    assert proposal.estimated_hours == 6
    assert proposal.meets_target


def test_agreement_beyond_the_horizon_is_not_called_off():
    proposal = propose([Need(TENT, 60)], [stock(STREET, 20)], [offer(24, 50)],
                       destination_path=DEST, on=TODAY, horizon_hours=8)
    assert proposal.calloffs == []
    assert proposal.unmet == {TENT: 40}
    assert [(c.agreement_code, c.quantity) for c in proposal.too_slow] == [("AG1", 40)]
    longer = propose([Need(TENT, 60)], [stock(STREET, 20)], [offer(24, 50)],
                     destination_path=DEST, on=TODAY, horizon_hours=48)
    assert longer.calloffs[0].quantity == 40 and longer.unmet == {}
    assert longer.estimated_hours == 24 and not longer.meets_target  # beyond the 8 h target


def test_fastest_valid_agreement_first_and_expired_contracts_ignored():
    offers = [offer(6, 30, code="SLOW"), offer(2, 10, code="FAST"),
              offer(1, 100, code="OLD", valid_to=TODAY - timedelta(days=1))]
    proposal = propose([Need(TENT, 25)], [], offers, destination_path=DEST, on=TODAY)
    assert [(c.agreement_code, c.quantity) for c in proposal.calloffs] == [("FAST", 10),
                                                                         ("SLOW", 15)]


def test_nothing_anywhere_leaves_everything_unmet_without_an_estimate():
    proposal = propose([Need(TENT, 5)], [], [], destination_path=DEST, on=TODAY)
    assert proposal.unmet == {TENT: 5} and proposal.estimated_hours is None


def test_norms_round_up():
    assert norm_quantity(500, Decimal("0.333333")) == 167
    assert norm_quantity(500, Decimal("0.25")) == 125
    assert norm_quantity(3, Decimal("0.333333")) == 1
    assert norm_quantity(7, Decimal("3")) == 21
