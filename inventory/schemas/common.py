"""Schema conventions: translated messages, codes, paging and form input.

Marshmallow's built-in messages are replaced once by `Template` strings that translate
themselves when marshmallow formats them, i.e. inside the request, in the user's language.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from marshmallow import Schema, fields, validate

from inventory.i18n import Template
from inventory.services.errors import N_
from inventory.services.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE

T = Template

_FIELD_MESSAGES = {
    fields.Field: {"required": N_("This field is required."),
                   "null": N_("This field is required."),
                   "validator_failed": N_("Invalid value.")},
    fields.String: {"invalid": N_("Not a valid text."), "invalid_utf8": N_("Not a valid text.")},
    fields.Integer: {"invalid": N_("Not a valid whole number.")},
    fields.Number: {"invalid": N_("Not a valid number."), "too_large": N_("Number too large.")},
    fields.Float: {"special": N_("Not a valid number.")},
    fields.Decimal: {"special": N_("Not a valid number.")},
    fields.Boolean: {"invalid": N_("Not a valid yes/no value.")},
    fields.Date: {"invalid": N_("Not a valid date (use YYYY-MM-DD)."),
                  "format": N_("Not a valid date (use YYYY-MM-DD).")},
    fields.DateTime: {"invalid": N_("Not a valid date and time."),
                      "format": N_("Not a valid date and time.")},
    fields.Enum: {"unknown": N_("Must be one of: {choices}.")},
    fields.List: {"invalid": N_("Not a valid list.")},
    fields.Nested: {"type": N_("Invalid type.")},
    fields.UUID: {"invalid_uuid": N_("Not a valid UUID.")},
    fields.Dict: {"invalid": N_("Not a valid mapping.")},
}


def _install_messages() -> None:
    for field_class, messages in _FIELD_MESSAGES.items():
        merged = dict(field_class.__dict__.get("default_error_messages", {}))
        merged.update({key: T(text) for key, text in messages.items()})
        field_class.default_error_messages = merged
    Schema._default_error_messages = {"type": T(N_("Invalid input type.")),
                                      "unknown": T(N_("Unknown field."))}


_install_messages()


def _install_whole_numbers() -> None:
    """A number with a fraction is no whole number. marshmallow's Integer turns the JSON
    number 1.5 into 1 (int() of a float), so a booking of 1.5 pieces booked 1; every
    Integer field refuses it instead, as it refuses the text "1.5"."""
    validated = fields.Integer._validated

    def whole(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return validated(self, value)

    fields.Integer._validated = whole


_install_whole_numbers()

# Every date the app accepts lies in these years. Beyond them date arithmetic (a readiness
# horizon, "in 180 days", a check interval, a time zone offset) overflows Python's year
# 9999 and would answer 500 instead of naming the field.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2199, 12, 31)
DATE_RANGE_MESSAGE = N_("Use a date between 1900-01-01 and 2199-12-31.")


def _install_date_bounds() -> None:
    """Bound every marshmallow Date and DateTime (and subclasses) to EARLIEST..LATEST_DAY."""
    for field_class in (fields.Date, fields.DateTime):
        parse = field_class._deserialize

        def bounded(self, value, attr, data, _parse=parse, **kwargs):
            parsed = _parse(self, value, attr, data, **kwargs)
            day = parsed.date() if isinstance(parsed, datetime) else parsed
            if not EARLIEST_DAY <= day <= LATEST_DAY:
                raise self.make_error("range")
            return parsed

        field_class._deserialize = bounded
        field_class.default_error_messages = {**field_class.default_error_messages,
                                              "range": T(DATE_RANGE_MESSAGE)}


_install_date_bounds()


def parse_day(value: str | None) -> date | None:
    """A YYYY-MM-DD query argument within the accepted years, or None when blank.

    Raises marshmallow's ValidationError (a 422 naming the value) when it is not one.
    """
    if not value or not value.strip():
        return None
    return fields.Date().deserialize(value.strip())

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
ITEM_CODE_PATTERN = r"^\d{7}$"


def code_field(required: bool = True, pattern: str = CODE_PATTERN, **kw: Any) -> fields.String:
    """A business code (letters, digits, . _ -), as encoded in labels."""
    message = (N_("Use 7 digits (GB/T 38565 style).") if pattern == ITEM_CODE_PATTERN else
               N_("Use letters, digits, dot, dash or underscore (at most 64)."))
    return fields.String(required=required,
                         validate=validate.Regexp(pattern, error=T(message)), **kw)


def text(max_length: int, required: bool = False, min_length: int = 0, **kw: Any) -> fields.String:
    """A trimmed free text with translated length messages."""
    return fields.String(required=required, validate=length(min_length or (1 if required else 0),
                                                            max_length), **kw)


def length(minimum: int, maximum: int) -> validate.Length:
    return validate.Length(min=minimum, max=maximum,
                           error=T(N_("Length must be between {min} and {max}.")))


def at_least(minimum: int | float, maximum: int | float | None = None) -> validate.Range:
    if maximum is None:
        return validate.Range(min=minimum, error=T(N_("Must be at least {min}.")))
    return validate.Range(min=minimum, max=maximum,
                          error=T(N_("Must be between {min} and {max}.")))


class Flag(fields.Boolean):
    """A yes/no input: JSON true/false only, as the OpenAPI document says (`0`, `"yes"`
    are refused). Form checkboxes arrive as booleans already (`form_data(checkboxes=...)`)."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):  # 0 == False in Python: check the type, not the value
            raise self.make_error("invalid", input=value)
        return value


def flag(**kw: Any) -> Flag:
    return Flag(**kw)


def one_of(values) -> validate.OneOf:
    return validate.OneOf(list(values), error=T(N_("Must be one of: {choices}.")))


class UtcDateTime(fields.DateTime):
    """An RFC 3339 date-time in UTC, always with its offset.

    SQLite hands back stored times without a zone (PostgreSQL with one); both are UTC,
    so output always says so, and input with an offset is converted to UTC (naive input
    is taken as UTC) before it is compared with stored times.
    """

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=timezone.utc)
        try:
            return parsed.astimezone(timezone.utc)
        except OverflowError as error:  # 9999-12-31T23:00-05:00 is past year 9999 in UTC
            raise self.make_error("invalid") from error


class BaseSchema(Schema):
    """Unknown fields are refused (marshmallow's default, stated here on purpose)."""

    class Meta:
        unknown = "raise"


class PageArgs(BaseSchema):
    page = fields.Integer(load_default=1, validate=at_least(1, 1_000_000))
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE, validate=at_least(1, MAX_PER_PAGE))


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """The list envelope of the API: items, page, per_page, total."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "page": fields.Integer(), "per_page": fields.Integer(), "total": fields.Integer(),
    }, name=f"{item_schema.__name__.removesuffix('Schema').removesuffix('Out')}Page")


def form_data(form: Mapping[str, Any], *, drop: tuple[str, ...] = ("csrf_token",),
              checkboxes: tuple[str, ...] = (), omit_blank: bool = False) -> dict[str, Any]:
    """An HTML form as schema input: trimmed, blanks as None, unchecked boxes as False.

    With `omit_blank`, blank fields are left out instead: a browser sends every field it
    renders, so an optional field left empty arrives as "" and must count as not given
    (a required one left empty is then "required", as it would be with None).
    """
    data: dict[str, Any] = {}
    for key in form:
        if key in drop:
            continue
        value = form.get(key)
        value = value.strip() if isinstance(value, str) else value
        if value == "" and omit_blank:
            continue
        data[key] = None if value == "" else value
    for box in checkboxes:
        data[box] = box in form and form.get(box) not in ("", "0", "false", "off")
    return data


def query_args(args: Mapping[str, Any], schema: Schema) -> dict[str, Any]:
    """Query-string arguments for `schema`: blanks dropped, unknown ones refused."""
    data = {key: value.strip() for key, value in args.items() if value and value.strip()}
    return schema.load(data)


class ProblemSchema(Schema):
    """RFC 9457 problem details, as every error under /api/ answers."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())
