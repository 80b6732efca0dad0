"""Domain errors raised by services; `inventory.errors` maps them to HTTP once.

Messages are English msgids marked with `N_` (extracted by pybabel) plus named
parameters; they are translated when the response is rendered, so services stay
free of Flask and of any request's language.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation without translating it now."""
    return message


class DomainError(Exception):
    """A rule of the domain refused the request; `status` and `slug` shape the response."""

    status = 409
    slug = "conflict"
    title = N_("Conflict")

    def __init__(self, message: str | None = None, /, **params: Any) -> None:
        self.message = message or self.title
        self.params = params
        super().__init__(self.message % params if params else self.message)


class NotFound(DomainError):
    status = 404
    slug = "not-found"
    title = N_("Not found")


class Forbidden(DomainError):
    status = 403
    slug = "forbidden"
    title = N_("Forbidden")


class InvalidInput(DomainError):
    """Field-level problems found by a service; `errors` maps field names to messages."""

    status = 422
    slug = "validation-error"
    title = N_("The input is not valid")

    def __init__(self, errors: dict[str, list[str]], /, **params: Any) -> None:
        self.errors = errors
        super().__init__(self.title, **params)


class InsufficientStock(DomainError):
    status = 409
    slug = "insufficient-stock"
    title = N_("Insufficient stock")


class IdempotencyConflict(DomainError):
    status = 409
    slug = "idempotency-conflict"
    title = N_("Request id already used")


class InvalidTransition(DomainError):
    status = 409
    slug = "invalid-transition"
    title = N_("Not allowed in this state")


class Throttled(DomainError):
    status = 429
    slug = "too-many-attempts"
    title = N_("Too many attempts")


def field_error(field: str, message: str, **params: Any) -> InvalidInput:
    """One-field InvalidInput; the message is an N_ msgid formatted with `params`."""
    return InvalidInput({field: [message]}, **params)


class Coded(str):
    """Coded values (tiers, e.g. "district") that read as their translated names when a
    message is rendered: services mark the value, the presentation layer names it.

    `Coded("tier", "street")` compares and stores as "street"; formatted into a message it
    becomes `Coded.namer("tier", "street")` (installed by inventory.labels: "街道" or
    "Street" in the reader's language). Several values read as a list.
    """

    namer: Callable[[str, str], str] | None = None

    def __new__(cls, group: str, *values: str) -> Coded:
        coded = super().__new__(cls, ", ".join(values))
        coded.group, coded.values = group, values
        return coded

    def __str__(self) -> str:
        name = Coded.namer or (lambda _group, value: value)
        return ", ".join(name(self.group, value) for value in self.values)
