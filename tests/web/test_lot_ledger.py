"""The lot page's ledger pages through every movement (it used to stop at 200 silently)."""
import re

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Lot, Movement, utcnow
from inventory.services import movements
from tests.conftest import login
from tests.factories import actor


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="m(\d+)">', page)]


def test_the_lot_ledger_pages_past_200_movements(client, app, world):
    with app.app_context():
        lot = db.session.scalar(sa.select(Lot).where(Lot.lot_code == "T1"))
        depot = world.depots["DEP-D1"]
        for _ in range(230):
            movements.receive(db.session, actor(), lot=lot, depot=db.session.merge(depot),
                              owner=db.session.merge(depot.unit), quantity=1, now=utcnow())
        db.session.commit()
        every = list(db.session.scalars(sa.select(Movement.id).where(Movement.lot_id == lot.id)
                                        .order_by(Movement.id.desc())))
    assert len(every) == 231
    login(client, "bureau")
    first = client.get("/lots/T1").get_data(as_text=True)
    assert _ids(first) == every[:50] and 'rel="next"' in first
    seen = []
    for number in range(1, 6):
        seen += _ids(client.get(f"/lots/T1?page={number}").get_data(as_text=True))
    assert seen == every  # the first receipt too, on the last page
    assert _ids(client.get("/lots/T1?per_page=500").get_data(as_text=True)) == every
    assert client.get("/lots/T1?page=99999999999999999999").status_code == 422


def test_a_reversed_movement_offers_no_second_reversal_on_any_page(client, app, world):
    login(client, "bureau")
    with app.app_context():
        first_id = db.session.scalar(sa.select(sa.func.min(Movement.id)).join(
            Lot, Movement.lot_id == Lot.id).where(Lot.lot_code == "T1"))
    assert client.post(f"/movements/{first_id}/reverse", data={"reason": "wrong"}
                       ).status_code == 302
    page = client.get("/lots/T1?per_page=1&page=2").get_data(as_text=True)
    assert _ids(page) == [first_id] and f"/movements/{first_id}/reverse" not in page
