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
from werkzeug.routing import AnyConverter, Rule
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
    content_type: str | tuple[str, ...] = "application/json"  # several: the same `response`
    error_content_type: str = "application/problem+json"  # "text/html" for a page
    # A page: a request without credentials is sent to the sign-in page (302), not refused.
    sign_in_redirect: bool = False


def documented(summary: str, tag: str, **kw: Any) -> Callable:
    """Attach OpenAPI metadata to a view (put it above the route decorators' view)."""
    def decorator(view: Callable) -> Callable:
        view._doc = Doc(summary=summary, tag=tag, **kw)  # type: ignore[attr-defined]
        return view
    return decorator


def _path_parameter(name: str, converter: Any) -> dict[str, Any]:
    if isinstance(converter, AnyConverter):  # <any(svg, png):fmt>
        schema: dict[str, Any] = {"type": "string", "enum": sorted(converter.items)}
    else:
        schema = {"type": "string", "pattern": r"^[A-Za-z0-9._-]{1,64}$"}
    return {"in": "path", "name": name, "required": True, "schema": schema}


def _operation(spec: APISpec, doc: Doc, rule: Rule) -> dict[str, Any]:
    parameters: list[Any] = [_path_parameter(name, rule._converters.get(name))
                             for name in sorted(rule.arguments)]
    if doc.query is not None:
        parameters.append({"in": "query", "schema": doc.query})
    types = (doc.content_type,) if isinstance(doc.content_type, str) else doc.content_type
    success = ({kind: {"schema": doc.response} for kind in types}
               if doc.response is not None else None)
    failure = {doc.error_content_type: {"schema": "Problem" if doc.error_content_type
                                        == "application/problem+json" else {"type": "string"}}}
    responses: dict[str, Any] = {}
    for status, text in {str(doc.status): "OK", **ERROR_STATUSES, **doc.extra_statuses}.items():
        content = success if status.startswith("2") else None if status.startswith("3") \
            else failure
        responses[status] = {"description": text, **({"content": content} if content else {})}
    operation: dict[str, Any] = {"summary": doc.summary, "tags": [doc.tag],
                                 "parameters": parameters, "responses": responses}
    if doc.sign_in_redirect:
        responses["302"] = {"description": "No credentials: to the sign-in page"}
        operation["security"] = [{"bearer": []}, {}]
    if doc.body is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": doc.body}}}
    return operation


def build_spec(app: Flask) -> dict[str, Any]:
    """The OpenAPI document for every documented route: /api/v1 and the label images."""
    spec = APISpec(title="Emergency Reserve Inventory API", version=__version__,
                   openapi_version="3.0.3", plugins=[MarshmallowPlugin()],
                   servers=[{"url": "/"}],
                   components={"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
                   security=[{"bearer": []}])
    spec.components.schema("Problem", schema=ProblemSchema)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        doc = getattr(app.view_functions[rule.endpoint], "_doc", None)
        if doc is None:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        spec.path(path=path, operations={
            method.lower(): _operation(spec, doc, rule) for method in methods})
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
