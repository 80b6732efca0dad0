"""Label sheets (/labels/sheet): which lots and depots, how many copies, which printer."""
from __future__ import annotations

from marshmallow import fields

from inventory.schemas.common import BaseSchema, at_least, code_field, one_of

MAX_COPIES = 50
LAYOUTS = ("a4", "thermal")
LIST_ARGS = ("lot", "depot")


class LotLabelArgs(BaseSchema):
    owner = code_field(required=False)  # the unit printed as owner (default: the only one)


class LabelSheetArgs(BaseSchema):
    lot = fields.List(code_field(), load_default=list)
    depot = fields.List(code_field(), load_default=list)
    copies = fields.Integer(load_default=1, validate=at_least(1, MAX_COPIES))
    layout = fields.String(load_default="a4", validate=one_of(LAYOUTS))
    picker_depot = code_field(required=False)


# A label image: SVG (vector, for printing from the browser) or PNG (for a thermal printer).
BINARY = {"type": "string", "format": "binary"}
