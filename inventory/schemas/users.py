"""Users and sign-in."""
from __future__ import annotations

from marshmallow import fields

from inventory.models import Role
from inventory.schemas.common import BaseSchema, PageArgs, code_field, flag, text


class LoginIn(BaseSchema):
    username = text(64, required=True)
    password = text(256, required=True)
    next = fields.String(load_default=None, allow_none=True)


class UserIn(BaseSchema):
    username = fields.String(required=True, validate=code_field().validate)
    display_name = text(200, load_default="")
    password = text(256, required=True)
    role = fields.Enum(Role, by_value=True, required=True)
    unit_code = code_field(required=False, allow_none=True)


class UserEditIn(BaseSchema):
    display_name = text(200, load_default="")
    password = text(256, allow_none=True, load_default=None)
    role = fields.Enum(Role, by_value=True, required=True)
    unit_code = code_field(required=False, allow_none=True)
    is_active = flag(load_default=False)


class TokenIn(BaseSchema):
    name = text(100, load_default="")


class PasswordIn(BaseSchema):
    current_password = text(256, required=True)
    new_password = text(256, required=True)


class AuditArgs(PageArgs):
    """Filters of the audit log: action prefix, a user (who acted or was acted on), a
    text found in the subject or detail, and a date range (days in the app's time zone)."""

    action = text(64)
    who = text(64)
    q = text(100)
    since = fields.Date()
    until = fields.Date()
