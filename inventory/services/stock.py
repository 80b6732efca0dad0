"""Reading stock: filtered lists, headline totals and totals per unit and tier."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, contains_eager

from inventory.models import Balance, Category, Depot, Item, Lot, Movement, Unit, User
from inventory.services import access
from inventory.services.catalog import get_item
from inventory.services.errors import N_, NotFound
from inventory.services.queries import expired, in_subtree, text_search
from inventory.services.units import get_depot, get_unit

DepotUnit = aliased(Unit, name="depot_unit")
OwnerUnit = aliased(Unit, name="owner_unit")


@dataclass(frozen=True)
class StockFilter:
    """Filters of the stock list; every field is optional."""

    unit: Unit | None = None       # depots in this unit's subtree
    owner: Unit | None = None      # stock owned by this unit's subtree
    depot: Depot | None = None
    item: Item | None = None
    lot: Lot | None = None
    category: Category | None = None
    expiring_within_days: int | None = None  # expired lots included
    search: str = ""
    include_empty: bool = False


def visible(user: User) -> sa.ColumnElement[bool]:
    """Balances a user may see: held in their area, or owned by a unit in it."""
    return sa.or_(access.unit_filter(user, DepotUnit.path), access.unit_filter(user, OwnerUnit.path))


def stock_query(user: User, filters: StockFilter, *, today: date) -> sa.Select:
    """Balances joined with lot, item, depot and owner, filtered and in a stable order."""
    return _filtered(sa.select(Balance), user, filters, today=today).options(
        contains_eager(Balance.lot).contains_eager(Lot.item), contains_eager(Balance.depot),
        contains_eager(Balance.owner.of_type(OwnerUnit)))


def stock_rows(user: User, filters: StockFilter, *, today: date) -> sa.Select:
    """The rows of `stock_query` as plain columns (codes, names, figures).

    For the API list and exports: a page of 500 rows then costs no model objects, which
    were most of its time.
    """
    return _filtered(sa.select(
        Depot.code.label("depot_code"), Item.code.label("item_code"),
        Lot.lot_code.label("lot_code"), OwnerUnit.code.label("owner_code"),
        Lot.expiry_date.label("expiry_date"), Balance.quantity.label("quantity"),
        Balance.reserved.label("reserved"), Lot.batch_no.label("batch_no"),
        Item.name.label("item_name")).select_from(Balance), user, filters, today=today)


def _filtered(stmt: sa.Select, user: User, filters: StockFilter, *, today: date) -> sa.Select:
    stmt = (stmt.join(Balance.lot).join(Lot.item).join(Balance.depot)
            .join(DepotUnit, Depot.unit_id == DepotUnit.id)
            .join(OwnerUnit, Balance.owner_id == OwnerUnit.id)
            .where(visible(user)))
    if not filters.include_empty:
        stmt = stmt.where(Balance.quantity > 0)
    if filters.unit is not None:
        stmt = stmt.where(in_subtree(filters.unit.path, DepotUnit.path))
    if filters.owner is not None:
        stmt = stmt.where(in_subtree(filters.owner.path, OwnerUnit.path))
    for model_filter, column in ((filters.depot, Balance.depot_id), (filters.item, Lot.item_id),
                                 (filters.lot, Balance.lot_id)):
        if model_filter is not None:
            stmt = stmt.where(column == model_filter.id)
    if filters.category is not None:
        stmt = stmt.where(Item.category == filters.category)
    if filters.expiring_within_days is not None:
        stmt = stmt.where(Lot.expiry_date.is_not(None),
                          Lot.expiry_date <= today + timedelta(days=filters.expiring_within_days))
    if filters.search:
        stmt = stmt.where(text_search(filters.search, Item.name, Item.name_en, Item.code,
                                      Lot.lot_code, Lot.batch_no, Depot.name))
    return stmt.order_by(Item.code, Lot.expiry_date.is_(None), Lot.expiry_date, Lot.lot_code,
                         Depot.code, Balance.id)


@dataclass(frozen=True)
class Headline:
    """Headline totals, e.g. "35种 18,871件"."""

    item_kinds: int
    pieces: int
    lots: int
    depots: int
    expired_pieces: int


def headline(session: Session, user: User, *, today: date, unit: Unit | None = None) -> Headline:
    """Kinds of item, total pieces, lots and depots with stock in the user's view."""
    stmt = (sa.select(sa.func.count(sa.distinct(Lot.item_id)),
                      sa.func.coalesce(sa.func.sum(Balance.quantity), 0),
                      sa.func.count(sa.distinct(Balance.lot_id)),
                      sa.func.count(sa.distinct(Balance.depot_id)),
                      sa.func.coalesce(sa.func.sum(
                          sa.case((expired(today), Balance.quantity), else_=0)), 0))
            .select_from(Balance).join(Balance.lot).join(Balance.depot)
            .join(DepotUnit, Depot.unit_id == DepotUnit.id)
            .join(OwnerUnit, Balance.owner_id == OwnerUnit.id)
            .where(visible(user), Balance.quantity > 0))
    if unit is not None:
        stmt = stmt.where(in_subtree(unit.path, DepotUnit.path))
    kinds, pieces, lots, depots, expired_pieces = session.execute(stmt).one()
    return Headline(int(kinds), int(pieces), int(lots), int(depots), int(expired_pieces))


def pieces_by_tier(session: Session, user: User) -> dict[str, int]:
    """Pieces held at depots of each tier (where stock sits, not who owns it)."""
    stmt = (sa.select(DepotUnit.tier, sa.func.sum(Balance.quantity))
            .select_from(Balance).join(Balance.depot)
            .join(DepotUnit, Depot.unit_id == DepotUnit.id)
            .join(OwnerUnit, Balance.owner_id == OwnerUnit.id)
            .where(visible(user)).group_by(DepotUnit.tier))
    return {tier: int(total or 0) for tier, total in session.execute(stmt)}


def pieces_by_depot(session: Session, user: User) -> dict[int, tuple[int, int]]:
    """(pieces, lots) per depot id, for the unit tree."""
    stmt = (sa.select(Balance.depot_id, sa.func.sum(Balance.quantity),
                      sa.func.count(sa.distinct(Balance.lot_id)))
            .select_from(Balance).join(Balance.depot)
            .join(DepotUnit, Depot.unit_id == DepotUnit.id)
            .join(OwnerUnit, Balance.owner_id == OwnerUnit.id)
            .where(visible(user), Balance.quantity > 0).group_by(Balance.depot_id))
    return {depot_id: (int(total), int(lots)) for depot_id, total, lots in session.execute(stmt)}


def unit_tree(session: Session, user: User) -> list[Unit]:
    """Units in the user's area in tree order (by path), depots loaded."""
    return list(session.scalars(
        sa.select(Unit).where(access.unit_filter(user)).order_by(Unit.path)))


def resolve_filters(session: Session, user: User, args: dict) -> StockFilter:
    """Turn the codes of a stock query into models; unknown codes raise NotFound."""
    lot = None
    if args.get("lot"):
        lot = session.scalar(sa.select(Lot).where(Lot.lot_code == args["lot"]))
        if lot is None:
            raise NotFound(N_("Lot %(code)s not found."), code=args["lot"])
    return StockFilter(
        unit=get_unit(session, args["unit"]) if args.get("unit") else None,
        owner=get_unit(session, args["owner"]) if args.get("owner") else None,
        depot=get_depot(session, args["depot"]) if args.get("depot") else None,
        item=get_item(session, args["item"]) if args.get("item") else None,
        lot=lot, category=args.get("category"),
        expiring_within_days=args.get("expiring_within_days"), search=args.get("q", ""))


def lot_history(session: Session, user: User, lot: Lot) -> sa.Select:
    """The lot's ledger, newest first, limited to movements touching the user's area (a
    query: the lot page shows it a page at a time, however long it grows)."""
    stmt = sa.select(Movement).where(Movement.lot_id == lot.id)
    if access.scope_path(user) is not None:
        depots = sa.select(Depot.id).join(Unit, Depot.unit_id == Unit.id).where(
            access.unit_filter(user))
        owners = access.visible_unit_ids(session, user)
        stmt = stmt.where(sa.or_(Movement.from_depot_id.in_(depots), Movement.to_depot_id.in_(depots),
                                 Movement.from_owner_id.in_(owners), Movement.to_owner_id.in_(owners),
                                 Movement.from_depot_id.is_(None) & Movement.to_depot_id.is_(None)))
    return stmt.order_by(Movement.created_at.desc(), Movement.id.desc())


def reversed_ids(session: Session, lot: Lot) -> set[int]:
    """Ids of the lot's movements that a reversal has already undone."""
    return set(session.scalars(sa.select(Movement.reverses_id).where(
        Movement.lot_id == lot.id, Movement.reverses_id.is_not(None))))


def visible_depots(session: Session, user: User) -> list[Depot]:
    """Depots in the user's area, by code (for filters and pickers)."""
    return list(session.scalars(sa.select(Depot).join(Depot.unit)
                                .where(access.unit_filter(user)).order_by(Depot.code)))


def all_depots(session: Session) -> list[Depot]:
    """Every active depot (transfer destinations may lie outside the user's area)."""
    return list(session.scalars(sa.select(Depot).where(Depot.is_active).order_by(Depot.code)))
