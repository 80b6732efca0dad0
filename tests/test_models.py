"""The database itself refuses impossible states, whatever the code above it does."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from inventory.models import Balance, Movement


def test_negative_quantity_is_refused_by_the_database(session, world):
    balance = session.scalar(sa.select(Balance).where(Balance.lot_id == world.lots["T1"].id))
    with pytest.raises(IntegrityError):
        session.execute(sa.update(Balance).where(Balance.id == balance.id).values(quantity=-1))
        session.flush()
    session.rollback()


def test_reserving_more_than_the_quantity_is_refused(session, world):
    balance = session.scalar(sa.select(Balance).where(Balance.lot_id == world.lots["T1"].id))
    with pytest.raises(IntegrityError):
        session.execute(sa.update(Balance).where(Balance.id == balance.id)
                        .values(reserved=balance.quantity + 1))
        session.flush()
    session.rollback()


def test_duplicate_request_id_is_refused(session, world):
    movement = session.scalar(sa.select(Movement).limit(1))
    with pytest.raises(IntegrityError):
        session.add(Movement(kind=movement.kind, lot_id=movement.lot_id, quantity=1,
                             request_id=movement.request_id, created_at=movement.created_at,
                             to_depot_id=movement.to_depot_id, to_owner_id=movement.to_owner_id))
        session.flush()
    session.rollback()


def test_zero_quantity_movement_is_refused_for_a_receipt(session, world):
    movement = session.scalar(sa.select(Movement).limit(1))
    with pytest.raises(IntegrityError):
        session.add(Movement(kind=movement.kind, lot_id=movement.lot_id, quantity=0,
                             request_id="zero", created_at=movement.created_at))
        session.flush()
    session.rollback()
