"""Map every error once: problem+json (RFC 9457) under /api/, friendly pages elsewhere."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from inventory.extensions import db
from inventory.i18n import translate, translate_tree
from inventory.services.errors import N_, DomainError, InvalidInput

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
# Paths answered as JSON even though they are not under /api/ (label images are API-like).
JSON_PREFIXES = ("/api/", "/labels/lot/", "/labels/depot/", "/healthz")


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES)


def problem(status: int, title: str, detail: str | None = None, slug: str | None = None,
            **extra: Any):
    """An application/problem+json response."""
    body: dict[str, Any] = {
        "type": f"/problems/{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
        **extra,
    }
    response = current_app.json.response(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    return response


def _page(status: int, title: str, detail: str | None = None, errors: Any = None):
    return render_template("errors/error.html", status=status, title=title, detail=detail,
                           errors=errors), status


def _respond(status: int, title: str, detail: str | None = None, slug: str | None = None,
             **extra: Any):
    if wants_json():
        return problem(status, title, detail, slug, **extra)
    if extra.get("errors"):  # the JSON detail names its `errors` member; a page lists them
        detail = translate(N_("Correct what is listed below and try again."))
    return _page(status, title, detail, extra.get("errors"))


def handle_validation(error: ValidationError):
    db.session.rollback()
    errors = translate_tree(error.messages)
    if not isinstance(errors, dict):
        errors = {"_schema": errors}
    return _respond(422, translate(N_("The input is not valid")),
                    translate(N_("Check the fields named in errors.")), "validation-error",
                    errors=errors)


def handle_domain(error: DomainError):
    db.session.rollback()
    title = translate(error.title)
    detail = translate(error.message, **error.params)
    extra: dict[str, Any] = {}
    if isinstance(error, InvalidInput):
        extra["errors"] = translate_tree(error.errors, error.params)
        detail = translate(N_("Check the fields named in errors."))
    return _respond(error.status, title, detail, error.slug, **extra)


def handle_http(error: HTTPException):
    if isinstance(error, CSRFError):
        return _respond(400, translate(N_("The form has expired")),
                        translate(N_("Reload the page and submit the form again.")), "csrf")
    titles = {
        400: N_("Bad request"), 401: N_("Sign-in required"), 403: N_("Forbidden"),
        404: N_("Not found"), 405: N_("Method not allowed"), 413: N_("The upload is too large"),
        415: N_("Unsupported media type"), 429: N_("Too many requests"),
    }
    status = error.code or 500
    title = translate(titles.get(status, error.name))
    response = make_response(_respond(status, title, title, None))
    if status == 405 and error.valid_methods:  # RFC 9110: a 405 lists what is allowed
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_integrity(error: IntegrityError):
    db.session.rollback()
    log.warning("integrity error: %s", error.orig)
    return _respond(409, translate(N_("Conflict")),
                    translate(N_("The change conflicts with existing data; nothing was saved.")),
                    "conflict")


def handle_data(error: DataError):
    """The database refused a value (too long, out of range) that validation let through."""
    db.session.rollback()
    log.warning("data error: %s", error.orig)
    return _respond(422, translate(N_("The input is not valid")),
                    translate(N_("A value is too long or out of range; nothing was saved.")),
                    "validation-error", errors={})


def handle_operational(error: OperationalError):
    db.session.rollback()
    log.error("database unavailable: %s", error.orig)
    return _respond(503, translate(N_("The database is busy")),
                    translate(N_("Nothing was saved. Try again in a moment.")), "unavailable")


def handle_overflow(error: OverflowError):
    """A number too large for a date, a float or the database: a safety net for input that
    validation missed. Logged with its traceback as an error, since the validation that
    should have refused the value is missing (tests fail on this log line)."""
    db.session.rollback()
    log.error("overflow (unvalidated input?) on %s %s", request.method, request.path,
              exc_info=error)
    return _respond(422, translate(N_("The input is not valid")),
                    translate(N_("A number is too large or out of range; nothing was saved.")),
                    "validation-error", errors={})


def handle_unexpected(error: Exception):
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _respond(500, translate(N_("Internal error")),
                    translate(N_("Something went wrong; nothing was saved.")), "internal")


def register(app: Flask) -> None:
    """Install the handlers at app level (blueprint handlers miss routing 404/405)."""
    app.register_error_handler(ValidationError, handle_validation)
    app.register_error_handler(DomainError, handle_domain)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(IntegrityError, handle_integrity)
    app.register_error_handler(DataError, handle_data)
    app.register_error_handler(OperationalError, handle_operational)
    app.register_error_handler(OverflowError, handle_overflow)
    app.register_error_handler(Exception, handle_unexpected)
