"""Units and depots: input for create/edit, output for lists."""
from __future__ import annotations

from marshmallow import fields

from inventory.models import DepotKind
from inventory.schemas.common import BaseSchema, at_least, code_field, flag, text


class UnitIn(BaseSchema):
    code = code_field()
    name = text(200, required=True)
    tier = text(32, required=True)
    parent_code = code_field(required=False, allow_none=True)
    population = fields.Integer(allow_none=True, validate=at_least(0, 2_000_000_000))
    target_people = fields.Integer(validate=at_least(0, 100_000_000))
    horizon_hours = fields.Integer(validate=at_least(1, 720))
    resident_share_target = fields.Decimal(places=4, validate=at_least(0, 1))
    preposition_target = fields.Decimal(places=4, validate=at_least(0, 1))
    agreement_base_target = fields.Integer(validate=at_least(0, 1000))


class UnitEditIn(UnitIn):
    code = fields.String(dump_only=True)


class UnitOut(BaseSchema):
    code = fields.String()
    name = fields.String()
    tier = fields.String()
    parent_code = fields.Function(lambda unit: unit.parent.code if unit.parent else None)
    population = fields.Integer(allow_none=True)
    target_people = fields.Integer()
    horizon_hours = fields.Integer()
    resident_share_target = fields.Float()
    preposition_target = fields.Float()
    agreement_base_target = fields.Integer()


class DepotIn(BaseSchema):
    code = code_field()
    name = text(200, required=True)
    unit_code = code_field()
    kind = fields.Enum(DepotKind, by_value=True, load_default=DepotKind.DEPOT)
    address = text(300, load_default="")
    contact = text(200, load_default="")


class DepotEditIn(DepotIn):
    code = fields.String(dump_only=True)
    is_active = flag(load_default=True)


class DepotOut(BaseSchema):
    code = fields.String()
    name = fields.String()
    unit_code = fields.Function(lambda depot: depot.unit.code)
    kind = fields.Enum(DepotKind, by_value=True)
    address = fields.String()
    is_active = fields.Boolean()


class StorageLocationIn(BaseSchema):
    code = code_field()
    name = text(200, required=True)


class StorageLocationEditIn(BaseSchema):
    name = text(200, required=True)
