"""The stock list: query arguments and rows."""
from __future__ import annotations

from marshmallow import fields

from inventory.models import Category
from inventory.schemas.common import BaseSchema, PageArgs, at_least, code_field, text


class StockArgs(PageArgs):
    unit = code_field(required=False)
    owner = code_field(required=False)
    depot = code_field(required=False)
    item = code_field(required=False)
    lot = code_field(required=False)
    category = fields.Enum(Category, by_value=True)
    expiring_within_days = fields.Integer(validate=at_least(0, 3650))
    q = text(100)


class StockRowOut(BaseSchema):
    depot_code = fields.Function(lambda b: b.depot.code)
    item_code = fields.Function(lambda b: b.lot.item.code)
    lot_code = fields.Function(lambda b: b.lot.lot_code)
    owner_code = fields.Function(lambda b: b.owner.code)
    expiry_date = fields.Function(lambda b: b.lot.expiry_date.isoformat()
                                  if b.lot.expiry_date else None)
    quantity = fields.Integer()
    reserved = fields.Integer()
    batch_no = fields.Function(lambda b: b.lot.batch_no)
    item_name = fields.Function(lambda b: b.lot.item.name)
