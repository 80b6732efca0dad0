"""Units (the tier tree) and depots: creation, edits, and the tier rules."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from inventory.models import Depot, DepotKind, StorageLocation, Unit, User, utcnow
from inventory.services.errors import N_, Coded, NotFound, field_error
from inventory.services.queries import in_subtree
from inventory.services.users import audit, describe_changes

UNIT_FIELDS = ("name", "population", "target_people", "horizon_hours",
               "resident_share_target", "preposition_target", "agreement_base_target")


def get_unit(session: Session, code: str) -> Unit:
    """The unit with this code; raises NotFound."""
    unit = session.scalar(sa.select(Unit).where(Unit.code == code))
    if unit is None:
        raise NotFound(N_("Unit %(code)s not found."), code=code)
    return unit


_DEPOT_BY_CODE = (sa.select(Depot).where(Depot.code == sa.bindparam("code"))
                  .options(joinedload(Depot.unit)))


def get_depot(session: Session, code: str) -> Depot:
    """The depot with this code (its unit loaded too); raises NotFound."""
    depot = session.scalar(_DEPOT_BY_CODE, {"code": code})
    if depot is None:
        raise NotFound(N_("Depot %(code)s not found."), code=code)
    return depot


def check_tier(tiers: Sequence[str], tier: str, parent: Unit | None,
               children: Sequence[Unit] = ()) -> None:
    """Raise InvalidInput unless `tier` is configured and sits below the parent's tier."""
    if tier not in tiers:
        raise field_error("tier", N_("Unknown tier %(tier)s; configured tiers: %(tiers)s."),
                          tier=tier, tiers=Coded("tier", *tiers))
    level = tiers.index(tier)
    if parent is not None and parent.tier in tiers and level <= tiers.index(parent.tier):
        raise field_error("tier", N_("Tier %(tier)s must sit below the parent's tier %(parent)s."),
                          tier=Coded("tier", tier), parent=Coded("tier", parent.tier))
    for child in children:
        if child.tier in tiers and tiers.index(child.tier) <= level:
            raise field_error("tier", N_("Tier %(tier)s must sit above its child %(child)s."),
                              tier=Coded("tier", tier), child=child.code)


def create_unit(session: Session, *, code: str, name: str, tier: str, parent: Unit | None,
                tiers: Sequence[str], now: datetime, actor: User | None = None,
                **fields: Any) -> Unit:
    """Add a unit under `parent`; raises InvalidInput for a taken code or a wrong tier."""
    if session.scalar(sa.select(Unit.id).where(Unit.code == code)) is not None:
        raise field_error("code", N_("Code %(code)s is already used."), code=code)
    check_tier(tiers, tier, parent)
    unit = Unit(code=code, name=name, tier=tier, parent=parent, created_at=now,
                **{k: v for k, v in fields.items() if k in UNIT_FIELDS and v is not None})
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    audit(session, action="unit.create", actor=actor, subject=f"unit:{code}", now=now,
          detail=f"tier={tier} parent={parent.code if parent else '-'}")
    return unit


def update_unit(session: Session, unit: Unit, *, tiers: Sequence[str], tier: str | None = None,
                parent: Unit | None | bool = False, actor: User | None = None,
                now: datetime | None = None, **fields: Any) -> Unit:
    """Edit a unit; `parent=False` leaves the parent alone. Re-parenting moves the subtree."""
    new_parent = unit.parent if parent is False else parent
    detail = describe_changes(unit, {k: v for k, v in fields.items() if k in UNIT_FIELDS}
                              | {"tier": tier or unit.tier, "parent": new_parent})
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise field_error("parent_code", N_("A unit cannot sit under itself or its descendants."))
    check_tier(tiers, tier or unit.tier, new_parent, unit.children)
    unit.tier = tier or unit.tier
    for key, value in fields.items():
        if key in UNIT_FIELDS:
            setattr(unit, key, value)
    if new_parent is not unit.parent:
        old_path = unit.path
        new_path = f"{new_parent.path if new_parent else '/'}{unit.id}/"
        unit.parent = new_parent
        session.execute(
            sa.update(Unit).where(in_subtree(old_path))
            .values(path=sa.func.replace(Unit.path, old_path, new_path))
            .execution_options(synchronize_session="fetch"))
    session.flush()
    if detail:
        audit(session, action="unit.update", actor=actor, subject=f"unit:{unit.code}",
              now=now or utcnow(), detail=detail)
    return unit


def subtree_ids(session: Session, unit: Unit) -> list[int]:
    """Ids of the unit and all its descendants."""
    return list(session.scalars(sa.select(Unit.id).where(in_subtree(unit.path))))


def create_depot(session: Session, *, code: str, name: str, unit: Unit, now: datetime,
                 kind: DepotKind = DepotKind.DEPOT, address: str = "", contact: str = "",
                 actor: User | None = None) -> Depot:
    """Add a depot belonging to `unit`; raises InvalidInput for a taken code."""
    if session.scalar(sa.select(Depot.id).where(Depot.code == code)) is not None:
        raise field_error("code", N_("Code %(code)s is already used."), code=code)
    depot = Depot(code=code, name=name, unit=unit, kind=kind, address=address or "",
                  contact=contact or "", created_at=now)
    session.add(depot)
    session.flush()
    audit(session, action="depot.create", actor=actor, subject=f"depot:{code}", now=now,
          detail=f"unit={unit.code} kind={kind}")
    return depot


DEPOT_FIELDS = ("name", "unit", "kind", "address", "contact", "is_active")


def update_depot(session: Session, depot: Depot, *, actor: User | None = None,
                 now: datetime | None = None, **fields: Any) -> Depot:
    """Edit a depot's name, unit, kind, address, contact or active flag."""
    wanted = {k: v for k, v in fields.items() if k in DEPOT_FIELDS and v is not None}
    detail = describe_changes(depot, wanted)
    for key, value in wanted.items():
        setattr(depot, key, value)
    session.flush()
    if detail:
        audit(session, action="depot.update", actor=actor, subject=f"depot:{depot.code}",
              now=now or utcnow(), detail=detail)
    return depot


def add_storage_location(session: Session, *, depot: Depot, code: str, name: str,
                         now: datetime, actor: User | None = None) -> StorageLocation:
    """Add a room or shelf inside a depot; raises InvalidInput for a code taken there."""
    taken = session.scalar(sa.select(StorageLocation.id).where(
        StorageLocation.depot_id == depot.id, StorageLocation.code == code))
    if taken is not None:
        raise field_error("code", N_("Code %(code)s is already used."), code=code)
    location = StorageLocation(depot=depot, code=code, name=name, created_at=now)
    session.add(location)
    session.flush()
    audit(session, action="depot.location", actor=actor, subject=f"depot:{depot.code}", now=now,
          detail=f"location {code} {name}")
    return location


def get_storage_location(session: Session, depot: Depot, code: str) -> StorageLocation:
    """The depot's storage location with this code; raises NotFound."""
    location = session.scalar(sa.select(StorageLocation).where(
        StorageLocation.depot_id == depot.id, StorageLocation.code == code))
    if location is None:
        raise NotFound(N_("Storage location %(code)s not found."), code=code)
    return location


def rename_storage_location(session: Session, location: StorageLocation, *, name: str,
                            now: datetime, actor: User | None = None) -> StorageLocation:
    """Give a storage location a new name (its code stays: labels may print it)."""
    if name != location.name:
        audit(session, action="depot.location.rename", actor=actor,
              subject=f"depot:{location.depot.code}", now=now,
              detail=f"location={location.code}; name {location.name}->{name}")
        location.name = name
        session.flush()
    return location


def remove_storage_location(session: Session, location: StorageLocation, *, now: datetime,
                            actor: User | None = None) -> None:
    """Remove a storage location (nothing refers to one: stock is held by depot)."""
    audit(session, action="depot.location.remove", actor=actor,
          subject=f"depot:{location.depot.code}", now=now,
          detail=f"location {location.code} {location.name}")
    session.delete(location)
    session.flush()
