"""POST/GET /api/v1/movements, reversals and POST /api/v1/scans."""
import uuid
from datetime import date, timedelta

import pytest

from inventory.extensions import db
from inventory.services import ledger

PROBLEM = "application/problem+json"


def rid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def keeper(token_for):
    return token_for("keeper")  # scope: Street One (DEP-S1 holds Q1: 50 quilts)


def book(client, headers, **body):
    body.setdefault("request_id", rid())
    return client.post("/api/v1/movements", json=body, headers=headers)


def test_issue_returns_the_movement_and_the_balance(client, keeper):
    response = book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="Q1", quantity=5,
                    reason="shelter")
    assert response.status_code == 201
    assert response.json["movements"][0]["kind"] == "issue"
    assert response.json["balances"] == [{"depot_code": "DEP-S1", "lot_code": "Q1",
                                          "item_code": "1020101", "owner_code": "S1",
                                          "quantity": 45, "reserved": 0}]


def test_replaying_a_request_id_books_once(client, keeper, app):
    body = {"request_id": rid(), "kind": "issue", "depot_code": "DEP-S1", "lot_code": "Q1",
            "quantity": 5}
    first = client.post("/api/v1/movements", json=body, headers=keeper)
    again = client.post("/api/v1/movements", json=body, headers=keeper)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["replayed"] and again.json["movements"][0]["id"] == first.json["movements"][0]["id"]
    assert again.json["balances"][0]["quantity"] == 45
    other = client.post("/api/v1/movements", json={**body, "quantity": 6}, headers=keeper)
    assert other.status_code == 409 and other.json["type"].endswith("/idempotency-conflict")


def test_insufficient_stock_is_409_with_its_type(client, keeper):
    response = book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="Q1", quantity=51)
    assert response.status_code == 409 and response.mimetype == PROBLEM
    assert response.json["type"].endswith("/insufficient-stock")


def test_receive_creates_the_lot_from_the_supplier_batch(client, keeper):
    response = book(client, keeper, kind="receive", depot_code="DEP-S1", item_code="1040101",
                    batch_no="2026x", expiry_date=(date.today() + timedelta(days=700)).isoformat(),
                    quantity=12, source="donation")
    assert response.status_code == 201
    assert response.json["movements"][0]["lot_code"] == "1040101-2026X"
    assert response.json["movements"][0]["source"] == "donation"
    missing_expiry = book(client, keeper, kind="receive", depot_code="DEP-S1", item_code="1040101",
                          batch_no="NOEXP", quantity=1)
    assert missing_expiry.status_code == 422 and "expiry_date" in missing_expiry.json["errors"]


def test_validation_names_every_bad_field(client, keeper):
    response = client.post("/api/v1/movements", headers=keeper, json={
        "kind": "teleport", "depot_code": "", "quantity": "many", "colour": "red"})
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert {"request_id", "kind", "depot_code", "quantity", "colour"} <= set(response.json["errors"])


def test_a_quantity_with_a_fraction_is_refused_not_rounded(client, keeper):
    for quantity in (1.5, 0.5, "1.5"):
        response = book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="Q1",
                        quantity=quantity)
        assert response.status_code == 422 and "quantity" in response.json["errors"]
    response = book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="Q1",
                    quantity=2.0)  # a whole number written with a point
    assert response.status_code == 201 and response.json["balances"][0]["quantity"] == 48


def test_transfer_needs_a_target_and_count_accepts_zero(client, keeper):
    response = book(client, keeper, kind="transfer", depot_code="DEP-S1", lot_code="Q1", quantity=1)
    assert response.status_code == 422 and "to_depot_code" in response.json["errors"]
    response = book(client, keeper, kind="count", depot_code="DEP-S1", lot_code="Q1", quantity=0)
    assert response.status_code == 201 and response.json["balances"][0]["quantity"] == 0


def test_keeper_cannot_book_outside_its_area(client, keeper):
    response = book(client, keeper, kind="issue", depot_code="DEP-D1", lot_code="T1", quantity=1)
    assert response.status_code == 403 and response.mimetype == PROBLEM


def test_viewer_cannot_book(client, token_for):
    response = book(client, token_for("viewer"), kind="issue", depot_code="DEP-S1", lot_code="Q1",
                    quantity=1)
    assert response.status_code == 403


def test_keeper_undoes_its_own_last_booking(client, keeper, token_for):
    issued = book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="Q1", quantity=5).json
    movement_id = issued["movements"][0]["id"]
    undo = client.post(f"/api/v1/movements/{movement_id}/reverse", json={"request_id": rid()},
                       headers=keeper)
    assert undo.status_code == 201 and undo.json["balances"][0]["quantity"] == 50
    twice = client.post(f"/api/v1/movements/{movement_id}/reverse", json={"request_id": rid()},
                        headers=keeper)
    assert twice.status_code == 409


def test_keeper_cannot_undo_someone_elses_booking(client, keeper, token_for):
    issued = book(client, token_for("bureau"), kind="issue", depot_code="DEP-S1", lot_code="Q1",
                  quantity=5).json
    response = client.post(f"/api/v1/movements/{issued['movements'][0]['id']}/reverse",
                           json={"request_id": rid()}, headers=keeper)
    assert response.status_code == 403


def test_write_off_approves_recorded_losses(client, keeper, token_for):
    bureau = token_for("bureau")
    book(client, keeper, kind="loss", depot_code="DEP-S1", lot_code="Q1", quantity=2, reason="mould")
    book(client, keeper, kind="scrap", depot_code="DEP-S1", lot_code="Q1", quantity=3)
    assert book(client, keeper, kind="write_off", depot_code="DEP-S1", lot_code="Q1",
                quantity=5).status_code == 403
    wrong = book(client, bureau, kind="write_off", depot_code="DEP-S1", lot_code="Q1", quantity=4)
    assert wrong.status_code == 422
    done = book(client, bureau, kind="write_off", depot_code="DEP-S1", lot_code="Q1", quantity=5)
    assert done.status_code == 201 and [m["kind"] for m in done.json["movements"]] == ["write_off"] * 2


def test_fefo_hint_when_an_earlier_lot_sits_here(client, keeper):
    soon = (date.today() + timedelta(days=30)).isoformat()
    late = (date.today() + timedelta(days=300)).isoformat()
    for batch, expiry in (("SOON", soon), ("LATE", late)):
        book(client, keeper, kind="receive", depot_code="DEP-S1", item_code="1040101",
             batch_no=batch, expiry_date=expiry, quantity=10)
    response = book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="1040101-LATE",
                    quantity=1)
    assert response.status_code == 201
    assert response.json["warnings"][0]["type"] == "fefo"
    assert response.json["warnings"][0]["lot_code"] == "1040101-SOON"


def test_expired_lot_issue_needs_confirm_expired(client, keeper):
    book(client, keeper, kind="receive", depot_code="DEP-S1", item_code="1040101", batch_no="OLD",
         expiry_date=(date.today() - timedelta(days=2)).isoformat(), quantity=5)
    refused = book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="1040101-OLD",
                   quantity=1)
    assert refused.status_code == 409 and refused.json["type"].endswith("/expired-lot")
    assert book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="1040101-OLD",
                quantity=1, confirm_expired=True).status_code == 201


def test_ledger_list_is_scoped_and_filtered(client, keeper, token_for):
    book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="Q1", quantity=1)
    mine = client.get("/api/v1/movements?depot=DEP-S1", headers=keeper).json
    assert mine["total"] == 2 and {m["lot_code"] for m in mine["items"]} == {"Q1"}
    everything = client.get("/api/v1/movements", headers=token_for("admin")).json
    assert everything["total"] == 4
    assert client.get("/api/v1/movements", headers=keeper).json["total"] == 2
    since = client.get("/api/v1/movements?since=2099-01-01T00:00:00", headers=token_for("admin"))
    assert since.json["total"] == 0


def test_scan_a_lot_label_tells_what_is_here(client, keeper):
    response = client.post("/api/v1/scans", headers=keeper, json={
        "payload": "http://192.168.1.20:8000/q/T/Q1", "depot_code": "DEP-S1"})
    assert response.status_code == 200
    body = response.json
    assert (body["kind"], body["code"], body["on_hand"], body["item"]["code"]) == ("lot", "Q1", 50, "1020101")
    assert body["url"] == "/lots/Q1"


def test_scan_a_depot_label_and_bare_codes(client, keeper):
    assert client.post("/api/v1/scans", headers=keeper, json={"payload": "/q/D/DEP-S1"}).json["kind"] == "depot"
    assert client.post("/api/v1/scans", headers=keeper, json={"payload": "Q1"}).json["kind"] == "lot"


def test_scan_refuses_foreign_and_unknown_labels(client, keeper):
    foreign = client.post("/api/v1/scans", headers=keeper, json={"payload": "WIFI:T:WPA;S:x;;"})
    assert foreign.status_code == 422 and "payload" in foreign.json["errors"]
    unknown = client.post("/api/v1/scans", headers=keeper, json={"payload": "http://x/q/T/NOPE"})
    assert unknown.status_code == 404 and unknown.mimetype == PROBLEM
    other_area = client.post("/api/v1/scans", headers=keeper, json={"payload": "/q/D/DEP-D2"})
    assert other_area.status_code == 403


def test_the_ledger_stays_consistent(client, keeper, app):
    book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="Q1", quantity=5)
    book(client, keeper, kind="transfer", depot_code="DEP-S1", lot_code="Q1", quantity=5,
         to_depot_code="DEP-S2")
    with app.app_context():
        assert ledger.verify(db.session) == []


def test_a_transfer_and_a_replay_report_the_balances_they_left(client, keeper):
    body = {"request_id": rid(), "kind": "transfer", "depot_code": "DEP-S1", "lot_code": "Q1",
            "quantity": 5, "to_depot_code": "DEP-S2"}
    moved = client.post("/api/v1/movements", json=body, headers=keeper)
    assert moved.status_code == 201
    left = {(b["depot_code"], b["owner_code"], b["quantity"]) for b in moved.json["balances"]}
    assert left == {("DEP-S1", "S1", 45), ("DEP-S2", "S1", 5)}
    book(client, keeper, kind="issue", depot_code="DEP-S1", lot_code="Q1", quantity=1)
    replay = client.post("/api/v1/movements", json=body, headers=keeper)
    assert replay.status_code == 200  # a replay reports the balances as they are now
    assert {(b["depot_code"], b["quantity"]) for b in replay.json["balances"]} == {
        ("DEP-S1", 44), ("DEP-S2", 5)}


def test_scan_lists_every_owner_of_the_lot_here_and_a_count_names_one(client, keeper):
    """Pre-positioned stock: the district owns part of Q1 in the street's depot."""
    assert book(client, keeper, kind="receive", depot_code="DEP-S1", lot_code="Q1",
                owner_code="D1", quantity=7).status_code == 201
    body = client.post("/api/v1/scans", headers=keeper,
                       json={"payload": "/q/T/Q1", "depot_code": "DEP-S1"}).json
    assert [(o["code"], o["quantity"]) for o in body["owners"]] == [("S1", 50), ("D1", 7)]
    assert all(o["name"] for o in body["owners"]) and body["on_hand"] == 57
    unnamed = book(client, keeper, kind="count", depot_code="DEP-S1", lot_code="Q1", quantity=6)
    assert unnamed.status_code == 422 and "owner_code" in unnamed.json["errors"]
    named = book(client, keeper, kind="count", depot_code="DEP-S1", lot_code="Q1",
                 owner_code="D1", quantity=6)
    assert named.status_code == 201
    assert {b["owner_code"]: b["quantity"] for b in named.json["balances"]} == {"D1": 6}
