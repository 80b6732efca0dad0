"""Authentication (session or bearer token) and the permission guard for views.

Every view requires a signed-in user unless its endpoint is listed in PUBLIC_ENDPOINTS;
`permission_required` adds the role check, and services check unit scope.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, current_app, g, has_request_context, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import Unauthorized
from wtforms.validators import ValidationError as WTFValidationError

from inventory.errors import wants_json
from inventory.extensions import db, login_manager
from inventory.models import User
from inventory.services import access, users
from inventory.services.access import Permission

PUBLIC_ENDPOINTS = {"static", "web.login", "web.set_language", "health", "api.openapi",
                    "web.problem_type", "web.service_worker"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class SessionInterface(SecureCookieSessionInterface):
    """Session cookies are Secure whenever the request arrived over HTTPS ("auto").

    A request without a session cookie (an API client with a bearer token, a scanner)
    gets an empty session without building the cookie signer, and an empty session
    that nobody changed is not saved: Flask does both work on every request otherwise.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = str(app.config.get("SECURE_COOKIES", "auto")).lower()
        if setting == "auto":
            return has_request_context() and request.is_secure
        return setting in ("1", "true", "yes", "on")

    def open_session(self, app: Flask, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        # A static file never changes the session, nor depends on it. Refreshing the cookie
        # from one would let a slow one (a favicon still loading while the next page is
        # requested) put back the session as it was before that page changed it (e.g. the
        # language chosen there); and a `Vary: Cookie` on it would make a phone fetch every
        # file again after signing in. (A flag on the answer, not `request.endpoint`: this
        # runs for every request, bookings too, and the flag costs no context lookup.)
        if not session.modified and getattr(response, "static_file", False):
            return
        if not session and not session.modified:
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    user_id, _, version = user_key.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or str(user.session_version) != version or not user.is_active:
        return None
    g.auth_method = "session"
    return user


@login_manager.request_loader
def load_user_from_token(req) -> User | None:
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    user = users.user_for_token(db.session, token.strip(),
                                cache_seconds=float(current_app.config["TOKEN_CACHE_SECONDS"]))
    if user is not None:
        g.auth_method = "token"
    return user


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        raise Unauthorized()
    return redirect(url_for("web.login", next=request.full_path.rstrip("?")))


def require_login() -> None | object:
    """before_request guard: sign-in for every non-public endpoint, CSRF for cookie API calls."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if (request.method in UNSAFE_METHODS and wants_json()
            and g.get("auth_method") == "session"
            and current_app.config.get("WTF_CSRF_ENABLED", True)):
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except WTFValidationError as error:
            raise CSRFError(str(error)) from error
    return None


def permission_required(permission: Permission) -> Callable:
    """Decorator: the signed-in user's role must grant `permission` (403 otherwise)."""
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            access.require(current_user, permission)
            return view(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped
    return decorator


def current_actor() -> User | None:
    """The signed-in user as a model instance (None outside a request)."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def remote_addr() -> str:
    return request.remote_addr or ""


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    login_manager.login_view = "web.login"
    login_manager.session_protection = "basic"
    app.before_request(require_login)
    app.after_request(_security_headers)


# Set on every response unless a view set its own; built once, added in one pass.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy",
     "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
     "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
     "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")


def _security_headers(response):
    present = {key.lower() for key in response.headers.keys()}
    wanted = SECURITY_HEADERS + ((HSTS,) if request.is_secure else ())
    response.headers.extend([(key, value) for key, value in wanted
                             if key.lower() not in present])
    return response
