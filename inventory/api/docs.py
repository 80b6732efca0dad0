"""The OpenAPI document itself."""
from __future__ import annotations

from flask import current_app

from inventory.api import bp
from inventory.api.spec import build_spec


@bp.get("/openapi.json")
def openapi():
    """OpenAPI 3 description of /api/v1 (public, like any API reference)."""
    return build_spec(current_app)
