"""What the booking pages say: what was booked, which field a refusal is about, and the
question asked before a stocktake that empties or multiplies a pile (the lot page asks it
like it asks before issuing an expired lot; the JSON API does not ask)."""
from __future__ import annotations

from typing import Any

from inventory.i18n import translate
from inventory.labels import label
from inventory.models import Movement, MovementKind
from inventory.services.bookings import Booking
from inventory.services.errors import N_, DomainError

# Form fields a refusal naming a code (an unknown or out-of-area unit or depot) is about.
CODE_FIELDS = ("owner_code", "to_depot_code", "depot_code")


class CountToConfirm(DomainError):
    """A count far from the book figure, not yet confirmed by the keeper."""

    status = 409
    slug = "count-to-confirm"
    title = N_("Confirm the count")


def booked_text(booked: list[Movement]) -> str:
    """"Booked." with what and how much when the booking is of one lot and kind."""
    if not booked or len({(m.lot_id, m.kind) for m in booked}) != 1:
        return translate(N_("Booked."))
    first = booked[0]
    params = {"lot": first.lot.lot_code, "unit": first.lot.item.unit_of_measure}
    if first.kind is MovementKind.COUNT:
        return translate(N_("Booked: lot %(lot)s counted at %(quantity)s %(unit)s."),
                         quantity=f"{first.counted_quantity or 0:,}", **params)
    return translate(N_("Booked: %(kind)s of %(quantity)s %(unit)s of lot %(lot)s."),
                     kind=label("movement_kind", first.kind),
                     quantity=f"{sum(m.quantity for m in booked):,}", **params)


def needs_confirmation(book: int, counted: int) -> bool:
    """A count that empties the pile or differs from the book figure by more than half of it."""
    return 2 * abs(counted - book) > book


def checked_count(booking: Booking, confirmed: str | None) -> Booking:
    """`booking`, unless it is a count the keeper must confirm first: then CountToConfirm
    (the caller rolls back). `confirmed` is the figure confirmed, so a changed one asks again."""
    if len(booking.movements) != 1 or booking.movements[0].kind is not MovementKind.COUNT:
        return booking
    movement = booking.movements[0]
    counted = movement.counted_quantity or 0
    book = counted - movement.signed_quantity
    if confirmed == str(counted) or not needs_confirmation(book, counted):
        return booking
    raise CountToConfirm(N_("The count %(counted)s differs from the book figure %(book)s by "
                            "%(diff)s. Book it?"), counted=f"{counted:,}", book=f"{book:,}",
                         diff=f"{abs(counted - book):,}", figure=counted)


def refusal(error: DomainError, form: dict[str, Any]) -> tuple[dict, dict, int]:
    """A refusal as the lot page's errors (on the field whose code it names, answered 422,
    else above the form), the questions it asks (issue the expired lot? book the count?) and
    the status."""
    message = translate(error.message, **error.params)
    code = error.params.get("code")
    field = next((name for name in CODE_FIELDS if code and form.get(name) == code), None)
    ask = {"expired": error.slug == "expired-lot",
           "count": error.params["figure"] if isinstance(error, CountToConfirm) else None}
    if field:
        return {field: [message]}, ask, 422
    return {"_schema": [message]}, ask, error.status
