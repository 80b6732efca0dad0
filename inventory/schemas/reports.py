"""Query arguments of the report pages and downloads (exports, trends, roll-up, overview).

Every one goes through a schema, so a bad value is a 422 naming the argument, never a 500
(`?until=9999-12-31` used to overflow the period arithmetic). `lang` switches the language
(inventory.i18n) and is accepted everywhere.
"""
from __future__ import annotations

from marshmallow import ValidationError, fields, validates_schema

from inventory.schemas.common import (ITEM_CODE_PATTERN, BaseSchema, PageArgs, at_least,
                                      code_field, one_of)
from inventory.services.errors import N_

STALE_DAYS_DEFAULT, STALE_DAYS_MAX = 30, 3650
TREND_PERIODS = (30, 90, 180, 365)


class ReportArgs(BaseSchema):
    unit = code_field(required=False)
    lang = fields.String()


class ExportArgsIn(ReportArgs):
    """The area, the period (whole days, both ends included) and the completeness threshold."""

    since = fields.Date()
    until = fields.Date()
    stale_days = fields.Integer(load_default=STALE_DAYS_DEFAULT,
                                validate=at_least(1, STALE_DAYS_MAX))

    @validates_schema
    def _period(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ValidationError(N_("The end of the period is before its start."),
                                  field_name="until")


class TrendArgs(ReportArgs):
    item = code_field(required=False, pattern=ITEM_CODE_PATTERN)
    days = fields.Integer(load_default=90, validate=one_of(TREND_PERIODS))


class OverviewArgs(ReportArgs):
    wall = fields.String(validate=one_of(["0", "1"]))


class RegisterPageArgs(PageArgs):
    """A register shown in pages (the write-off page's loss register)."""

    lang = fields.String()
