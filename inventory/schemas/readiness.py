"""Readiness query arguments and answer (contract.md "Readiness")."""
from __future__ import annotations

from marshmallow import fields

from inventory.schemas.common import BaseSchema, at_least, code_field, one_of
from inventory.services.readiness import SEASON_SETTINGS
from inventory.services.readiness_load import BASES


class ReadinessArgs(BaseSchema):
    unit = code_field(required=False)
    people = fields.Integer(validate=at_least(0, 100_000_000))
    hours = fields.Integer(validate=at_least(1, 720))
    on = fields.Date()
    basis = fields.String(load_default="owner", validate=one_of(BASES))
    # Default: INVENTORY_SEASON (auto = cold from November to March, for the date `on`).
    season = fields.String(validate=one_of(SEASON_SETTINGS))


class ReadinessItemOut(BaseSchema):
    item_code = fields.String()
    critical = fields.Boolean()
    per_person = fields.Float()
    required = fields.Integer()
    on_hand = fields.Integer()
    physical = fields.Integer()
    agreement = fields.Integer()
    usable = fields.Integer()
    shortfall = fields.Integer()
    people_covered = fields.Integer()
    people_covered_with_agreements = fields.Integer()


class ReadinessOut(BaseSchema):
    unit_code = fields.String()
    basis = fields.String()
    on = fields.Date()
    season = fields.String()
    target_people = fields.Integer()
    horizon_hours = fields.Integer()
    people_coverable = fields.Integer()
    people_coverable_with_agreements = fields.Integer()
    limiting_item_code = fields.String(allow_none=True)
    limiting_item_code_with_agreements = fields.String(allow_none=True)
    resident_population = fields.Integer(allow_none=True)
    resident_coverage_ratio = fields.Float(allow_none=True)
    resident_share_target = fields.Float()
    items = fields.List(fields.Nested(ReadinessItemOut))


def dump_report(report) -> dict:
    """The API answer for a ReadinessReport."""
    r = report.readiness
    return ReadinessOut().dump({
        "unit_code": report.unit.code, "basis": report.basis, "on": report.on,
        "season": report.season, "target_people": r.target_people,
        "horizon_hours": r.horizon_hours, "people_coverable": r.people_coverable,
        "people_coverable_with_agreements": r.people_coverable_with_agreements,
        "limiting_item_code": r.limiting_item_code,
        "limiting_item_code_with_agreements": r.limiting_item_code_with_agreements,
        "resident_population": r.resident_population,
        "resident_coverage_ratio": r.resident_coverage_ratio,
        "resident_share_target": report.resident_target, "items": r.items})
