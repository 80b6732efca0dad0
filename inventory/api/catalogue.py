"""Units, depots and the item catalogue: list and create."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from inventory.api import bp
from inventory.api.common import args, dump_page, json_body, paging
from inventory.api.spec import documented
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.models import Depot, Item, Unit, utcnow
from inventory.schemas.common import PageArgs, page_schema
from inventory.schemas.items import ItemIn, ItemOut
from inventory.schemas.units import DepotIn, DepotOut, UnitIn, UnitOut
from inventory.services import access, catalog, units
from inventory.services.access import Permission
from inventory.services.errors import N_, Forbidden
from inventory.services.pagination import paginate


@bp.get("/units")
@documented("List units in your area", "units", query=PageArgs, response=page_schema(UnitOut))
@permission_required(Permission.VIEW)
def units_list():
    stmt = sa.select(Unit).where(access.unit_filter(current_actor())).order_by(Unit.path)
    return dump_page(paginate(db.session, stmt, **paging(args(PageArgs()))), UnitOut())


@bp.post("/units")
@documented("Create a unit", "units", body=UnitIn, response=UnitOut, status=201)
@permission_required(Permission.MANAGE_CATALOGUE)
def units_create():
    data = UnitIn().load(json_body())
    parent_code = data.pop("parent_code", None)
    actor = current_actor()
    if parent_code:
        parent = access.require_unit(actor, units.get_unit(db.session, parent_code))
    elif access.scope_path(actor) is not None:
        raise Forbidden(N_("Only users without a unit scope can create a top-level unit."))
    else:
        parent = None
    unit = units.create_unit(db.session, parent=parent, tiers=current_app.config["TIERS"],
                             now=utcnow(), actor=actor, **data)
    db.session.commit()
    return UnitOut().dump(unit), 201


@bp.get("/depots")
@documented("List depots in your area", "depots", query=PageArgs, response=page_schema(DepotOut))
@permission_required(Permission.VIEW)
def depots_list():
    stmt = (sa.select(Depot).join(Depot.unit).where(access.unit_filter(current_actor()))
            .order_by(Depot.code))
    return dump_page(paginate(db.session, stmt, **paging(args(PageArgs()))), DepotOut())


@bp.post("/depots")
@documented("Create a depot", "depots", body=DepotIn, response=DepotOut, status=201)
@permission_required(Permission.MANAGE_CATALOGUE)
def depots_create():
    data = DepotIn().load(json_body())
    unit = access.require_unit(current_actor(), units.get_unit(db.session, data.pop("unit_code")))
    depot = units.create_depot(db.session, unit=unit, now=utcnow(), actor=current_actor(), **data)
    db.session.commit()
    return DepotOut().dump(depot), 201


@bp.get("/items")
@documented("List the catalogue", "items", query=PageArgs, response=page_schema(ItemOut))
@permission_required(Permission.VIEW)
def items_list():
    stmt = sa.select(Item).order_by(Item.code)
    return dump_page(paginate(db.session, stmt, **paging(args(PageArgs()))), ItemOut())


@bp.post("/items")
@documented("Create a catalogue item", "items", body=ItemIn, response=ItemOut, status=201)
@permission_required(Permission.MANAGE_CATALOGUE)
def items_create():
    item = catalog.create_item(db.session, now=utcnow(), actor=current_actor(),
                               **ItemIn().load(json_body()))
    db.session.commit()
    return ItemOut().dump(item), 201
