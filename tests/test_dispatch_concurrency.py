"""Two dispatchers approving orders for the same stock (or the same agreement) at the same
moment, through the real app (gunicorn workers on a file database, or PostgreSQL): never
both succeed, nothing is half-reserved, and the ledger still balances."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import requests

from tests.serving import running_server

ITEM, LOT, DEPOT, DESTINATION = "9990001", "9990001-RACE", "KBS-01", "150603003"
ROUNDS = 6


def test_concurrent_approvals_of_the_same_stock_never_both_succeed(tmp_path):
    with running_server(tmp_path, workers=4) as server:
        bureau, dispatcher = server.token("bureau"), server.token("dispatcher")
        api = f"{server.url}/api/v1"

        def post(path, headers, body=None):
            return requests.post(f"{api}{path}", headers=headers, json=body, timeout=60)

        assert post("/items", bureau, {"code": ITEM, "name": "赛跑帐篷", "unit": "顶",
                                       "category": "shelter"}).status_code == 201
        assert post("/movements", bureau, {
            "request_id": str(uuid.uuid4()), "kind": "receive", "depot_code": DEPOT,
            "item_code": ITEM, "lot_code": LOT, "quantity": 100}).status_code == 201
        event = post("/events", dispatcher, {"name": "Race", "unit_code": "150603"}).json()["code"]

        def new_order():
            body = post("/dispatch-orders", dispatcher, {
                "event_code": event, "to_unit_code": DESTINATION,
                "lines": [{"item_code": ITEM, "quantity": 60}]})
            assert body.status_code == 201, body.text
            assert [a["lot_code"] for a in body.json()["allocations"]] == [LOT]
            return body.json()["code"]

        def race(codes):
            barrier = threading.Barrier(len(codes))

            def approve(code):
                barrier.wait()
                return code, post(f"/dispatch-orders/{code}/approve", bureau)
            with ThreadPoolExecutor(max_workers=len(codes)) as pool:
                return list(pool.map(approve, codes))

        for _ in range(ROUNDS):
            results = race([new_order(), new_order()])
            statuses = sorted(response.status_code for _, response in results)
            assert statuses == [200, 409], [r.text for _, r in results]
            loser = next(r for _, r in results if r.status_code == 409)
            assert loser.json()["type"].endswith("/insufficient-stock")
            stock = requests.get(f"{api}/stock?lot={LOT}", headers=bureau, timeout=30).json()
            assert sum(row["reserved"] for row in stock["items"]) == 60
            winner = next(code for code, r in results if r.status_code == 200)
            assert post(f"/dispatch-orders/{winner}/cancel", dispatcher).status_code == 200

        same = new_order()  # a double click: the same order approved twice at once
        statuses = sorted(r.status_code for _, r in race([same, same]))
        assert statuses == [200, 409]
        stock = requests.get(f"{api}/stock?lot={LOT}", headers=bureau, timeout=30).json()
        assert sum(row["reserved"] for row in stock["items"]) == 60
        check = server.flask("verify-ledger")
        assert check.returncode == 0, check.stdout


def test_concurrent_approvals_never_call_off_more_than_an_agreement_holds(tmp_path):
    with running_server(tmp_path, workers=4) as server:
        bureau, dispatcher = server.token("bureau"), server.token("dispatcher")
        api = f"{server.url}/api/v1"

        def post(path, headers, body=None):
            return requests.post(f"{api}{path}", headers=headers, json=body, timeout=60)

        item = "9990002"  # in no depot: only the agreement supplies it
        assert post("/items", bureau, {"code": item, "name": "赛跑睡袋", "unit": "个",
                                       "category": "bedding"}).status_code == 201
        assert post("/partners", bureau, {"code": "RACE-P", "name": "Race Co"}).status_code == 201
        today = date.today()
        created = post("/agreements", bureau, {
            "partner_code": "RACE-P", "code": "RACE-AG", "mode": "stock",
            "valid_from": (today - timedelta(1)).isoformat(),
            "valid_to": (today + timedelta(90)).isoformat(), "lead_time_hours": 2,
            "owner_code": "150603", "lines": [{"item_code": item, "quantity": 70}]})
        assert created.status_code == 201, created.text
        event = post("/events", dispatcher, {"name": "Race", "unit_code": "150603"}).json()["code"]
        codes = []
        for _ in range(2):
            body = post("/dispatch-orders", dispatcher, {
                "event_code": event, "to_unit_code": DESTINATION,
                "lines": [{"item_code": item, "quantity": 60}]}).json()
            assert [c["quantity"] for c in body["calloffs"]] == [60], body
            codes.append(body["code"])
        barrier = threading.Barrier(2)

        def approve(code):
            barrier.wait()
            return post(f"/dispatch-orders/{code}/approve", bureau)
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(approve, codes))
        assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
        loser = next(r for r in results if r.status_code == 409)
        assert loser.json()["type"].endswith("/insufficient-stock")
        called = [c for code in codes for c in requests.get(
            f"{api}/dispatch-orders/{code}", headers=bureau, timeout=30).json()["calloffs"]
            if c["status"] == "called"]
        assert [c["quantity"] for c in called] == [60]
