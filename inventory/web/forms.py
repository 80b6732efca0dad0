"""Form handling shared by the pages: run an action, turn refusals into field errors."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import render_template
from marshmallow import ValidationError

from inventory.extensions import db
from inventory.i18n import translate_tree
from inventory.services.errors import InvalidInput

T = TypeVar("T")


def try_submit(action: Callable[[], T]) -> tuple[T | None, dict[str, Any]]:
    """Run `action`; on invalid input roll back and return (None, {field: [messages]})."""
    try:
        return action(), {}
    except ValidationError as error:
        db.session.rollback()
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        return None, translate_tree(messages)
    except InvalidInput as error:
        db.session.rollback()
        return None, translate_tree(error.errors, error.params)


def render_form(template: str, form: dict[str, Any], errors: dict[str, Any], **context: Any):
    """Render a form page; 422 when it carries errors, so clients and tests can tell."""
    return render_template(template, form=form, errors=errors, **context), 422 if errors else 200


def new_request_id() -> str:
    """A request id rendered into each booking form, so a double submit books once."""
    return str(uuid.uuid4())
