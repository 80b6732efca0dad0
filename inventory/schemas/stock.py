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
    """A row of `services.stock.stock_rows`."""

    depot_code = fields.String()
    item_code = fields.String()
    lot_code = fields.String()
    owner_code = fields.String()
    expiry_date = fields.Date(allow_none=True)
    quantity = fields.Integer()
    reserved = fields.Integer()
    batch_no = fields.String()
    item_name = fields.String()
