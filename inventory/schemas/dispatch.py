"""Events, dispatch orders, receipts, call-offs and distributions (contract.md "Events",
"Dispatch"). Naive date-times are read in the configured time zone by the views."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validates_schema

from inventory.i18n import Template
from inventory.models import (CallOffStatus, EventStatus, EventType, OrderStatus, utcnow)
from inventory.schemas.common import (ITEM_CODE_PATTERN, BaseSchema, PageArgs, UtcDateTime,
                                      at_least, code_field, flag, text)
from inventory.services import dispatch as dispatch_service
from inventory.services.dispatch_reports import elapsed_hours, on_time
from inventory.services.errors import N_

MAX_QUANTITY = 100_000_000
MAX_PEOPLE = 100_000_000


class EventIn(BaseSchema):
    code = code_field(required=False)
    name = text(200, required=True)
    type = fields.Enum(EventType, by_value=True, load_default=EventType.OTHER)
    unit_code = code_field()
    area_codes = fields.List(code_field(), load_default=list)
    started_at = fields.DateTime(allow_none=True)
    response_level = fields.Integer(allow_none=True, validate=at_least(1, 4))
    affected_people = fields.Integer(load_default=0, validate=at_least(0, MAX_PEOPLE))
    relocated_people = fields.Integer(load_default=0, validate=at_least(0, MAX_PEOPLE))
    status = fields.Enum(EventStatus, by_value=True, load_default=EventStatus.ACTIVE)
    note = text(2000, load_default="")


class EventFiguresIn(BaseSchema):
    response_level = fields.Integer(allow_none=True, validate=at_least(1, 4))
    affected_people = fields.Integer(allow_none=True, validate=at_least(0, MAX_PEOPLE))
    relocated_people = fields.Integer(allow_none=True, validate=at_least(0, MAX_PEOPLE))


class EventArgs(PageArgs):
    status = fields.Enum(EventStatus, by_value=True)
    q = text(100)


class EventOut(BaseSchema):
    code = fields.String()
    name = fields.String()
    type = fields.Enum(EventType, by_value=True)
    unit_code = fields.Function(lambda e: e.unit.code)
    area_codes = fields.Function(lambda e: [unit.code for unit in e.areas])
    started_at = UtcDateTime()
    response_level = fields.Integer(allow_none=True)
    affected_people = fields.Integer()
    relocated_people = fields.Integer()
    status = fields.Enum(EventStatus, by_value=True)
    closed_at = UtcDateTime(allow_none=True)


class LineIn(BaseSchema):
    item_code = code_field(pattern=ITEM_CODE_PATTERN)
    quantity = fields.Integer(required=True, validate=at_least(1, MAX_QUANTITY))


class OrderIn(BaseSchema):
    event_code = code_field()
    to_unit_code = code_field()
    to_depot_code = code_field(required=False, allow_none=True)
    lines = fields.List(fields.Nested(LineIn))
    people = fields.Integer(allow_none=True, validate=at_least(1, MAX_PEOPLE))
    needed_by = fields.DateTime(allow_none=True)
    target_hours = fields.Integer(allow_none=True, validate=at_least(1, 720))
    note = text(2000, load_default="")

    @validates_schema
    def _lines_or_people(self, data, **_kw):
        if bool(data.get("lines")) == bool(data.get("people")):
            raise ValidationError({"lines": [Template(N_(
                "Give either the number of people or item lines.")).format()]})


class OrderArgs(PageArgs):
    status = fields.Enum(OrderStatus, by_value=True)
    event = code_field(required=False)
    q = text(100)


class CancelIn(BaseSchema):
    reason = text(500, load_default="")


class DispatchIn(BaseSchema):
    vehicle = text(64, load_default="")
    driver = text(100, load_default="")
    driver_phone = text(50, load_default="")
    departed_at = fields.DateTime(allow_none=True)
    eta = fields.DateTime(allow_none=True)


class ReceiveLineIn(BaseSchema):
    item_code = code_field(pattern=ITEM_CODE_PATTERN)
    lot_code = code_field(required=False, allow_none=True)
    quantity = fields.Integer(required=True, validate=at_least(0, MAX_QUANTITY))


class ReceiveIn(BaseSchema):
    lines = fields.List(fields.Nested(ReceiveLineIn), load_default=list)
    depot_code = code_field(required=False, allow_none=True)
    note = text(500, load_default="")


class CallOffReceiveIn(BaseSchema):
    quantity = fields.Integer(required=True, validate=at_least(1, MAX_QUANTITY))
    depot_code = code_field(required=False, allow_none=True)
    batch_no = text(64, load_default="")
    expiry_date = fields.Date(allow_none=True)
    # More than was called off is refused unless the receiver accepts it explicitly.
    accept_excess = flag(load_default=False)


class AllocationOut(BaseSchema):
    depot_code = fields.Function(lambda a: a.depot.code)
    lot_code = fields.Function(lambda a: a.lot.lot_code)
    owner_code = fields.Function(lambda a: a.owner.code)
    item_code = fields.Function(lambda a: a.item.code)
    expiry_date = fields.Function(lambda a: a.lot.expiry_date.isoformat()
                                  if a.lot.expiry_date else None)
    quantity = fields.Integer()
    picked = fields.Integer()
    received = fields.Integer()
    lost = fields.Integer()
    needs_owner_approval = fields.Boolean()
    owner_approved = fields.Function(lambda a: a.owner_approved_by_id is not None)


class CallOffOut(BaseSchema):
    code = fields.String()
    agreement_code = fields.Function(lambda c: c.agreement.code)
    partner = fields.Function(lambda c: c.agreement.partner.name)
    item_code = fields.Function(lambda c: c.item.code)
    quantity = fields.Integer()
    lead_time_hours = fields.Integer()
    status = fields.Enum(CallOffStatus, by_value=True)
    called_at = UtcDateTime(allow_none=True)
    due_at = UtcDateTime(allow_none=True)
    received_quantity = fields.Integer()
    shortfall = fields.Integer()
    received_at = UtcDateTime(allow_none=True)


class OrderOut(BaseSchema):
    code = fields.String()
    status = fields.Enum(OrderStatus, by_value=True)
    event_code = fields.Function(lambda o: o.event.code)
    request_code = fields.Function(lambda o: o.request.code)
    to_unit_code = fields.Function(lambda o: o.to_unit.code)
    to_depot_code = fields.Function(lambda o: o.to_depot.code if o.to_depot else None)
    people = fields.Integer(allow_none=True)
    lines = fields.Function(lambda o: [{"item_code": line.item.code, "quantity": line.quantity}
                                       for line in o.lines])
    allocations = fields.List(fields.Nested(AllocationOut))
    calloffs = fields.List(fields.Nested(CallOffOut))
    unmet = fields.Function(lambda o: [{"item_code": item.code, "quantity": quantity}
                                       for item, quantity in dispatch_service.unmet(o).items()])
    approvals = fields.Function(lambda o: [a.user.username for a in o.approvals])
    requested_at = UtcDateTime()
    needed_by = UtcDateTime(allow_none=True)
    target_hours = fields.Integer()
    estimated_hours = fields.Float(allow_none=True)
    elapsed_hours = fields.Function(lambda o: round(elapsed_hours(o, utcnow()), 2))
    on_time = fields.Function(on_time)
    approved_at = UtcDateTime(allow_none=True)
    departed_at = UtcDateTime(allow_none=True)
    eta = UtcDateTime(allow_none=True)
    vehicle = fields.String()
    driver = fields.String()
    received_at = UtcDateTime(allow_none=True)
    # Everything arrived (shipment and call-offs): the end of the request-to-receipt time.
    completed_at = UtcDateTime(allow_none=True)
    cancelled_at = UtcDateTime(allow_none=True)


class DistributionIn(BaseSchema):
    request_id = text(80, required=True, min_length=8)
    depot_code = code_field()
    household_head = text(100, required=True)
    id_number = text(32, required=True)
    household_size = fields.Integer(required=True, validate=at_least(1, 100))
    note = text(500, load_default="")
    lines = fields.List(fields.Nested(LineIn), required=True)


class DistributionArgs(PageArgs):
    depot = code_field(required=False)
    day = fields.Date()
