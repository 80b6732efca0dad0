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


# --- real values for path arguments ---------------------------------------------------------
# Walks that fill path arguments with placeholders only reach the 404 of the lookup; with
# these they reach the handler, so its body and query parsing are exercised too.

# Which record a `code` argument names, by a word of the endpoint (first match wins).
CODE_KINDS = (("calloff", "calloff"), ("agreement", "agreement"), ("partner", "partner"),
              ("depot", "depot"), ("storage_location", "depot"), ("item", "item"), ("unit", "unit"), ("order", "order"),
              ("event", "event"), ("distribution", "event"), ("request_new", "event"),
              ("qr_redirect", "lot"))


def build_route_data(session, *, instance_path: str) -> dict[str, Any]:
    """Records for every kind of path argument on top of the `world` (tests/factories.py):
    a partner with an agreement (and a check with a photo), an event with a dispatch order
    (allocations, one needing the owner's approval, and a call-off), alerts and a token.
    Returns the argument values (codes and ids) by name; `code` by CODE_KINDS."""
    from datetime import date, timedelta
    from pathlib import Path

    import sqlalchemy as sa

    from inventory.models import AgreementMode, Alert, Lot, Movement, utcnow
    from inventory.services import agreements, alerts, catalog, dispatch, events, units, users

    now, today = utcnow(), date.today()
    d1, s2 = units.get_unit(session, "D1"), units.get_unit(session, "S2")
    bureau, tent = users.get_user(session, "bureau"), catalog.get_item(session, "1010101")
    partner = agreements.create_partner(session, code="P-W", name="Walk partner", now=now)
    agreement = agreements.create_agreement(
        session, code="AG-W", now=now, lines=[{"item_code": "1010101", "quantity": 500}],
        terms=agreements.AgreementTerms(partner=partner, owner=d1, mode=AgreementMode.STOCK,
                                        valid_from=today - timedelta(days=10),
                                        valid_to=today + timedelta(days=300), lead_time_hours=4))
    photo = Path(instance_path) / "uploads/agreement-checks/walk.png"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    check = agreements.record_check(session, agreement, checked_on=today, checker=bureau,
                                    found={line.id: 1 for line in agreement.lines},
                                    photo="walk.png", now=now)
    event = events.create_event(session, bureau, name="Walk flood", unit=d1, started_at=now,
                                now=now, code="EV-W")
    order, api_order = (dispatch.create_order(session, bureau, event=event, to_unit=s2, now=now,
                                              lines=[(tent, 400)]) for _ in range(2))
    alerts.evaluate(session, today=today, now=now)
    users.create_token(session, user=users.get_user(session, "keeper"), now=now)
    units.add_storage_location(session, depot=units.get_depot(session, "DEP-D1"), code="R1",
                               name="Room 1", now=now)
    allocation = next((a for a in order.allocations if a.needs_owner_approval),
                      order.allocations[0] if order.allocations else None)
    return {
        "depot_code": "DEP-D1", "lot_code": "T1", "username": "keeper", "location_code": "R1",
        "movement_id": session.scalar(sa.select(sa.func.min(Movement.id)).join(
            Lot, Movement.lot_id == Lot.id).where(Lot.lot_code == "T1")),
        "token_id": session.scalar(sa.text("SELECT max(id) FROM api_token")),
        "alert_id": session.scalar(sa.select(sa.func.min(Alert.id))),
        "check_id": check.id, "allocation_id": allocation.id if allocation else None,
        "codes": {"calloff": order.calloffs[0].code if order.calloffs else None,
                  "agreement": "AG-W", "partner": "P-W", "depot": "DEP-D1", "item": "1010101",
                  "unit": "D1", "order": order.code, "event": "EV-W", "lot": "T1",
                  # the API walk gets an order of its own: it may cancel it
                  "api_order": api_order.code, "api_calloff": api_order.calloffs[0].code
                  if api_order.calloffs else None},
        "kinds": {"web.export_download": "stock", "web.import_template": "stock",
                  "web.qr_redirect": "T"},
        "fmts": {"web.export_download": "csv", "web.import_template": "csv",
                 "web.rollup_report": "csv"},
    }


def real_values(route: Route, data: Mapping[str, Any]) -> dict[str, Any]:
    """Values for every path argument of `route` naming a real record of `data`
    (build_route_data); raises KeyError for an argument nobody taught the walk."""
    values: dict[str, Any] = {}
    for name in route.rule.arguments:
        if name == "code":
            kind = next((kind for word, kind in CODE_KINDS if word in route.endpoint), None)
            if kind is None:
                raise KeyError(f"{route}: add its endpoint to CODE_KINDS")
            api = route.endpoint.startswith("api.") and f"api_{kind}" in data["codes"]
            values[name] = data["codes"][f"api_{kind}" if api else kind]
        elif name in ("kind", "fmt"):
            fixed = route.rule._converters[name]  # the only choice of an any() converter
            choices = sorted(getattr(fixed, "items", ()))
            values[name] = choices[0] if len(choices) == 1 else data[name + "s"].get(
                route.endpoint, choices[0] if choices else None)
        else:
            values[name] = data[name]
        if values[name] is None:
            raise KeyError(f"{route}: no real value for {name}")
    return values
