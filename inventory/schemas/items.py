"""Catalogue items."""
from __future__ import annotations

from marshmallow import fields

from inventory.models import Category
from inventory.schemas.common import (ITEM_CODE_PATTERN, BaseSchema, at_least, code_field, flag,
                                      text)


class ItemIn(BaseSchema):
    code = code_field(pattern=ITEM_CODE_PATTERN)
    name = text(200, required=True)
    name_en = text(200, load_default="")
    unit = text(32, required=True, data_key="unit", attribute="unit_of_measure")
    category = fields.Enum(Category, by_value=True, load_default=Category.OTHER)
    per_person = fields.Decimal(places=6, load_default=0, validate=at_least(0, 1_000_000))
    per_person_cold = fields.Decimal(places=6, allow_none=True, validate=at_least(0, 1_000_000))
    critical = flag(load_default=False)
    shelf_life_days = fields.Integer(allow_none=True, validate=at_least(1, 36_500))
    pack_size = fields.Integer(load_default=1, validate=at_least(1, 1_000_000))


class ItemEditIn(ItemIn):
    code = fields.String(dump_only=True)
    is_active = flag(load_default=True)


class ItemOut(BaseSchema):
    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    unit = fields.String(attribute="unit_of_measure")
    category = fields.Enum(Category, by_value=True)
    per_person = fields.Float()
    per_person_cold = fields.Float(allow_none=True)
    critical = fields.Boolean()
    shelf_life_days = fields.Integer(allow_none=True)
    pack_size = fields.Integer()
    is_active = fields.Boolean()
