"""verify-ledger: balances equal the sum of their movements."""
import sqlalchemy as sa

from inventory.models import Balance, utcnow
from inventory.services import demo, ledger


def test_world_ledger_is_consistent(session, world):
    assert ledger.verify(session) == []


def test_a_tampered_balance_is_reported(session, world):
    session.execute(sa.update(Balance).where(Balance.lot_id == world.lots["T1"].id)
                    .values(quantity=Balance.quantity + 5))
    differences = ledger.verify(session)
    assert len(differences) == 1
    assert differences[0].balance - differences[0].ledger == 5


def test_demo_data_is_consistent_and_idempotent(session):
    first = demo.load(session, now=utcnow(), tiers=["city", "district", "street", "community"],
                      password="demo-password")
    second = demo.load(session, now=utcnow(), tiers=["city", "district", "street", "community"],
                       password="demo-password")
    assert first.created and not second.created
    assert "admin" in first.users
    assert ledger.verify(session) == []
