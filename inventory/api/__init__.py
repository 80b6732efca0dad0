"""The JSON API under /api/v1 (contract.md): same services as the pages, problem+json errors."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from inventory.api import (agreements, alerts, catalogue, dispatch, docs,  # noqa: E402,F401
                           movements, readiness, stock)
