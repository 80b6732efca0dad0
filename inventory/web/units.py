"""The unit tree with stock per unit and depot, and the forms to create and edit both."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import Unit, utcnow
from inventory.schemas.common import form_data
from inventory.schemas.units import (DepotEditIn, DepotIn, StorageLocationEditIn,
                                    StorageLocationIn, UnitEditIn, UnitIn)
from inventory.services import access, alerts, stock, units
from inventory.services import unit_tree as unit_tree_service
from inventory.services.access import Permission
from inventory.services.errors import N_, field_error
from inventory.web import bp
from inventory.services.pagination import paginate
from inventory.web.forms import page_args, render_form, try_submit


@bp.get("/units")
@permission_required(Permission.VIEW)
def unit_tree():
    """A few tiers of the tree below `?root=CODE` (default: the top of the user's area), or
    the units matching `?q=` (code or name), a page at a time."""
    user = current_actor()
    q = request.args.get("q", "").strip()[:100]
    found = paginate(db.session, unit_tree_service.search(user, q), **page_args()) if q \
        else None
    root_code = request.args.get("root", "").strip()
    view = None if q else unit_tree_service.tree_view(
        db.session, user, root=units.get_unit(db.session, root_code) if root_code else None)
    shown = found.items if found else view.units
    return render_template("units/tree.html", view=view, found=found, q=q,
                           units=view.units if view else [],
                           depot_totals=stock.pieces_by_depot(db.session, user),
                           base_depth=min((u.depth for u in shown), default=0))


def _parent(code: str | None) -> Unit | None:
    if not code:
        if access.scope_path(current_actor()) is not None:
            raise field_error("parent_code", N_("Choose a parent unit in your area."))
        return None
    parent = units.get_unit(db.session, code)
    return access.require_unit(current_actor(), parent)


def _save_unit(form: dict, unit: Unit | None) -> Unit:
    tiers = current_app.config["TIERS"]
    if unit is None:
        args = UnitIn().load(form)
        parent = _parent(args.pop("parent_code", None))
        return units.create_unit(db.session, parent=parent, tiers=tiers, now=utcnow(),
                                 actor=current_actor(), **args)
    args = UnitEditIn().load(form)
    parent_code = args.pop("parent_code", None)
    unchanged = parent_code == (unit.parent.code if unit.parent else None)
    parent = False if unchanged else _parent(parent_code)
    return units.update_unit(db.session, unit, tiers=tiers, parent=parent, actor=current_actor(),
                             now=utcnow(), **args)


@bp.route("/admin/units/new", methods=["GET", "POST"])
@bp.route("/admin/units/<code>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CATALOGUE)
def unit_form(code: str | None = None):
    unit = access.require_unit(current_actor(), units.get_unit(db.session, code)) if code else None
    if request.method == "POST":
        form = form_data(request.form)
        saved, errors = try_submit(lambda: _save_unit(form, unit))
        if saved is not None:
            alerts.mark_stale(db.session)
            db.session.commit()
            flash(translate(N_("Unit %(code)s saved."), code=saved.code), "success")
            return redirect(url_for("web.unit_tree"))
    else:
        form, errors = _unit_values(unit), {}
    parents = stock.unit_tree(db.session, current_actor())
    if unit is not None and unit.parent is not None and unit.parent not in parents:
        # A user scoped to this unit keeps its parent (outside their area) when saving targets.
        parents = [unit.parent, *parents]
    return render_form("units/form.html", form, errors, unit=unit, parents=parents)


def _unit_values(unit: Unit | None) -> dict:
    if unit is None:
        return {"parent_code": request.args.get("parent"), "target_people": 15000,
                "horizon_hours": 8, "resident_share_target": "0.1",
                "preposition_target": "0.3333", "agreement_base_target": 2}
    return {key: getattr(unit, key) for key in (
        "code", "name", "tier", "population", "target_people", "horizon_hours",
        "resident_share_target", "preposition_target", "agreement_base_target")} | {
        "parent_code": unit.parent.code if unit.parent else None}


def _save_depot(form: dict, code: str | None):
    user = current_actor()
    if code is None:
        args = DepotIn().load(form)
        unit = access.require_unit(user, units.get_unit(db.session, args.pop("unit_code")))
        return units.create_depot(db.session, unit=unit, now=utcnow(), actor=user, **args)
    depot = access.require_depot(user, units.get_depot(db.session, code))
    args = DepotEditIn().load(form)
    unit = access.require_unit(user, units.get_unit(db.session, args.pop("unit_code")))
    return units.update_depot(db.session, depot, unit=unit, actor=user, now=utcnow(), **args)


@bp.route("/admin/depots/new", methods=["GET", "POST"])
@bp.route("/admin/depots/<code>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CATALOGUE)
def depot_form(code: str | None = None):
    depot = access.require_depot(current_actor(), units.get_depot(db.session, code)) if code \
        else None
    if request.method == "POST":
        form = form_data(request.form, checkboxes=("is_active",) if code else ())
        saved, errors = try_submit(lambda: _save_depot(form, code))
        if saved is not None:
            db.session.commit()
            flash(translate(N_("Depot %(code)s saved."), code=saved.code), "success")
            return redirect(url_for("web.unit_tree"))
    else:
        errors = {}
        form = ({"unit_code": request.args.get("unit"), "kind": "depot"} if depot is None else
                {"code": depot.code, "name": depot.name, "unit_code": depot.unit.code,
                 "kind": depot.kind.value, "address": depot.address, "contact": depot.contact,
                 "is_active": depot.is_active})
    return render_form("units/depot_form.html", form, errors, depot=depot,
                       units=stock.unit_tree(db.session, current_actor()))


@bp.post("/admin/depots/<code>/locations")
@permission_required(Permission.MANAGE_CATALOGUE)
def storage_location_add(code: str):
    depot = access.require_depot(current_actor(), units.get_depot(db.session, code))
    form = form_data(request.form)
    location, errors = try_submit(lambda: units.add_storage_location(
        db.session, depot=depot, now=utcnow(), actor=current_actor(),
        **StorageLocationIn().load(form)))
    if location is not None:
        db.session.commit()
        flash(translate(N_("Storage location %(code)s added."), code=location.code), "success")
    else:
        flash(" ".join(translate(N_("%(field)s: %(value)s"), value=" ".join(msgs),
                                 field=translate(LOCATION_FIELDS.get(name, name)))
                       for name, msgs in errors.items()), "error")
    return redirect(url_for("web.depot_form", code=code))


LOCATION_FIELDS = {"code": N_("Code"), "name": N_("Name")}


@bp.post("/admin/depots/<code>/locations/<location_code>/edit")
@permission_required(Permission.MANAGE_CATALOGUE)
def storage_location_edit(code: str, location_code: str):
    """Rename a storage location (the code stays: labels may print it)."""
    depot = access.require_depot(current_actor(), units.get_depot(db.session, code))
    location = units.get_storage_location(db.session, depot, location_code)
    name = StorageLocationEditIn().load(form_data(request.form))["name"]
    units.rename_storage_location(db.session, location, name=name, now=utcnow(),
                                  actor=current_actor())
    db.session.commit()
    flash(translate(N_("Storage location %(code)s saved."), code=location.code), "success")
    return redirect(url_for("web.depot_form", code=code))


@bp.post("/admin/depots/<code>/locations/<location_code>/remove")
@permission_required(Permission.MANAGE_CATALOGUE)
def storage_location_remove(code: str, location_code: str):
    depot = access.require_depot(current_actor(), units.get_depot(db.session, code))
    location = units.get_storage_location(db.session, depot, location_code)
    units.remove_storage_location(db.session, location, now=utcnow(), actor=current_actor())
    db.session.commit()
    flash(translate(N_("Storage location %(code)s removed."), code=location_code), "success")
    return redirect(url_for("web.depot_form", code=code))
