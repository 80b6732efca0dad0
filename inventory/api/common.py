"""Helpers shared by the API views: JSON bodies, query arguments and list envelopes."""
from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import BadRequest

from inventory.guards import NOT_ALLOWED
from inventory.i18n import Template
from inventory.schemas.common import query_args
from inventory.services.pagination import Page


def json_body() -> Any:
    """The request's JSON (415 if not JSON, 400 if malformed or absurdly nested), for a
    schema to validate; text with a NUL character is refused (422) before any schema."""
    try:
        data = request.get_json()
    except RecursionError as error:  # thousands of nested brackets: not a booking
        raise BadRequest() from error
    if data is None:
        raise BadRequest()
    bad = sorted({key.replace("\x00", "") for key, text in _strings(data) if "\x00" in text})
    if bad:
        raise ValidationError({key: [Template(NOT_ALLOWED).format()] for key in bad})
    return data


def _strings(data: Any):
    """(top-level field, text) for every string in a JSON document, keys included.

    Iterative: the document may be nested almost to the parser's limit."""
    stack = [("_schema", data, True)]
    while stack:
        top, value, root = stack.pop()
        if isinstance(value, str):
            yield top, value
        elif isinstance(value, dict):
            for name, item in value.items():
                field = str(name) if root else top
                yield field, str(name)
                stack.append((field, item, False))
        elif isinstance(value, list):
            stack.extend((top, item, False) for item in value)


def args(schema: Schema) -> dict[str, Any]:
    """Query-string arguments validated by `schema` (unknown arguments are a 422)."""
    return query_args(request.args, schema)


def paging(values: dict[str, Any]) -> dict[str, int]:
    """Split page/per_page off validated arguments."""
    return {"page": values.pop("page"), "per_page": values.pop("per_page")}


def dump_page(page: Page, schema: Schema) -> dict[str, Any]:
    """The list envelope of contract.md (a page past the last one is empty)."""
    page = page.as_asked()
    return {"items": schema.dump(page.items, many=True), "page": page.page,
            "per_page": page.per_page, "total": page.total}
