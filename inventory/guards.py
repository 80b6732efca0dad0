"""Input guards every request passes before any view runs.

They turn hostile or malformed input into plain 4xx answers up front, so no view has to
remember them: an oversized body is a 413 even where the view never reads it; a NUL
character (which PostgreSQL refuses in text) is a 404 in a path and a 422 in a query or
form field; `<int:...>` path parts larger than a database integer do not match (404).
"""
from __future__ import annotations

from flask import Flask, current_app, request
from marshmallow import ValidationError
from werkzeug.exceptions import NotFound, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from inventory.i18n import Template
from inventory.services.errors import N_

DATABASE_INT_MAX = 2**31 - 1
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
NOT_ALLOWED = N_("Contains a character that is not allowed.")


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>`: whole numbers that fit the database's integer ids."""

    def __init__(self, map, fixed_digits: int = 0, min=None, max=None, signed: bool = False):
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=DATABASE_INT_MAX if max is None else max, signed=signed)


def refuse_malformed_request() -> None:
    """before_request: size limit for every body, no NUL in paths, queries or forms."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    if "\x00" in request.path:
        raise NotFound()
    # Only form bodies are parsed here: touching `request.form` of a JSON request (every
    # scan and booking) costs a parser set-up for nothing.
    # Nor is an empty query string parsed (a booking has none).
    sources = (request.args,) if request.query_string else ()
    if request.mimetype in FORM_TYPES:
        sources += (request.form,)
    bad = sorted({key for source in sources
                  for key, value in source.items(multi=True) if "\x00" in key + value})
    if bad:
        raise ValidationError({key.replace("\x00", "") or "_schema": [Template(NOT_ALLOWED).format()]
                               for key in bad})


def init_app(app: Flask) -> None:
    """Install the converter (before any route is added) and the guard."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(refuse_malformed_request)
