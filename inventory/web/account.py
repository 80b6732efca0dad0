"""Sign-in, sign-out, language switch and the user's own password."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from inventory.auth import current_actor, remote_addr
from inventory.extensions import db
from inventory.i18n import supported_locales, translate
from inventory.models import utcnow
from inventory.schemas.common import form_data
from inventory.schemas.users import LoginIn, PasswordIn
from inventory.services import users
from inventory.services.errors import N_, Throttled, field_error
from inventory.web import bp
from inventory.web.forms import render_form, try_submit


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("web.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = form_data(request.form) if request.method == "POST" else {
        "next": request.args.get("next")}
    errors: dict = {}
    if request.method == "POST":
        try:
            user, errors = try_submit(lambda: _authenticate(form))
        except Throttled as error:
            db.session.commit()  # keep the audit record of the throttled attempt
            errors = {"_schema": [translate(error.message, **error.params)]}
            return render_form("auth/login.html", form, errors)[0], 429
        db.session.commit()  # the attempt is audited either way (throttling counts failures)
        if user is not None:
            session.clear()
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(form.get("next")))
        if not errors:
            errors = {"password": [translate(N_("Wrong user name or password."))]}
    return render_form("auth/login.html", form, errors)


def _authenticate(form: dict):
    args = LoginIn().load(form)
    user = users.authenticate(
        db.session, username=args["username"], password=args["password"], now=utcnow(),
        remote_addr=remote_addr(), max_failures=int(current_app.config["LOGIN_MAX_FAILURES"]),
        window_seconds=int(current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]))
    return user


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("web.login"))


@bp.get("/lang/<code>")
def set_language(code: str):
    """Switch language; remembered on the user when signed in, in the session before."""
    if code in supported_locales():
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = form_data(request.form) if request.method == "POST" else {}
    errors: dict = {}
    if request.method == "POST":
        _, errors = try_submit(lambda: _change_password(form))
        if not errors:
            db.session.commit()
            login_user(current_actor())  # the session version changed; stay signed in here
            flash(translate(N_("Password changed.")), "success")
            return redirect(url_for("web.home"))
    return render_form("auth/password.html", form, errors)


def _change_password(form: dict) -> None:
    args = PasswordIn().load(form)
    user = current_actor()
    if not users.verify_password(user, args["current_password"]):
        raise field_error("current_password", N_("The current password is wrong."))
    users.update_user(db.session, user, actor=user, now=utcnow(), password=args["new_password"])


@bp.get("/problems/<slug>")
def problem_type(slug: str):
    """Human-readable description of an API problem type (the `type` URI points here)."""
    return render_template("errors/problem_type.html", slug=slug)
