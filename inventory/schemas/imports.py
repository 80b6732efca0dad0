"""Rows of uploaded spreadsheets (opening stock; catalogue, units and depots reuse their *In)."""
from __future__ import annotations

from marshmallow import fields

from inventory.models import LotSource
from inventory.schemas.common import ITEM_CODE_PATTERN, BaseSchema, at_least, code_field, text


class OpeningStockRowIn(BaseSchema):
    """One lot held in one depot for one owner: what a bureau's spreadsheet lists."""

    item_code = code_field(pattern=ITEM_CODE_PATTERN)
    lot_code = code_field(required=False, allow_none=True)
    batch_no = text(64, load_default="")
    expiry_date = fields.Date(allow_none=True, load_default=None)
    production_date = fields.Date(allow_none=True, load_default=None)
    depot_code = code_field()
    owner_code = code_field(required=False, allow_none=True)
    quantity = fields.Integer(required=True, strict=False, validate=at_least(1, 1_000_000_000))
    source = fields.Enum(LotSource, by_value=True, load_default=LotSource.PROCUREMENT)
    supplier = text(200, load_default="")


class AgreementLineRowIn(BaseSchema):
    """An item and its contracted quantity (per day for capacity agreements)."""

    agreement_code = code_field()
    item_code = code_field(pattern=ITEM_CODE_PATTERN)
    quantity = fields.Integer(required=True, strict=False, validate=at_least(1, 1_000_000_000))
