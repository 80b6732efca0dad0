"""The pure readiness core: hand-computed cases and properties (no database)."""
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from inventory.services.readiness import (AgreementLineFigures, ItemFigures, agreement_quantity,
                                          compute, norm_for, people_for,
                                          purchase_plan, required_quantity)

D = Decimal
ON = date(2026, 6, 1)


def fig(code, per_person, critical=True, physical=0, agreement=0, on_hand=None):
    return ItemFigures(item_code=code, per_person=D(str(per_person)), critical=critical,
                       on_hand=physical if on_hand is None else on_hand, physical=physical,
                       agreement=agreement)


def test_required_is_people_times_norm_rounded_up_to_whole_pieces():
    assert required_quantity(15000, D("0.333333")) == 5000
    assert required_quantity(15000, D("1")) == 15000
    assert required_quantity(10, D("0.25")) == 3


def test_people_covered_is_the_floor_of_physical_over_the_norm():
    assert people_for(5000, D("0.333333")) == 15000
    assert people_for(99, D("0.25")) == 396
    assert people_for(0, D("3")) == 0


def test_item_line_figures_for_a_hand_computed_case():
    result = compute([fig("tent", "0.25", physical=2000, agreement=500, on_hand=2100)],
                     people=15000, horizon_hours=8)
    (line,) = result.items
    assert (line.required, line.on_hand, line.physical, line.agreement, line.usable) == (
        3750, 2100, 2000, 500, 2500)
    assert line.shortfall == 1250
    assert line.people_covered == 8000
    assert line.people_covered_with_agreements == 10000
    assert (result.people_coverable, result.people_coverable_with_agreements) == (8000, 10000)


def test_critical_item_limits_and_non_critical_does_not():
    items = [fig("tent", "0.25", physical=1000),          # 4,000 people
             fig("quilt", "1", physical=9000),             # 9,000 people
             fig("torch", "0.5", critical=False, physical=100)]  # 200 people, not critical
    result = compute(items, people=15000, horizon_hours=8)
    assert result.people_coverable == 4000
    assert result.limiting_item_code == "tent"
    torch = next(line for line in result.items if line.item_code == "torch")
    assert torch.shortfall == 7400  # non-critical items still show their shortfall


def test_limiting_item_with_agreements_may_differ():
    items = [fig("tent", "0.25", physical=1000, agreement=3000), fig("quilt", "1", physical=9000)]
    result = compute(items, people=15000, horizon_hours=8)
    assert result.limiting_item_code == "tent"
    assert result.limiting_item_code_with_agreements == "quilt"
    assert result.people_coverable_with_agreements == 9000


def test_item_with_no_stock_covers_nobody_and_limits_to_zero():
    result = compute([fig("tent", "0.25"), fig("quilt", "1", physical=50)], people=100,
                     horizon_hours=8)
    assert result.people_coverable == 0 and result.limiting_item_code == "tent"
    assert result.items[0].shortfall == 25


def test_items_outside_the_norm_are_left_out_and_empty_norm_gives_zero():
    assert compute([fig("x", "0", physical=10)], people=10, horizon_hours=8).items == []
    empty = compute([], people=10, horizon_hours=8)
    assert empty.people_coverable == 0 and empty.limiting_item_code is None


def test_without_critical_items_every_norm_item_limits():
    result = compute([fig("a", "1", critical=False, physical=30),
                      fig("b", "1", critical=False, physical=20)], people=100, horizon_hours=8)
    assert (result.people_coverable, result.limiting_item_code) == (20, "b")


def test_lines_list_critical_items_first_worst_first():
    result = compute([fig("c", "1", critical=False, physical=0), fig("b", "1", physical=90),
                      fig("a", "1", physical=10)], people=100, horizon_hours=8)
    assert [line.item_code for line in result.items] == ["a", "b", "c"]


def test_resident_coverage_ratio():
    result = compute([fig("a", "1", physical=500)], people=100, horizon_hours=8,
                     resident_population=10_000)
    assert result.resident_coverage_ratio == 0.05
    assert compute([fig("a", "1")], people=1, horizon_hours=8).resident_coverage_ratio is None


def test_cold_season_norm_applies_only_where_set():
    assert norm_for(D("0"), D("0.333333"), "cold") == D("0.333333")
    assert norm_for(D("0"), D("0.333333"), "warm") == 0
    assert norm_for(D("1"), None, "cold") == 1


def agreement(mode="supply", quantity=100, lead=8, valid_from=date(2026, 1, 1),
              valid_to=date(2026, 12, 31), verified=None, active=True):
    return AgreementLineFigures(mode=mode, quantity=quantity, lead_time_hours=lead,
                                valid_from=valid_from, valid_to=valid_to, is_active=active,
                                verified_quantity=verified)


def test_agreement_lead_time_exactly_at_the_horizon_counts_and_just_past_does_not():
    assert agreement_quantity(agreement(lead=8), on=ON, horizon_hours=8) == 100
    assert agreement_quantity(agreement(lead=9), on=ON, horizon_hours=8) == 0


def test_agreement_outside_its_validity_counts_nothing():
    assert agreement_quantity(agreement(valid_to=date(2026, 5, 31)), on=ON, horizon_hours=8) == 0
    assert agreement_quantity(agreement(valid_from=date(2026, 6, 2)), on=ON, horizon_hours=8) == 0
    assert agreement_quantity(agreement(valid_from=ON, valid_to=ON), on=ON, horizon_hours=8) == 100
    assert agreement_quantity(agreement(active=False), on=ON, horizon_hours=8) == 0


def test_stock_agreement_counts_the_last_verified_quantity_capped_at_the_contract():
    assert agreement_quantity(agreement("stock"), on=ON, horizon_hours=8) == 100
    assert agreement_quantity(agreement("stock", verified=60), on=ON, horizon_hours=8) == 60
    assert agreement_quantity(agreement("stock", verified=140), on=ON, horizon_hours=8) == 100
    # supply agreements deliver from the partner's own stock: checks do not change them
    assert agreement_quantity(agreement("supply", verified=60), on=ON, horizon_hours=8) == 100


def test_capacity_agreement_counts_a_day_rate_over_the_horizon():
    assert agreement_quantity(agreement("capacity", 240, lead=4), on=ON, horizon_hours=8) == 80
    assert agreement_quantity(agreement("capacity", 240, lead=4), on=ON, horizon_hours=72) == 720
    assert agreement_quantity(agreement("capacity", 240, lead=12), on=ON, horizon_hours=8) == 0


def test_purchase_plan_buys_the_shortfall_and_what_expiry_removes():
    now = compute([fig("tent", "0.25", physical=3000), fig("quilt", "1", physical=20000),
                   fig("torch", "1", critical=False, physical=15000)], people=15000,
                  horizon_hours=8)
    later = compute([fig("tent", "0.25", physical=2500), fig("quilt", "1", physical=20000),
                     fig("torch", "1", critical=False, physical=14000)], people=15000,
                    horizon_hours=8)
    plan = {line.item_code: line for line in purchase_plan(now, later, {"tent": 10})}
    assert set(plan) == {"tent", "torch"}
    assert (plan["tent"].to_buy_now, plan["tent"].to_buy_for_expiry) == (750, 500)
    assert plan["tent"].to_buy == 1250
    assert (plan["torch"].to_buy_now, plan["torch"].to_buy_for_expiry) == (0, 1000)


def test_purchase_plan_rounds_up_to_whole_packs():
    now = compute([fig("tent", "1", physical=95)], people=100, horizon_hours=8)
    (line,) = purchase_plan(now, now, {"tent": 10})
    assert (line.to_buy_now, line.to_buy) == (5, 10)


norms = st.decimals(min_value=D("0.001"), max_value=D("20"), places=3)
item_lists = st.lists(
    st.tuples(norms, st.booleans(), st.integers(0, 100_000), st.integers(0, 50_000)),
    min_size=1, max_size=8)


def _figures(rows):
    return [fig(f"i{n}", per_person, critical, physical, agreement)
            for n, (per_person, critical, physical, agreement) in enumerate(rows)]


@given(item_lists, st.integers(0, 7), st.integers(1, 50_000), st.integers(0, 100_000))
def test_adding_usable_stock_never_lowers_people_coverable(rows, index, extra, people):
    before = compute(_figures(rows), people=people, horizon_hours=8)
    index %= len(rows)
    per_person, critical, physical, agreement_qty = rows[index]
    more = list(rows)
    more[index] = (per_person, critical, physical + extra, agreement_qty)
    after = compute(_figures(more), people=people, horizon_hours=8)
    assert after.people_coverable >= before.people_coverable
    assert after.people_coverable_with_agreements >= before.people_coverable_with_agreements


@given(item_lists, st.integers(0, 100_000))
def test_people_coverable_never_exceeds_any_critical_items_coverage(rows, people):
    result = compute(_figures(rows), people=people, horizon_hours=8)
    for line in result.items:
        if line.critical:
            assert result.people_coverable <= line.people_covered
            assert result.people_coverable_with_agreements <= line.people_covered_with_agreements
    assert result.people_coverable <= result.people_coverable_with_agreements


def test_date_arithmetic_saturates_at_the_ends_of_the_calendar():
    from inventory.services.readiness import add_days
    from inventory.services.readiness_load import horizon_end

    assert add_days(date(2026, 1, 30), 2) == date(2026, 2, 1)
    assert add_days(date(9999, 12, 30), 5) == date.max
    assert add_days(date(1, 1, 2), -5) == date.min
    assert horizon_end(date(2026, 1, 1), 47) == date(2026, 1, 2)
    assert horizon_end(date.max, 720) == date.max


def test_auto_season_is_cold_from_november_to_march_unless_a_season_is_set():
    from inventory.services.readiness import season_on

    assert [season_on(date(2026, month, 15)) for month in range(1, 13)] == [
        "cold", "cold", "cold", "warm", "warm", "warm", "warm", "warm", "warm", "warm",
        "cold", "cold"]
    assert season_on(date(2026, 3, 31)) == "cold" and season_on(date(2026, 4, 1)) == "warm"
    assert season_on(date(2026, 1, 15), "warm") == "warm"
    assert season_on(date(2026, 7, 15), "cold") == "cold"
