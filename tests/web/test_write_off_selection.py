"""The write-off page (核销): approving with nothing ticked books nothing and says so."""
import re

import sqlalchemy as sa

from inventory.extensions import db
from inventory.models import Movement, MovementKind
from tests.conftest import login
from tests.web.test_booking_pages import request_id


def test_approving_nothing_ticked_asks_for_a_selection_and_books_nothing(client, app, world):
    login(client, "keeper")
    page = client.get("/lots/Q1").get_data(as_text=True)
    client.post("/lots/Q1/book", data={"request_id": request_id(page), "kind": "loss",
                                       "depot_code": "DEP-S1", "quantity": "2", "reason": "rats"})
    client.post("/logout")
    login(client, "bureau")
    page = client.get("/write-offs").get_data(as_text=True)
    response = client.post("/write-offs", data={"reason": "checked",
                                                "request_id": request_id(page)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'data-testid="write-off-error">([^<]*)<', page)
    assert error and error.group(1) == "请至少选择一笔损耗或报废。"
    assert "已核销 0 笔" not in page and 'value="checked"' in page  # the note typed is kept
    assert re.search(r'name="movement" value="\d+"', page)  # still awaiting write-off
    with app.app_context():
        assert not db.session.scalar(sa.select(sa.func.count(Movement.id)).where(
            Movement.kind == MovementKind.WRITE_OFF))
