"""The database itself refuses impossible states, whatever the code above it does."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.exc import DetachedInstanceError

from inventory.models import Balance, Depot, Item, Lot, Movement, Unit, loaded


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


@pytest.mark.parametrize("model", [Depot, Unit, Lot, Item, Movement])
def test_loaded_instances_match_what_the_orm_makes_of_a_row(session, world, model):
    """models.loaded builds what make_transient_to_detached makes of the same values:
    same identity, nothing to flush, unloaded scalars expired, lazy loads refused."""
    row = session.scalar(sa.select(model).limit(1))
    values = {attr.key: getattr(row, attr.key) for attr in sa.inspect(model).column_attrs}
    session.expunge_all()
    some = dict(list(values.items())[:3])  # the key and two more columns only
    some[sa.inspect(model).primary_key[0].key] = row.id
    for given in (values, some):
        ours = loaded(model, given)
        theirs = sa.orm.class_mapper(model).class_manager.new_instance()
        theirs.__dict__.update(given)
        make_transient_to_detached(theirs)
        a, b = sa.inspect(ours), sa.inspect(theirs)
        assert (a.key, a.detached, a.modified, dict(a.committed_state)) == \
               (b.key, True, False, {})
        assert a.expired_attributes == b.expired_attributes
        assert a.unloaded == b.unloaded
    missing = sorted(sa.inspect(loaded(model, some)).expired_attributes)
    assert missing, "some columns were left out"
    with pytest.raises(DetachedInstanceError):
        getattr(loaded(model, some), missing[0])
    for relationship in sa.inspect(model).relationships:  # Item has none
        with pytest.raises(DetachedInstanceError):
            getattr(loaded(model, values), relationship.key)
    merged = session.merge(loaded(model, values), load=False)
    assert merged.id == row.id and merged not in session.dirty
