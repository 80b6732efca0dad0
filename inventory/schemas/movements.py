"""Movement bookings (contract.md "Movements"), the ledger list, and scans."""
from __future__ import annotations

from datetime import datetime, timezone

from marshmallow import ValidationError, fields, validates_schema

from inventory.i18n import Template
from inventory.models import LotSource, MovementKind
from inventory.schemas.common import (ITEM_CODE_PATTERN, BaseSchema, PageArgs, UtcDateTime,
                                      at_least, code_field, flag, one_of, text)
from inventory.services.errors import N_

BOOKABLE_KINDS = ("receive", "issue", "transfer", "count", "loss", "scrap", "write_off")
MAX_QUANTITY = 100_000_000


class MovementIn(BaseSchema):
    """One booking. `quantity` is the counted figure for `count` (zero allowed)."""

    # At most 64: bulk bookings and write-offs store "<request_id>#<line>" in 80 characters.
    request_id = text(64, required=True, min_length=8)
    kind = fields.String(required=True, validate=one_of(BOOKABLE_KINDS))
    item_code = code_field(required=False, pattern=ITEM_CODE_PATTERN)
    lot_code = code_field(required=False)
    batch_no = text(64)
    expiry_date = fields.Date(allow_none=True)
    production_date = fields.Date(allow_none=True)
    owner_code = code_field(required=False)
    depot_code = code_field()
    to_depot_code = code_field(required=False)
    to_owner_code = code_field(required=False)
    quantity = fields.Integer(required=True, validate=at_least(0, MAX_QUANTITY))
    reason = text(500, load_default="")
    source = fields.Enum(LotSource, by_value=True, allow_none=True)
    supplier = text(200, load_default="")
    order_code = code_field(required=False, allow_none=True)
    confirm_expired = flag(load_default=False)

    @validates_schema
    def _kind_needs(self, data, **_kw):
        kind = data.get("kind")
        errors: dict[str, list[str]] = {}
        if kind != "count" and data.get("quantity") == 0:
            errors["quantity"] = [Template(N_("Must be at least {min}.")).format(min=1)]
        if kind == "transfer" and not data.get("to_depot_code"):
            errors["to_depot_code"] = [Template(N_("This field is required.")).format()]
        if kind == "receive" and not (data.get("item_code") or data.get("lot_code")):
            errors["item_code"] = [Template(N_("Give the item code or the lot code.")).format()]
        if kind != "receive" and not data.get("lot_code"):
            errors["lot_code"] = [Template(N_("This field is required.")).format()]
        if errors:
            raise ValidationError(errors)


class ReverseIn(BaseSchema):
    request_id = text(64, required=True, min_length=8)
    reason = text(500, load_default="")


class MovementArgs(PageArgs):
    depot = code_field(required=False)
    item = code_field(required=False)
    lot = code_field(required=False)
    kind = fields.Enum(MovementKind, by_value=True)
    since = UtcDateTime()
    until = UtcDateTime()


class LedgerPageArgs(PageArgs):
    """The ledger page's filters (GET /movements): the API's, but whole days in the app's
    time zone (both ends included), the user who booked, and a search text."""

    depot = code_field(required=False)
    item = code_field(required=False, pattern=ITEM_CODE_PATTERN)
    lot = code_field(required=False)
    kind = fields.Enum(MovementKind, by_value=True)
    who = text(64)
    q = text(100)
    since = fields.Date()
    until = fields.Date()

    @validates_schema
    def _period(self, data, **_kw):
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ValidationError(Template(N_("The end of the period is before its start."))
                                  .format(), field_name="until")


class MovementOut(BaseSchema):
    id = fields.Integer()
    kind = fields.Enum(MovementKind, by_value=True)
    source = fields.Enum(LotSource, by_value=True, allow_none=True)
    item_code = fields.Function(lambda m: m.lot.item.code)
    lot_code = fields.Function(lambda m: m.lot.lot_code)
    from_depot_code = fields.Function(lambda m: m.from_depot.code if m.from_depot else None)
    to_depot_code = fields.Function(lambda m: m.to_depot.code if m.to_depot else None)
    from_owner_code = fields.Function(lambda m: m.from_owner.code if m.from_owner else None)
    to_owner_code = fields.Function(lambda m: m.to_owner.code if m.to_owner else None)
    quantity = fields.Integer()
    counted_quantity = fields.Integer(allow_none=True)
    reason = fields.String()
    request_id = fields.String()
    order_code = fields.String(allow_none=True)
    reverses_id = fields.Integer(allow_none=True)
    approves_id = fields.Integer(allow_none=True)
    actor = fields.Function(lambda m: m.actor.username if m.actor else None)
    created_at = UtcDateTime()


class BalanceOut(BaseSchema):
    depot_code = fields.Function(lambda b: b.depot.code)
    lot_code = fields.Function(lambda b: b.lot.lot_code)
    item_code = fields.Function(lambda b: b.lot.item.code)
    owner_code = fields.Function(lambda b: b.owner.code)
    quantity = fields.Integer()
    reserved = fields.Integer()


class WarningOut(BaseSchema):
    type = fields.String()
    message = fields.String()
    lot_code = fields.String(allow_none=True)
    expiry_date = fields.Date(allow_none=True)


class BookingOut(BaseSchema):
    """The answer to a booking.

    The declared fields are the contract (and the OpenAPI document); `dump` writes the
    same dictionary directly, because every scan pays for it and marshmallow's generic
    walk over some thirty fields cost as much as the ledger INSERT.
    `tests/api/test_booking_out.py` holds the two to the same output.
    """

    movements = fields.List(fields.Nested(MovementOut))
    balances = fields.List(fields.Nested(BalanceOut))
    warnings = fields.List(fields.Nested(WarningOut))
    replayed = fields.Boolean()

    def dump(self, obj, *, many=None):
        if many:
            return [self.dump(one) for one in obj]
        return {"movements": [_movement_dict(m) for m in obj["movements"]],
                "balances": [_balance_dict(b) for b in obj["balances"]],
                "warnings": [_warning_dict(w) for w in obj["warnings"]],
                "replayed": bool(obj["replayed"])}


def _code(obj) -> str | None:
    return obj.code if obj is not None else None


def _utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()


def _movement_dict(m) -> dict:
    return {"id": m.id, "kind": m.kind.value,
            "source": m.source.value if m.source is not None else None,
            "item_code": m.lot.item.code, "lot_code": m.lot.lot_code,
            "from_depot_code": _code(m.from_depot), "to_depot_code": _code(m.to_depot),
            "from_owner_code": _code(m.from_owner), "to_owner_code": _code(m.to_owner),
            "quantity": m.quantity, "counted_quantity": m.counted_quantity,
            "reason": m.reason, "request_id": m.request_id, "order_code": m.order_code,
            "reverses_id": m.reverses_id, "approves_id": m.approves_id,
            "actor": m.actor.username if m.actor else None, "created_at": _utc(m.created_at)}


def _balance_dict(b) -> dict:
    return {"depot_code": b.depot.code, "lot_code": b.lot.lot_code,
            "item_code": b.lot.item.code, "owner_code": b.owner.code,
            "quantity": b.quantity, "reserved": b.reserved}


def _warning_dict(w: dict) -> dict:
    expiry = w.get("expiry_date")
    return {key: value for key, value in (
        ("type", w.get("type")), ("message", w.get("message")),
        ("lot_code", w.get("lot_code")),
        ("expiry_date", expiry.isoformat() if hasattr(expiry, "isoformat") else expiry))
        if key in w}


class ScanIn(BaseSchema):
    payload = text(500, required=True, min_length=1)
    depot_code = code_field(required=False)


class ScanOut(BaseSchema):
    kind = fields.String()
    code = fields.String()
    url = fields.String()
    name = fields.String(allow_none=True)
    item = fields.Dict(allow_none=True)
    lot = fields.Dict(allow_none=True)
    depot = fields.Dict(allow_none=True)
    on_hand = fields.Integer(allow_none=True)
    available = fields.Integer(allow_none=True)
    owners = fields.List(fields.Dict())
    warnings = fields.List(fields.Nested(WarningOut))
    order = fields.Dict(allow_none=True)  # a dispatch order: status, action, what to pick here
