"""Checks of the lines of a bulk booking (a receiving note, a count sheet), so that one
answer names every line's problems instead of the first one only.

`receipt_problems` looks at a receipt line before anything is booked (unknown item or
owner, missing or passed expiry date); `bookings.book_many` books the lines that pass,
keeps what any line's booking refused, and raises `LineErrors` with all of them.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Item, Lot, Unit
from inventory.services import movements
from inventory.services.errors import N_, DomainError, InvalidInput, field_error


class LineErrors(DomainError):
    """Lines of a bulk booking were refused: `lines` maps the line number (from 1) to its
    errors. Nothing may be booked; the caller rolls back."""

    status = 422
    slug = "validation-error"
    title = N_("The input is not valid")

    def __init__(self, lines: dict[int, list[DomainError]]) -> None:
        self.lines = lines
        super().__init__(self.title)


class ExpiredReceipt(InvalidInput):
    """A receipt of goods whose expiry date has passed, not (yet) confirmed."""


def receipt_problems(session: Session, command: dict[str, Any], today: date
                     ) -> list[DomainError]:
    """What is wrong with a validated receipt line, every field at once (empty: nothing)."""
    problems: list[DomainError] = []
    item = None
    if command.get("item_code"):
        item = session.scalar(sa.select(Item).where(Item.code == command["item_code"]))
        if item is None:
            problems.append(field_error("item_code", N_("Item %(code)s not found."),
                                        code=command["item_code"]))
    if command.get("owner_code") and session.scalar(
            sa.select(Unit.id).where(Unit.code == command["owner_code"])) is None:
        problems.append(field_error("owner_code", N_("Unit %(code)s not found."),
                                    code=command["owner_code"]))
    lot = _existing_lot(session, command, item)
    expiry = command.get("expiry_date") or (lot.expiry_date if lot is not None else None)
    if item is not None and item.shelf_life_days and lot is None and expiry is None:
        problems.append(field_error(
            "expiry_date", N_("Item %(item)s has a shelf life: give the expiry date."),
            item=item.code))
    if expiry is not None and expiry < today and not command.get("confirm_expired"):
        problems.append(ExpiredReceipt(
            {"expiry_date": [N_("%(date)s is already past.")]},
            date=expiry.isoformat()))
    return problems


def _existing_lot(session: Session, command: dict[str, Any], item: Item | None) -> Lot | None:
    """The lot the receipt would add to, if it exists already (None: a new lot)."""
    if command.get("lot_code"):
        return movements.get_lot(session, command["lot_code"])
    if item is not None and command.get("batch_no"):
        return movements.get_lot(session, movements.make_lot_code(item, command["batch_no"]))
    return None
