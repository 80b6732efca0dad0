"""Alerts: list arguments and output."""
from __future__ import annotations

from marshmallow import fields

from inventory.i18n import locale_code, translate
from inventory.models import Alert, AlertKind, AlertSeverity, AlertState
from inventory.schemas.common import BaseSchema, PageArgs, UtcDateTime, code_field, one_of
from inventory.services.alerts import message_params


def alert_text(alert: Alert) -> str:
    """The alert's message in the reader's language, items named in it too."""
    if not alert.message:
        return ""
    return translate(alert.message, **message_params(alert, locale_code()))


def _code(attribute: str):
    return fields.Function(lambda a: getattr(getattr(a, attribute), "code", None))


class AlertArgs(PageArgs):
    state = fields.String(validate=one_of([s.value for s in AlertState]))
    kind = fields.String(validate=one_of([k.value for k in AlertKind]))
    severity = fields.String(validate=one_of([s.value for s in AlertSeverity]))
    unit = code_field(required=False)


class AlertOut(BaseSchema):
    id = fields.Integer()
    dedup_key = fields.String()
    kind = fields.Function(lambda a: a.kind.value)
    severity = fields.Function(lambda a: a.severity.value)
    state = fields.Function(lambda a: a.state.value)
    message = fields.Function(alert_text)
    params = fields.Dict()
    value = fields.Float(allow_none=True)
    unit_code = _code("unit")
    depot_code = _code("depot")
    item_code = _code("item")
    lot_code = fields.String(allow_none=True)
    agreement_code = fields.String(allow_none=True)
    order_code = fields.String(allow_none=True)
    first_seen_at = UtcDateTime()
    last_seen_at = UtcDateTime()
    acknowledged_at = UtcDateTime(allow_none=True)
    acknowledged_by = fields.Function(
        lambda a: a.acknowledged_by.username if a.acknowledged_by else None)
    resolved_at = UtcDateTime(allow_none=True)
    resolved_by = fields.Function(lambda a: a.resolved_by.username if a.resolved_by else None)
