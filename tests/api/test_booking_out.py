"""BookingOut.dump writes the booking answer by hand (it is on every scan): it must give
exactly what marshmallow's generic dump of the declared fields gives, for every kind."""
import uuid
from datetime import date, timedelta

import pytest
from marshmallow import Schema

from inventory.schemas.movements import BookingOut


def rid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def answers(monkeypatch):
    """Every booking answer, checked against the generic dump as it is written."""
    seen = []
    fast = BookingOut.dump

    def both(self, obj, *, many=None):
        mine = fast(self, obj, many=many)
        assert mine == Schema.dump(self, obj, many=many)
        seen.append(mine)
        return mine

    monkeypatch.setattr(BookingOut, "dump", both)
    return seen


def test_every_kind_of_answer_equals_the_generic_dump(client, world, token_for, answers):
    keeper, bureau = token_for("keeper"), token_for("bureau")

    def book(headers, **body):
        body.setdefault("request_id", rid())
        response = client.post("/api/v1/movements", json=body, headers=headers)
        assert response.status_code in (200, 201), response.json
        return response.json

    for batch, days in (("SOON", 30), ("LATE", 300)):
        book(keeper, kind="receive", depot_code="DEP-S1", item_code="1040101", batch_no=batch,
             expiry_date=(date.today() + timedelta(days=days)).isoformat(), quantity=10,
             source="donation", reason="gift")
    hinted = book(keeper, kind="issue", depot_code="DEP-S1", lot_code="1040101-LATE", quantity=1)
    assert hinted["warnings"] and hinted["warnings"][0]["expiry_date"]
    transfer = {"request_id": rid(), "kind": "transfer", "depot_code": "DEP-S1",
                "lot_code": "Q1", "quantity": 5, "to_depot_code": "DEP-S2"}
    book(keeper, **transfer)
    assert book(keeper, **transfer)["replayed"] is True
    book(keeper, kind="count", depot_code="DEP-S1", lot_code="Q1", quantity=40)
    book(keeper, kind="loss", depot_code="DEP-S1", lot_code="Q1", quantity=2)
    scrap = book(keeper, kind="scrap", depot_code="DEP-S1", lot_code="Q1", quantity=3)
    book(bureau, kind="write_off", depot_code="DEP-S1", lot_code="Q1", quantity=2)
    undo = client.post(f"/api/v1/movements/{scrap['movements'][0]['id']}/reverse",
                       json={"request_id": rid()}, headers=keeper)
    assert undo.status_code == 201
    kinds = {m["kind"] for answer in answers for m in answer["movements"]}
    assert kinds == {"receive", "issue", "transfer", "count", "loss", "scrap", "write_off",
                     "reversal"}
