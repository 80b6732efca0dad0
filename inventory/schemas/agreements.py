"""Partners and agreements (contract.md "Partners", "Agreements") and verification checks."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates

from inventory.i18n import Template
from inventory.models import AgreementMode
from inventory.schemas.common import (ITEM_CODE_PATTERN, BaseSchema, PageArgs, at_least,
                                      code_field, flag, one_of, text)
from inventory.services.agreements import is_valid_credit_code
from inventory.services.errors import N_


MAX_CHECK_INTERVAL_DAYS = 730


class PartnerIn(BaseSchema):
    code = code_field()
    name = text(200, required=True)
    credit_code = fields.String(load_default="", allow_none=True)
    contact = text(200, load_default="", allow_none=True)
    phone = text(50, load_default="", allow_none=True)
    address = text(300, load_default="", allow_none=True)

    @validates("credit_code")
    def _credit_code(self, value, **_kw):
        if value and not is_valid_credit_code(value):
            raise ValidationError(Template(N_(
                "Not a valid unified social credit code (18 characters, check digit)."
            )).format())


class PartnerEditIn(PartnerIn):
    code = fields.String(dump_only=True)
    is_active = flag(load_default=True)


class PartnerSiteIn(BaseSchema):
    name = text(200, required=True)
    address = text(300, load_default="", allow_none=True)


class PartnerSiteOut(BaseSchema):
    name = fields.String()
    address = fields.String()


class PartnerOut(BaseSchema):
    code = fields.String()
    name = fields.String()
    credit_code = fields.String()
    contact = fields.String()
    phone = fields.String()
    address = fields.String()
    is_active = fields.Boolean()
    sites = fields.List(fields.Nested(PartnerSiteOut))


class PartnerArgs(PageArgs):
    q = text(100)


class AgreementLineIn(BaseSchema):
    item_code = code_field(pattern=ITEM_CODE_PATTERN)
    quantity = fields.Integer(required=True, validate=at_least(1, 100_000_000))


class AgreementIn(BaseSchema):
    partner_code = code_field()
    code = code_field()
    mode = fields.String(required=True, validate=one_of([m.value for m in AgreementMode]))
    valid_from = fields.Date(required=True)
    valid_to = fields.Date(required=True)
    lead_time_hours = fields.Integer(required=True, validate=at_least(0, 8760))
    # Verification at least every two years: a longer interval is no verification at all.
    check_interval_days = fields.Integer(load_default=90,
                                         validate=at_least(1, MAX_CHECK_INTERVAL_DAYS))
    owner_code = code_field()
    note = text(2000, load_default="", allow_none=True)
    lines = fields.List(fields.Nested(AgreementLineIn), required=True,
                        validate=validate.Length(min=1, max=500,
                                                 error=Template(N_("Add at least one item."))))


class AgreementEditIn(AgreementIn):
    code = fields.String(dump_only=True)
    is_active = flag(load_default=True)


class AgreementLineOut(BaseSchema):
    item_code = fields.Function(lambda line: line.item.code)
    quantity = fields.Integer()


class AgreementOut(BaseSchema):
    code = fields.String()
    partner_code = fields.Function(lambda a: a.partner.code)
    owner_code = fields.Function(lambda a: a.owner.code)
    mode = fields.Function(lambda a: a.mode.value)
    valid_from = fields.Date()
    valid_to = fields.Date()
    lead_time_hours = fields.Integer()
    check_interval_days = fields.Integer()
    is_active = fields.Boolean()
    note = fields.String()
    lines = fields.List(fields.Nested(AgreementLineOut))
    last_checked_on = fields.Function(
        lambda a: max((c.checked_on for c in a.checks), default=None))


class AgreementArgs(PageArgs):
    q = text(100)
    mode = fields.String(validate=one_of([m.value for m in AgreementMode]))
    partner = code_field(required=False)
    state = fields.String(validate=one_of(["valid", "invalid"]))


class CheckIn(BaseSchema):
    checked_on = fields.Date(required=True)
    checker_name = text(200, load_default="", allow_none=True)
    note = text(2000, load_default="", allow_none=True)
