"""The JSON API under /api/v1 (contract.md): same services as the pages, problem+json errors."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from inventory.api import catalogue, dispatch, docs, movements, stock  # noqa: E402,F401
