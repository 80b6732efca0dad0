"""Administration of users and their API tokens, and the audit log."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for

from inventory import audit_text
from inventory.auth import current_actor, permission_required
from inventory.extensions import db
from inventory.i18n import translate
from inventory.models import ApiToken, User, utcnow
from inventory.schemas.common import form_data
from inventory.schemas.users import AuditArgs, TokenIn, UserEditIn, UserIn
from inventory.services import access, stock, units, users
from inventory.services.access import Permission
from inventory.services.errors import N_, field_error
from inventory.services.pagination import paginate
from inventory.web import bp
from inventory.web.forms import filter_args, page_args, render_form, try_submit


@bp.get("/admin/users")
@permission_required(Permission.MANAGE_USERS)
def user_list():
    """The users the administrator may manage (its area), searchable by name."""
    q = request.args.get("q", "").strip()[:100]
    stmt = users.user_query(db.session, actor=current_actor(), q=q)
    page = paginate(db.session, stmt, **page_args())
    return render_template("admin/users.html", page=page, q=q)


def _scope_unit(actor: User, unit_code: str | None):
    """The unit a user is limited to: one in the actor's area; none (everywhere) only when
    the actor itself acts everywhere, so an administrator cannot widen anyone's reach."""
    if unit_code:
        return access.require_unit(actor, units.get_unit(db.session, unit_code))
    if access.scope_path(actor) is not None:
        raise field_error("unit_code", N_("Choose a unit in your area."))
    return None


def _save_user(form: dict, user: User | None) -> User:
    actor = current_actor()
    if user is None:
        args = UserIn().load(form)
        unit = _scope_unit(actor, args.pop("unit_code", None))
        return users.create_user(db.session, unit=unit, now=utcnow(), actor=actor, **args)
    args = UserEditIn().load(form)
    unit = _scope_unit(actor, args.pop("unit_code", None))
    return users.update_user(db.session, user, actor=actor, now=utcnow(), unit=unit, **args)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@bp.route("/admin/users/<username>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def user_form(username: str | None = None):
    user = users.get_user(db.session, username, actor=current_actor()) if username else None
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
    user = users.get_user(db.session, username, actor=current_actor())
    name = TokenIn().load({"name": request.form.get("name", "").strip()})["name"]
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
    """Who did what and when: sign-ins (failed ones too), role changes, administrative edits."""
    raw = {k: v for k, v in request.args.items() if v.strip()}
    args, errors = filter_args(AuditArgs(), raw)
    paging = {"page": args.pop("page"), "per_page": args.pop("per_page")}
    for key, days in (("since", 0), ("until", 1)):  # whole days in the app's time zone
        if args.get(key):
            args[key] = local_day_start(args[key] + timedelta(days=days),
                                        current_app.config["TIMEZONE"])
    page = paginate(db.session, users.audit_query(db.session, viewer=current_actor(), **args),
                    **paging)
    return render_template("admin/audit.html", page=page, args=raw, errors=errors,
                           actions=audit_text.filter_choices()), 422 if errors else 200


# The audit log in the reader's language (inventory/audit_text.py).
bp.add_app_template_global(audit_text.action_label, "audit_action")
bp.add_app_template_global(audit_text.audit_detail, "audit_detail")
bp.add_app_template_global(audit_text.audit_subject, "audit_subject")
bp.add_app_template_global(audit_text.field_name, "audit_field")


def local_day_start(day: date, zone: str) -> datetime:
    """Midnight of `day` in time zone `zone`, in UTC (stored times are UTC; SQLite compares
    them as text, so the bound value must be UTC too)."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)
