"""The catalogue (物资目录): list with search and category filter, create and edit."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, request, render_template, url_for

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import Category, Item, utcnow
from inventory.schemas.common import PageArgs, form_data
from inventory.schemas.items import ItemEditIn, ItemIn
from inventory.services import catalog
from inventory.services.access import Permission
from inventory.services.errors import N_
from inventory.services.pagination import paginate
from inventory.services.queries import text_search
from inventory.web import bp
from inventory.web.forms import render_form, try_submit

ITEM_CHECKBOXES = ("critical", "is_active")


@bp.get("/items")
@permission_required(Permission.VIEW)
def item_list():
    paging = PageArgs().load({k: v for k, v in request.args.items() if k in ("page", "per_page")})
    stmt = sa.select(Item).order_by(Item.code)
    search = request.args.get("q", "").strip()
    if search:
        stmt = stmt.where(text_search(search, Item.code, Item.name, Item.name_en))
    category = request.args.get("category")
    if category in {c.value for c in Category}:
        stmt = stmt.where(Item.category == Category(category))
    page = paginate(db.session, stmt, **paging)
    return render_template("items/list.html", page=page, q=search, category=category)


def _save_item(form: dict, item: Item | None) -> Item:
    if item is None:
        return catalog.create_item(db.session, now=utcnow(), actor=current_actor(),
                                   **ItemIn().load(form))
    return catalog.update_item(db.session, item, actor=current_actor(), now=utcnow(),
                               **ItemEditIn().load(form))


@bp.route("/admin/items/new", methods=["GET", "POST"])
@bp.route("/admin/items/<code>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_CATALOGUE)
def item_form(code: str | None = None):
    item = catalog.get_item(db.session, code) if code else None
    if request.method == "POST":
        boxes = ITEM_CHECKBOXES if item else ITEM_CHECKBOXES[:1]
        form = form_data(request.form, checkboxes=boxes)
        saved, errors = try_submit(lambda: _save_item(form, item))
        if saved is not None:
            db.session.commit()
            flash(translate(N_("Item %(code)s saved."), code=saved.code), "success")
            return redirect(url_for("web.item_list", q=saved.code))
    else:
        errors = {}
        form = {"category": "other", "pack_size": 1, "per_person": 0} if item is None else {
            "code": item.code, "name": item.name, "name_en": item.name_en,
            "unit": item.unit_of_measure, "category": item.category.value,
            "per_person": item.per_person.normalize(), "critical": item.critical,
            "per_person_cold": item.per_person_cold, "shelf_life_days": item.shelf_life_days,
            "pack_size": item.pack_size, "is_active": item.is_active}
    return render_form("items/form.html", form, errors, item=item)
