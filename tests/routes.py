"""Walk the app's URL map: every route and method, with a concrete path to request.

Security tests iterate over these instead of a hand-written list, so a route added
later is checked the day it lands.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter, IntegerConverter, PathConverter

from inventory.auth import PUBLIC_ENDPOINTS
from inventory.errors import JSON_PREFIXES

# Endpoints any signed-in user may use whatever their role: they only concern the user
# themselves. Everything else must carry @permission_required.
SIGNED_IN_ONLY = {"web.logout", "web.change_password"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    rule: Rule
    method: str
    view: Any

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    @property
    def is_json(self) -> bool:
        """Answered with problem+json (API and label images), else with pages."""
        return self.rule.rule.startswith(JSON_PREFIXES)

    @property
    def permission(self):
        return getattr(self.view, "permission", None)

    def path(self, values: Mapping[str, Any] | None = None) -> str:
        """A concrete path: given values, else a harmless placeholder per argument."""
        filled = {name: _accepted(self.rule, name, (values or {}).get(name))
                  for name in self.rule.arguments}
        built = self.rule.build(filled, append_unknown=False)
        assert built is not None, (self.rule, filled)
        return built[1]

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule} ({self.endpoint})"


def _accepted(rule: Rule, name: str, value: Any) -> Any:
    """The value given if the rule's converter takes it, else a placeholder."""
    if value is None:
        return _placeholder(rule, name)
    try:
        rule._converters[name].to_url(value)
    except (ValueError, TypeError):
        return _placeholder(rule, name)
    return value


def _placeholder(rule: Rule, name: str) -> Any:
    converter = rule._converters[name]
    if isinstance(converter, IntegerConverter):
        return 999999
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    if isinstance(converter, PathConverter):
        return "X1/Y1"
    return "X1"


def routes(app: Flask) -> Iterator[Route]:
    """Every (rule, method) of the app except static files, in a stable order."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint == "static":
            continue
        for method in METHODS:
            if method in (rule.methods or ()):
                yield Route(rule, method, app.view_functions[rule.endpoint])


def guarded(app: Flask) -> list[Route]:
    """Routes that need a signed-in user (all but the public allow-list)."""
    return [route for route in routes(app) if route.endpoint not in PUBLIC_ENDPOINTS]


def unguarded_views(app: Flask) -> list[str]:
    """Non-public endpoints whose view has no @permission_required (should be none)."""
    return sorted({route.endpoint for route in guarded(app)
                   if route.permission is None and route.endpoint not in SIGNED_IN_ONLY})
