"""Helpers shared by the API views: JSON bodies, query arguments and list envelopes."""
from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema
from werkzeug.exceptions import BadRequest

from inventory.schemas.common import query_args
from inventory.services.pagination import Page


def json_body() -> Any:
    """The request's JSON (415 if not JSON, 400 if malformed), for a schema to validate."""
    data = request.get_json()
    if data is None:
        raise BadRequest()
    return data


def args(schema: Schema) -> dict[str, Any]:
    """Query-string arguments validated by `schema` (unknown arguments are a 422)."""
    return query_args(request.args, schema)


def paging(values: dict[str, Any]) -> dict[str, int]:
    """Split page/per_page off validated arguments."""
    return {"page": values.pop("page"), "per_page": values.pop("per_page")}


def dump_page(page: Page, schema: Schema) -> dict[str, Any]:
    """The list envelope of contract.md."""
    return {"items": schema.dump(page.items, many=True), "page": page.page,
            "per_page": page.per_page, "total": page.total}
