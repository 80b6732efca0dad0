"""Alert evaluation: dedup, state, resolution when the cause is gone, lazy refresh."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inventory.models import (Alert, AlertRun, AlertState, Depot, DepotMinimum, Item,
                              ReadinessSnapshot, Unit, utcnow)
from inventory.services import alerts, movements
from inventory.services.errors import InvalidTransition
from tests import factories

TODAY = date.today()


def by_key(session):
    return {a.dedup_key: a for a in session.scalars(sa.select(Alert))}


def test_evaluating_twice_creates_no_duplicates(session, world):
    first = alerts.evaluate(session, today=TODAY, now=utcnow())
    count = session.scalar(sa.select(sa.func.count(Alert.id)))
    second = alerts.evaluate(session, today=TODAY, now=utcnow())
    assert first.opened == count > 0
    assert (second.opened, second.reopened, second.resolved, second.updated) == (0, 0, 0, count)
    assert session.scalar(sa.select(sa.func.count(Alert.id))) == count
    assert session.scalar(sa.select(sa.func.count(AlertRun.id))) == 2


def test_shortfall_alert_per_unit_names_the_worst_item(session, world):
    alerts.evaluate(session, today=TODAY, now=utcnow())
    d1 = by_key(session)["shortfall:D1"]
    assert d1.kind.value == "shortfall" and d1.severity.value == "critical"
    assert d1.unit_id == world.units["D1"].id and d1.item_id == world.items["food"].id
    assert sorted(d1.params["items"]) == ["1010101", "1020101", "1040101", "1060101"]
    assert (d1.params["usable"], d1.params["required"]) == (0, 45000)


def test_shortfall_alert_resolves_when_the_need_is_met(session, world):
    for unit in session.scalars(sa.select(Unit)):
        unit.target_people = 0
    session.get(Unit, world.units["D1"].id).target_people = 100
    for name in ("food", "torch"):
        session.get(Item, world.items[name].id).per_person = 0
    session.flush()
    alerts.evaluate(session, today=TODAY, now=utcnow())  # tents 100/25 ok, quilts 50/100 short
    d1 = by_key(session)["shortfall:D1"]
    assert (d1.state, d1.severity.value, d1.value) == (AlertState.OPEN, "warning", 0.5), d1.params
    factories.receive(session, session.get(Item, world.items["quilt"].id),
                      session.get(Depot, world.depots["DEP-D1"].id), 50, lot_code="Q9")
    alerts.evaluate(session, today=TODAY, now=utcnow())
    assert d1.state is AlertState.RESOLVED, d1.params


def test_resolving_the_cause_resolves_the_alert(session, world):
    depot, tent = world.depots["DEP-D1"], world.items["tent"]
    session.add(DepotMinimum(depot_id=depot.id, item_id=tent.id, minimum_quantity=150))
    session.flush()
    alerts.evaluate(session, today=TODAY, now=utcnow())
    alert = by_key(session)["below_minimum:DEP-D1:1010101"]
    assert alert.state is AlertState.OPEN and alert.params["quantity"] == 100
    factories.receive(session, tent, depot, 60, lot_code="T9")
    alerts.evaluate(session, today=TODAY, now=utcnow())
    assert alert.state is AlertState.RESOLVED and alert.resolved_by_id is None
    movements.issue(session, factories.actor(), lot=session.get(type(world.lots["T1"]),
                    world.lots["T1"].id), depot=depot, owner=depot.unit, quantity=50,
                    now=utcnow())
    alerts.evaluate(session, today=TODAY, now=utcnow())
    assert alert.state is AlertState.OPEN  # the condition came back: re-opened
    assert session.scalar(sa.select(sa.func.count(Alert.id)).where(
        Alert.dedup_key == "below_minimum:DEP-D1:1010101")) == 1


def test_acknowledged_alert_stays_acknowledged_until_it_worsens(session, world):
    depot, tent = world.depots["DEP-D1"], world.items["tent"]
    session.add(DepotMinimum(depot_id=depot.id, item_id=tent.id, minimum_quantity=150))
    session.flush()
    alerts.evaluate(session, today=TODAY, now=utcnow())
    alert = by_key(session)["below_minimum:DEP-D1:1010101"]
    alerts.acknowledge(session, alert, user=world.users["bureau"], now=utcnow())
    alerts.evaluate(session, today=TODAY, now=utcnow())
    assert alert.state is AlertState.ACKNOWLEDGED and alert.acknowledged_by_id
    with pytest.raises(InvalidTransition):
        alerts.acknowledge(session, alert, user=world.users["bureau"], now=utcnow())
    lot = session.get(type(world.lots["T1"]), world.lots["T1"].id)
    movements.issue(session, factories.actor(), lot=lot, depot=depot, owner=depot.unit,
                    quantity=100, now=utcnow())
    alerts.evaluate(session, today=TODAY, now=utcnow())
    assert alert.state is AlertState.OPEN and alert.severity.value == "critical"


def test_resolved_by_hand_records_who_and_comes_back_if_still_true(session, world):
    alerts.evaluate(session, today=TODAY, now=utcnow())
    alert = by_key(session)["shortfall:D1"]
    alerts.resolve(session, alert, user=world.users["bureau"], now=utcnow())
    assert alert.resolved_by_id == world.users["bureau"].id
    with pytest.raises(InvalidTransition):
        alerts.resolve(session, alert, user=world.users["bureau"], now=utcnow())
    alerts.evaluate(session, today=TODAY, now=utcnow())
    assert alert.state is AlertState.OPEN and alert.resolved_by_id is None


def test_expiry_alerts_escalate_to_expired_on_the_same_row(session, world):
    food, depot = world.items["food"], world.depots["DEP-S1"]
    factories.receive(session, food, depot, 20, lot_code="F1", expiry=TODAY + timedelta(days=100))
    alerts.evaluate(session, today=TODAY, now=utcnow())
    alert = by_key(session)["expiry:F1:DEP-S1"]
    assert (alert.kind.value, alert.severity.value) == ("expiring", "info")
    alerts.evaluate(session, today=TODAY + timedelta(days=75), now=utcnow())
    assert (alert.kind.value, alert.severity.value) == ("expiring", "critical")
    alerts.evaluate(session, today=TODAY + timedelta(days=101), now=utcnow())
    assert (alert.kind.value, alert.severity.value) == ("expired", "critical")


def test_extra_rules_can_feed_plain_dicts(session, world, monkeypatch):
    def dispatch_overdue(session, *, today, now):
        return [{"dedup_key": "dispatch_overdue:O-1", "kind": "dispatch_overdue",
                 "severity": "critical", "message": "Order %(order)s is late.",
                 "params": {"order": "O-1"}, "value": 9.0, "order_code": "O-1",
                 "unit_id": world.units["D1"].id}]

    monkeypatch.setattr(alerts, "RULES", alerts.RULES + [dispatch_overdue])
    alerts.evaluate(session, today=TODAY, now=utcnow())
    assert by_key(session)["dispatch_overdue:O-1"].order_code == "O-1"


def test_visibility_and_open_count_follow_the_users_area(session, world):
    alerts.evaluate(session, today=TODAY, now=utcnow())
    keeper = world.users["keeper"]  # Street One
    visible = session.scalars(alerts.alert_query(keeper)).all()
    assert visible and all(a.unit.path.startswith(world.units["S1"].path) for a in visible)
    assert alerts.open_count(session, keeper) == len(visible)
    assert alerts.open_count(session, world.users["admin"]) > len(visible)


def test_refresh_if_stale_runs_after_movements_but_throttled(session, world):
    now = utcnow()
    assert alerts.refresh_if_stale(session, today=TODAY, now=now, min_interval_seconds=60)
    assert not alerts.refresh_if_stale(session, today=TODAY, now=now + timedelta(seconds=90),
                                       min_interval_seconds=60)  # nothing moved
    factories.receive(session, world.items["tent"], world.depots["DEP-D1"], 5, lot_code="T8")
    assert not alerts.refresh_if_stale(session, today=TODAY, now=now + timedelta(seconds=30),
                                       min_interval_seconds=60)  # moved, but too soon
    assert alerts.refresh_if_stale(session, today=TODAY, now=now + timedelta(seconds=61),
                                   min_interval_seconds=60)
    alerts.mark_stale(session)
    assert alerts.refresh_if_stale(session, today=TODAY, now=now + timedelta(seconds=200),
                                   min_interval_seconds=60)


def test_snapshots_are_one_per_unit_and_day(session, world):
    assert alerts.take_snapshots(session, today=TODAY, now=utcnow()) == 6
    alerts.take_snapshots(session, today=TODAY, now=utcnow())
    snapshots = session.scalars(sa.select(ReadinessSnapshot)).all()
    assert len(snapshots) == 6
    d1 = next(s for s in snapshots if s.unit_id == world.units["D1"].id)
    assert (d1.target_people, d1.people_coverable) == (15000, 0)
    assert d1.limiting_item_id == world.items["food"].id


def test_shortfall_alerts_and_snapshots_use_the_season_setting(session, world):
    factories.make_item(session, "1010201", name="取暖炉", name_en="Stove", category="shelter",
                        per_person=0, per_person_cold=0.5, critical=True)
    session.commit()
    january, july = date(2027, 1, 15), date(2027, 7, 15)

    def shortfall_items(**kw):
        alerts.evaluate(session, now=utcnow(), **kw)
        return set(by_key(session)["shortfall:D1"].params["items"])

    assert "1010201" in shortfall_items(today=january)  # auto: cold in January
    assert "1010201" not in shortfall_items(today=july)
    assert "1010201" not in shortfall_items(today=january, season="warm")
    assert "1010201" in shortfall_items(today=july, season="cold")

    def snapshot(day, **kw):
        alerts.take_snapshots(session, today=day, now=utcnow(), **kw)
        return session.scalar(sa.select(ReadinessSnapshot).where(
            ReadinessSnapshot.taken_on == day,
            ReadinessSnapshot.unit_id == world.units["D1"].id))

    stove_id = session.scalar(sa.select(Item.id).where(Item.code == "1010201"))
    assert snapshot(january).limiting_item_id == stove_id
    assert snapshot(july).limiting_item_id != stove_id
    assert snapshot(january, season="warm").limiting_item_id != stove_id


def test_seen_again_moves_last_seen_and_rewrites_only_what_changed(session, world):
    from inventory.models.base import as_utc

    depot, tent = world.depots["DEP-D1"], world.items["tent"]
    session.add(DepotMinimum(depot_id=depot.id, item_id=tent.id, minimum_quantity=150))
    session.flush()
    start = utcnow()
    later, latest = start + timedelta(hours=1), start + timedelta(hours=2)
    alerts.evaluate(session, today=TODAY, now=start)
    alert = by_key(session)["below_minimum:DEP-D1:1010101"]
    assert as_utc(alert.first_seen_at) == as_utc(alert.last_seen_at) == start
    alerts.acknowledge(session, alert, user=world.users["bureau"], now=start)
    alerts.evaluate(session, today=TODAY, now=later)  # nothing changed but the time
    assert (as_utc(alert.first_seen_at), as_utc(alert.last_seen_at)) == (start, later)
    assert alert.state is AlertState.ACKNOWLEDGED and alert.params["quantity"] == 100
    lot = session.get(type(world.lots["T1"]), world.lots["T1"].id)
    movements.issue(session, factories.actor(), lot=lot, depot=depot, owner=depot.unit,
                    quantity=30, now=utcnow())
    result = alerts.evaluate(session, today=TODAY, now=latest)  # same severity, new figure
    assert (alert.params["quantity"], alert.value, as_utc(alert.last_seen_at)) == (70, 70.0,
                                                                                   latest)
    assert alert.state is AlertState.ACKNOWLEDGED and as_utc(alert.first_seen_at) == start
    assert result.updated == session.scalar(sa.select(sa.func.count(Alert.id)).where(
        Alert.state != AlertState.RESOLVED)) and result.opened == result.reopened == 0
