"""Administration of users and their API tokens, and the audit log."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for

from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import ApiToken, AuditEvent, User, utcnow
from inventory.schemas.common import PageArgs, form_data
from inventory.schemas.users import UserEditIn, UserIn
from inventory.services import access, stock, units, users
from inventory.services.access import Permission
from inventory.services.errors import N_
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.forms import render_form, try_submit


def _page_args() -> dict:
    return PageArgs().load({k: v for k, v in request.args.items() if k in ("page", "per_page")})


@bp.get("/admin/users")
@permission_required(Permission.MANAGE_USERS)
def user_list():
    page = paginate(db.session, sa.select(User).order_by(User.username), **_page_args())
    return render_template("admin/users.html", page=page)


def _save_user(form: dict, user: User | None) -> User:
    actor = current_actor()
    if user is None:
        args = UserIn().load(form)
        unit_code = args.pop("unit_code", None)
        unit = access.require_unit(actor, units.get_unit(db.session, unit_code)) if unit_code \
            else None
        return users.create_user(db.session, unit=unit, now=utcnow(), actor=actor, **args)
    args = UserEditIn().load(form)
    unit_code = args.pop("unit_code", None)
    unit = units.get_unit(db.session, unit_code) if unit_code else None
    return users.update_user(db.session, user, actor=actor, now=utcnow(), unit=unit, **args)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@bp.route("/admin/users/<username>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def user_form(username: str | None = None):
    user = users.get_user(db.session, username) if username else None
    if request.method == "POST":
        form = form_data(request.form, checkboxes=("is_active",) if user else ())
        saved, errors = try_submit(lambda: _save_user(form, user))
        if saved is not None:
            db.session.commit()
            flash(translate(N_("User %(name)s saved."), name=saved.username), "success")
            return redirect(url_for("web.user_list"))
    else:
        errors = {}
        form = {"role": "keeper"} if user is None else {
            "username": user.username, "display_name": user.display_name,
            "role": user.role.value, "unit_code": user.unit.code if user.unit else None,
            "is_active": user.is_active_user}
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.id.desc())).all() if user else []
    return render_form("admin/user_form.html", form, errors, user=user, tokens=tokens,
                       units=stock.unit_tree(db.session, current_actor()))


@bp.post("/admin/users/<username>/tokens")
@permission_required(Permission.MANAGE_USERS)
def token_create(username: str):
    user = users.get_user(db.session, username)
    name = request.form.get("name", "").strip()[:100]
    token = users.create_token(db.session, user=user, now=utcnow(), name=name,
                               actor=current_actor())
    db.session.commit()
    return render_template("admin/token_created.html", user=user, token=token)


@bp.post("/admin/tokens/<int:token_id>/revoke")
@permission_required(Permission.MANAGE_USERS)
def token_revoke(token_id: int):
    token = users.revoke_token(db.session, token_id=token_id, actor=current_actor(), now=utcnow())
    db.session.commit()
    flash(translate(N_("Token revoked.")), "success")
    return redirect(url_for("web.user_form", username=token.user.username))


@bp.get("/admin/audit")
@permission_required(Permission.MANAGE_USERS)
def audit_log():
    stmt = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    action = request.args.get("action", "").strip()
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action))
    return render_template("admin/audit.html", page=paginate(db.session, stmt, **_page_args()),
                           action=action)
