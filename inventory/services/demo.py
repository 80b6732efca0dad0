"""Demo data that tells a story: Kangbashi district (Ordos), short of 15,000 people on tents.

Everything is booked through `services.movements`, so the ledger is complete and
`verify-ledger` passes. Dates are relative to `now`, so the expiry story (expired lots,
lots expiring within 90 days) holds whenever the demo is loaded.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Depot, DepotKind, Item, MovementKind, Role, Unit, User
from inventory.services import (alerts, catalog, demo_agreements, demo_dispatch, movements,
                                units, users)
from inventory.services.errors import N_, DomainError
from inventory.services.movements import Actor

CITY, DISTRICT, OTHER_DISTRICT = "150600", "150603", "150602"
STREETS = {
    "150603001": ("哈巴格希街道", ["150603001001:康城社区", "150603001002:书香苑社区"]),
    "150603002": ("青春山街道", ["150603002001:青春山社区", "150603002002:文化园社区"]),
    "150603003": ("滨河街道", ["150603003001:滨河社区", "150603003002:阳光社区"]),
    "150603004": ("康新街道", ["150603004001:康新社区", "150603004002:丽苑社区"]),
}
# Share of the 15,000-person requirement the district holds; < 1 leaves a shortfall.
DISTRICT_COVER = {"1010101": 0.58, "1050101": 0.74, "2030101": 0.85, "1040101": 0.92,
                  "2030201": 0.5, "1020104": 0.4, "2060101": 0.5}
DEFAULT_COVER = 1.12
# Street-owned and community-owned extras (pieces per street / community).
STREET_EXTRAS = {"1050101": 1200, "1040101": 600, "1060101": 150, "2020101": 10}
COMMUNITY_EXTRAS = {"1050101": 240, "1060101": 40, "2020101": 4, "1070302": 300}


@dataclass
class DemoResult:
    created: bool
    users: list[str]


# The demo's four levels: a city, its districts, their streets and their communities.
DEMO_LEVELS = ("city", "district", "street", "community")


def demo_tiers(tiers: list[str]) -> list[str]:
    """The configured tiers the demo's four levels are booked at: the default names when
    they are all configured (in order), else the first four configured tiers. Raises
    DomainError when fewer than four are configured: the story needs all four levels."""
    if len(tiers) < len(DEMO_LEVELS):
        raise DomainError(N_("The demo reserve has four levels (city, district, street, "
                             "community) but INVENTORY_TIERS configures %(n)s: %(tiers)s. "
                             "Configure at least four tiers for the demo."),
                          n=len(tiers), tiers=", ".join(tiers))
    if all(tier in tiers for tier in DEMO_LEVELS) and \
            sorted(DEMO_LEVELS, key=tiers.index) == list(DEMO_LEVELS):
        return list(DEMO_LEVELS)
    return list(tiers[:len(DEMO_LEVELS)])


def load(session: Session, *, now: datetime, tiers: list[str], password: str,
         season: str = "auto") -> DemoResult:
    """Create the demo reserve unless it exists (idempotent); returns what was created."""
    if session.scalar(sa.select(Unit.id).where(Unit.code == DISTRICT)) is not None:
        return DemoResult(created=False, users=[])
    levels = demo_tiers(tiers)
    catalog.load_catalogue(session, catalog.norm_rows(), now=now)
    tree = _units(session, now=now, tiers=tiers, levels=levels)
    depots = _depots(session, tree, now=now)
    demo_users = _users(session, tree, now=now, password=password)
    admin = session.scalar(sa.select(User).where(User.username == "admin"))
    _stock(session, tree, depots, now=now, actor_user=admin)
    if DISTRICT in tree:
        demo_agreements.load(session, tree[DISTRICT], depots, now=now, checker=admin)
    if admin is not None:
        demo_dispatch.load(session, now=now, admin=admin)
    alerts.evaluate(session, today=now.date(), now=now, trigger="demo", season=season)
    alerts.take_snapshots(session, today=now.date(), now=now, season=season)
    return DemoResult(created=True, users=demo_users)


def _units(session: Session, *, now: datetime, tiers: list[str],
           levels: list[str]) -> dict[str, Unit]:
    def add(code, name, level, parent, **kw):
        tree[code] = units.create_unit(session, code=code, name=name, tier=levels[level],
                                       parent=parent, tiers=tiers, now=now, **kw)
        return tree[code]

    tree: dict[str, Unit] = {}
    city = add(CITY, "鄂尔多斯市", 0, None, population=2_200_000, target_people=50_000)
    district = add(DISTRICT, "康巴什区", 1, city, population=128_000)
    add(OTHER_DISTRICT, "东胜区", 1, city, population=580_000)
    for code, (name, communities) in STREETS.items():
        # Agreement bases and pre-positioning are the district's job, not the streets'.
        street = add(code, name, 2, district, population=32_000, target_people=3_000,
                     agreement_base_target=0, preposition_target=0)
        for entry in communities:
            c_code, c_name = entry.split(":")
            add(c_code, c_name, 3, street, population=8_000, target_people=800,
                agreement_base_target=0, preposition_target=0)
    return tree


def _depots(session: Session, tree: dict[str, Unit], *, now: datetime) -> dict[str, Depot]:
    specs = [
        ("ORD-CITY-01", "鄂尔多斯市救灾物资储备库", CITY, DepotKind.DEPOT, "康巴什区纬三路"),
        ("KBS-01", "康巴什区应急物资储备库", DISTRICT, DepotKind.DEPOT, "康巴什区哈巴格希街道北区"),
        ("KBS-SS-01", "康巴什区应急服务站(滨河)", DISTRICT, DepotKind.SERVICE_STATION, "滨河路"),
        ("DS-01", "东胜区应急物资储备库", OTHER_DISTRICT, DepotKind.DEPOT, "东胜区铁西"),
    ]
    for index, code in enumerate(STREETS, start=1):
        if code in tree:
            specs.append((f"KBS-ST{index:02d}", f"{tree[code].name}应急物资储备点", code,
                          DepotKind.RESERVE_POINT, f"{tree[code].name}办事处"))
            for child in tree[code].children[:1]:
                specs.append((f"KBS-ST{index:02d}-C1", f"{child.name}储备点", child.code,
                              DepotKind.RESERVE_POINT, f"{child.name}居委会"))
    return {code: units.create_depot(session, code=code, name=name, unit=tree[unit_code],
                                     kind=kind, address=address, now=now)
            for code, name, unit_code, kind, address in specs}


def _users(session: Session, tree: dict[str, Unit], *, now: datetime, password: str) -> list[str]:
    wanted = [("admin", Role.ADMIN, None, "系统管理员"),
              ("bureau", Role.BUREAU, DISTRICT, "区应急管理局 储备科"),
              ("dispatcher", Role.DISPATCHER, DISTRICT, "区指挥中心 调度员"),
              ("keeper", Role.KEEPER, "150603003" if "150603003" in tree else DISTRICT,
               "滨河街道 库管员"),
              ("viewer", Role.VIEWER, DISTRICT, "督导检查")]
    created = []
    for username, role, unit_code, display in wanted:
        if session.scalar(sa.select(User.id).where(User.username == username)) is None:
            users.create_user(session, username=username, password=password, role=role,
                              unit=tree[unit_code] if unit_code else None, now=now,
                              display_name=display)
            created.append(username)
    return created


def _stock(session: Session, tree: dict[str, Unit], depots: dict[str, Depot], *, now: datetime,
           actor_user: User | None) -> None:
    in_norm = sa.or_(Item.per_person > 0, sa.func.coalesce(Item.per_person_cold, 0) > 0)
    items = list(session.scalars(sa.select(Item).where(in_norm).order_by(Item.code)))
    street_depots = [d for c, d in depots.items() if c.startswith("KBS-ST") and "-C" not in c]
    counter = iter(range(1, 1_000_000))

    def actor(reason: str) -> Actor:
        return Actor(user=actor_user, request_id=f"demo-{next(counter):05d}", reason=reason)

    for item in items:
        norm = max(item.per_person, item.per_person_cold or 0)  # stock for the cold season too
        required = math.ceil(15000 * float(norm) - 1e-6)
        total = max(round(required * DISTRICT_COVER.get(item.code, DEFAULT_COVER)), 1)
        lots = _receive_lots(session, item, depots["KBS-01"], tree[DISTRICT], total,
                             now=now, actor=actor)
        _receive_lots(session, item, depots["ORD-CITY-01"], tree[CITY], max(total // 2, 1),
                      now=now, actor=actor, batch_prefix="C")
        _receive_lots(session, item, depots["DS-01"], tree[OTHER_DISTRICT], max(total // 3, 1),
                      now=now, actor=actor, batch_prefix="D")
        _preposition(session, lots, depots["KBS-01"], street_depots, tree[DISTRICT],
                     now=now, actor=actor)
    _extras(session, items, tree, depots, now=now, actor=actor)


def _lot_plan(item: Item, now: datetime, with_expired: bool) -> list[tuple[str, float, int | None, int]]:
    """(batch suffix, share, days until expiry, days since receipt) for an item's lots."""
    if not item.shelf_life_days:
        return [("2024A", 0.7, None, 160), ("2025A", 0.3, None, 75)]
    spread = int(item.code) % 40
    plan = [("2026A", 0.6, int(item.shelf_life_days * 0.8), 60),
            ("2025B", 0.3, 45 + spread, 120)]
    if with_expired:
        plan.append(("2024C", 0.1, -15, 200))
    return plan


def _receive_lots(session: Session, item: Item, depot: Depot, owner: Unit, total: int, *,
                  now: datetime, actor, batch_prefix: str = "") -> list[tuple]:
    with_expired = not batch_prefix and item.category.value in ("food", "water")
    received, remaining = [], total
    plan = _lot_plan(item, now, with_expired)
    for index, (suffix, share, expires_in, received_ago) in enumerate(plan):
        quantity = remaining if index == len(plan) - 1 else max(round(total * share), 0)
        remaining -= quantity
        if quantity <= 0:
            continue
        when = now - timedelta(days=received_ago)
        expiry = (now + timedelta(days=expires_in)).date() if expires_in is not None else None
        lot = movements.find_or_create_lot(
            session, item=item, now=when, batch_no=f"{batch_prefix}{suffix}", expiry_date=expiry,
            production_date=(when - timedelta(days=30)).date(), supplier="内蒙古应急物资有限公司")
        movements.receive(session, actor("采购入库" if not batch_prefix else "上级调拨入库"),
                          lot=lot, depot=depot, owner=owner, quantity=quantity, now=when)
        received.append((lot, quantity))
    return received


def _preposition(session: Session, lots: list[tuple], depot: Depot, street_depots: list[Depot],
                 owner: Unit, *, now: datetime, actor) -> None:
    """Move about a third of the district's stock to the street depots; the district keeps it."""
    if not street_depots:
        return
    when = now - timedelta(days=20)
    for lot, quantity in lots:
        share = quantity // 3 // len(street_depots)
        if share <= 0:
            continue
        for target in street_depots:
            movements.transfer(session, actor("前置储备"), lot=lot, depot=depot, owner=owner,
                               to_depot=target, quantity=share, now=when)


def _extras(session: Session, items: list[Item], tree: dict[str, Unit],
            depots: dict[str, Depot], *, now: datetime, actor) -> None:
    by_code = {item.code: item for item in items}
    for code, depot in depots.items():
        if not code.startswith("KBS-ST"):
            continue
        extras = COMMUNITY_EXTRAS if "-C" in code else STREET_EXTRAS
        for item_code, quantity in extras.items():
            _receive_lots(session, by_code[item_code], depot, depot.unit, quantity, now=now,
                          actor=actor, batch_prefix=f"S{code[-5:].replace('-', '')}")
    district_depot, district = depots["KBS-01"], tree[DISTRICT]
    quilt = movements.get_lot(session, "1020101-2025A")
    if quilt is not None:
        movements.issue(session, actor("冬季困难群众临时救助"), lot=quilt, depot=district_depot,
                        owner=district, quantity=20, now=now - timedelta(days=10))
    tent = movements.get_lot(session, "1010101-2024A")
    if tent is not None:
        movements.issue(session, actor("库房漏雨受潮损坏"), lot=tent, depot=district_depot,
                        owner=district, quantity=3, now=now - timedelta(days=5),
                        kind=MovementKind.LOSS)
