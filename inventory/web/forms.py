"""Form handling shared by the pages: run an action, turn refusals into field errors."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import render_template, request
from marshmallow import Schema, ValidationError

from inventory.extensions import db
from inventory.i18n import translate_tree
from inventory.schemas.common import PageArgs
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


def page_args(*, per_page: int | None = None) -> dict[str, int]:
    """`page` and `per_page` of the query string, validated (a bad one is a 422 naming it);
    a fixed `per_page` overrides the query's."""
    raw = {k: v for k, v in request.args.items() if k in ("page", "per_page") and v.strip()}
    if per_page is not None:
        raw.pop("per_page", None)
    args = PageArgs().load(raw)
    return {**args, "per_page": per_page} if per_page is not None else args


def filter_args(schema: Schema, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A list page's filters: (arguments, {field: [messages]}). Invalid filters are dropped
    (and reported) while the valid ones still apply."""
    try:
        return schema.load(raw), {}
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {}
        kept = {k: v for k, v in raw.items() if k not in messages}
        try:
            return schema.load(kept), translate_tree(messages)
        except ValidationError:
            return schema.load({}), translate_tree(messages)
