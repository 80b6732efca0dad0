"""Reservations on balances: the one place `Balance.reserved` changes outside a booking.

A reservation promises stock to a dispatch order without moving it, so it is no ledger
movement; like bookings, it changes the balance only with conditional SQL:
``reserved = reserved + :q WHERE quantity - reserved >= :q``. Two dispatchers promising
the same pieces therefore cannot both succeed: the second statement matches no row.
Picking consumes a reservation through `movements.issue/transfer(from_reserved=True)`.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inventory.models import Balance
from inventory.services.errors import N_, DomainError, InsufficientStock, field_error


def _key():
    return sa.and_(Balance.lot_id == sa.bindparam("b_lot"),
                   Balance.depot_id == sa.bindparam("b_depot"),
                   Balance.owner_id == sa.bindparam("b_owner"))


_RESERVE = (sa.update(Balance)
            .where(_key(), Balance.quantity - Balance.reserved >= sa.bindparam("b_qty"))
            .values(reserved=Balance.reserved + sa.bindparam("b_qty"),
                    updated_at=sa.bindparam("b_now"))
            .execution_options(synchronize_session=False))
_RELEASE = (sa.update(Balance)
            .where(_key(), Balance.reserved >= sa.bindparam("b_qty"))
            .values(reserved=Balance.reserved - sa.bindparam("b_qty"),
                    updated_at=sa.bindparam("b_now"))
            .execution_options(synchronize_session=False))
_AVAILABLE = sa.select(Balance.quantity - Balance.reserved).where(_key())


def _check(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        raise field_error("quantity", N_("Quantity must be a whole number above zero."))


def reserve(session: Session, *, lot_id: int, depot_id: int, owner_id: int, quantity: int,
            now: datetime, lot_code: str = "", depot_code: str = "") -> None:
    """Promise `quantity` of a balance; raises InsufficientStock when not that much is free."""
    _check(quantity)
    if quantity == 0:
        return
    key = {"b_lot": lot_id, "b_depot": depot_id, "b_owner": owner_id}
    result = session.execute(_RESERVE, {**key, "b_qty": quantity, "b_now": now})
    if result.rowcount != 1:
        available = session.scalar(_AVAILABLE, key) or 0
        raise InsufficientStock(
            N_("Only %(available)s of lot %(lot)s are still free at %(depot)s; "
               "%(requested)s were to be reserved."),
            available=available, lot=lot_code or lot_id, depot=depot_code or depot_id,
            requested=quantity)


def release(session: Session, *, lot_id: int, depot_id: int, owner_id: int, quantity: int,
            now: datetime) -> None:
    """Give back a promise made by `reserve`; raises DomainError if less is reserved."""
    _check(quantity)
    if quantity == 0:
        return
    key = {"b_lot": lot_id, "b_depot": depot_id, "b_owner": owner_id}
    result = session.execute(_RELEASE, {**key, "b_qty": quantity, "b_now": now})
    if result.rowcount != 1:
        raise DomainError(N_("The reservation to release is no longer there."))
