"""Test data builders: add and flush, never commit (the test or fixture commits)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from inventory.config import DEFAULT_TIERS
from inventory.models import Depot, Item, Lot, Role, Unit, User, utcnow
from inventory.services import catalog, movements, units, users
from inventory.services.movements import Actor

PASSWORD = "correct-horse-9"
TIERS = list(DEFAULT_TIERS)


def make_unit(session, code: str, tier: str, parent: Unit | None = None, **kw) -> Unit:
    return units.create_unit(session, code=code, name=kw.pop("name", f"Unit {code}"), tier=tier,
                             parent=parent, tiers=TIERS, now=utcnow(), **kw)


def make_depot(session, code: str, unit: Unit, **kw) -> Depot:
    return units.create_depot(session, code=code, name=kw.pop("name", f"Depot {code}"), unit=unit,
                              now=utcnow(), **kw)


def make_item(session, code: str, **kw) -> Item:
    kw.setdefault("name", f"Item {code}")
    kw.setdefault("unit_of_measure", "pcs")
    if "per_person" in kw:
        kw["per_person"] = Decimal(str(kw["per_person"]))
    return catalog.create_item(session, code=code, now=utcnow(), **kw)


def make_user(session, username: str, role: Role, unit: Unit | None = None) -> User:
    return users.create_user(session, username=username, password=PASSWORD, role=role, unit=unit,
                             now=utcnow())


def actor(user: User | None = None, reason: str = "test") -> Actor:
    return movements.system_actor(reason, user=user)


def receive(session, item: Item, depot: Depot, quantity: int, *, owner: Unit | None = None,
            lot_code: str | None = None, expiry: date | None = None, user: User | None = None) -> Lot:
    if item.shelf_life_days and expiry is None:
        expiry = date.today() + timedelta(days=item.shelf_life_days)
    lot = movements.find_or_create_lot(session, item=item, now=utcnow(), lot_code=lot_code,
                                       batch_no=lot_code or "B1", expiry_date=expiry)
    movements.receive(session, actor(user), lot=lot, depot=depot, owner=owner or depot.unit,
                      quantity=quantity, now=utcnow())
    return lot


@dataclass
class World:
    units: dict[str, Unit] = field(default_factory=dict)
    depots: dict[str, Depot] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    lots: dict[str, Lot] = field(default_factory=dict)


def build_world(session) -> World:
    w = World()
    u = w.units
    u["C1"] = make_unit(session, "C1", "city", name="Test City", population=1_000_000)
    u["D1"] = make_unit(session, "D1", "district", u["C1"], name="District One", population=100_000)
    u["D2"] = make_unit(session, "D2", "district", u["C1"], name="District Two")
    u["S1"] = make_unit(session, "S1", "street", u["D1"], name="Street One")
    u["S2"] = make_unit(session, "S2", "street", u["D1"], name="Street Two")
    u["S1C1"] = make_unit(session, "S1C1", "community", u["S1"], name="Community One")
    for code, unit in [("DEP-C1", "C1"), ("DEP-D1", "D1"), ("DEP-D2", "D2"), ("DEP-S1", "S1"),
                       ("DEP-S2", "S2")]:
        w.depots[code] = make_depot(session, code, u[unit])
    w.items["tent"] = make_item(session, "1010101", name="帐篷", name_en="Tent", unit_of_measure="顶",
                                category="shelter", per_person=0.25, critical=True)
    w.items["quilt"] = make_item(session, "1020101", name="棉被", name_en="Quilt",
                                 category="bedding", per_person=1, critical=True)
    w.items["food"] = make_item(session, "1040101", name="应急食品", name_en="Ration",
                                category="food", per_person=3, critical=True, shelf_life_days=730)
    w.items["torch"] = make_item(session, "1060101", name="手电筒", name_en="Torch",
                                 category="light_power", per_person=0.333333)
    for name, role, unit in [("admin", Role.ADMIN, None), ("bureau", Role.BUREAU, "D1"),
                             ("dispatcher", Role.DISPATCHER, "D1"), ("keeper", Role.KEEPER, "S1"),
                             ("viewer", Role.VIEWER, "D1"), ("keeper2", Role.KEEPER, "D2")]:
        w.users[name] = make_user(session, name, role, u[unit] if unit else None)
    w.lots["T1"] = receive(session, w.items["tent"], w.depots["DEP-D1"], 100, lot_code="T1")
    w.lots["Q1"] = receive(session, w.items["quilt"], w.depots["DEP-S1"], 50, lot_code="Q1")
    w.lots["T2"] = receive(session, w.items["tent"], w.depots["DEP-D2"], 30, lot_code="T2")
    session.flush()
    return w
