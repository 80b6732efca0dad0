"""Endpoint documentation: `@documented` records what a view takes and returns, and
`build_spec` turns those records into the OpenAPI 3 document at /api/v1/openapi.json."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema

from inventory import __version__
from inventory.schemas.common import ProblemSchema

ERROR_STATUSES = {"400": "Bad request", "401": "No or invalid token",
                  "403": "Role or unit scope does not allow this", "404": "Not found",
                  "409": "Conflict with the current state", "415": "Not JSON",
                  "422": "Validation error, fields named in `errors`"}


@dataclass
class Doc:
    summary: str
    tag: str
    query: type[Schema] | None = None
    body: type[Schema] | None = None
    response: type[Schema] | Schema | None = None
    status: int = 200
    extra_statuses: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


def documented(summary: str, tag: str, **kw: Any) -> Callable:
    """Attach OpenAPI metadata to a view (put it above the route decorators' view)."""
    def decorator(view: Callable) -> Callable:
        view._doc = Doc(summary=summary, tag=tag, **kw)  # type: ignore[attr-defined]
        return view
    return decorator


def _operation(spec: APISpec, doc: Doc, path_params: list[str]) -> dict[str, Any]:
    parameters: list[Any] = [{"in": "path", "name": name, "required": True,
                              "schema": {"type": "string", "pattern": r"^[A-Za-z0-9._-]{1,64}$"}}
                             for name in path_params]
    if doc.query is not None:
        parameters.append({"in": "query", "schema": doc.query})
    responses: dict[str, Any] = {str(doc.status): {"description": "OK"}}
    if doc.response is not None:
        responses[str(doc.status)]["content"] = {doc.content_type: {"schema": doc.response}}
    problem = {"application/problem+json": {"schema": "Problem"}}
    for status, text in {**ERROR_STATUSES, **doc.extra_statuses}.items():
        responses[status] = {"description": text, "content": problem}
    operation: dict[str, Any] = {"summary": doc.summary, "tags": [doc.tag],
                                 "parameters": parameters, "responses": responses}
    if doc.body is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": doc.body}}}
    return operation


def build_spec(app: Flask) -> dict[str, Any]:
    """The OpenAPI document for every documented /api/v1 route."""
    spec = APISpec(title="Emergency Reserve Inventory API", version=__version__,
                   openapi_version="3.0.3", plugins=[MarshmallowPlugin()],
                   servers=[{"url": "/"}],
                   components={"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
                   security=[{"bearer": []}])
    spec.components.schema("Problem", schema=ProblemSchema)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        doc = getattr(app.view_functions[rule.endpoint], "_doc", None)
        if doc is None or not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        spec.path(path=path, operations={
            method.lower(): _operation(spec, doc, list(rule.arguments)) for method in methods})
    document = _plain_numbers(spec.to_dict())
    _allow_empty_query_values(document)
    return document


def _allow_empty_query_values(document: dict[str, Any]) -> None:
    """Say what the API does: a blank query argument (`?unit=`) counts as not given."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True


def _plain_numbers(value: Any) -> Any:
    """Decimal bounds and defaults (from Decimal fields) as JSON numbers, not strings."""
    if isinstance(value, dict):
        return {key: _plain_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_numbers(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
