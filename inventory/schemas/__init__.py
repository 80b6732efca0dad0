"""Schemas: explicit marshmallow classes per use case (input and output separate)."""
from inventory.schemas import common  # noqa: F401  (installs translated messages)
