"""Many devices scanning the same lot at once, through the real app (gunicorn workers on a
file database, or PostgreSQL): the lot never goes negative and nothing is booked twice."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.serving import running_server

LOT = "1060101-CONC"
START, EACH, ATTEMPTS, CLIENTS = 100, 3, 80, 16


def test_concurrent_issues_from_one_lot_never_overdraw(tmp_path):
    with running_server(tmp_path, workers=4) as server:
        headers = server.token("keeper")
        url = f"{server.url}/api/v1/movements"
        seed = requests.post(url, headers=headers, timeout=30, json={
            "request_id": str(uuid.uuid4()), "kind": "receive", "depot_code": "KBS-ST03",
            "item_code": "1060101", "lot_code": LOT, "quantity": START})
        assert seed.status_code == 201, seed.text
        local = threading.local()

        def issue(n: int):
            local.session = getattr(local, "session", None) or requests.Session()
            body = {"request_id": f"conc-{n:04d}-{uuid.uuid4()}", "kind": "issue",
                    "depot_code": "KBS-ST03", "lot_code": LOT, "quantity": EACH}
            first = local.session.post(url, headers=headers, json=body, timeout=60)
            replay = local.session.post(url, headers=headers, json=body, timeout=60)
            return first, replay

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            results = list(pool.map(issue, range(ATTEMPTS)))

        firsts = [first.status_code for first, _ in results]
        assert set(firsts) <= {201, 409}, firsts
        refused = [first.json() for first, _ in results if first.status_code == 409]
        assert all(problem["type"].endswith("/insufficient-stock") for problem in refused)
        for first, replay in results:  # a retry never books a second time
            if first.status_code == 201:
                assert replay.status_code == 200
                assert replay.json()["movements"][0]["id"] == first.json()["movements"][0]["id"]
        successes = firsts.count(201)
        stock = requests.get(f"{server.url}/api/v1/stock?lot={LOT}", headers=headers, timeout=30).json()
        final = sum(row["quantity"] for row in stock["items"])
        assert final >= 0
        assert successes * EACH == START - final
        assert successes == START // EACH  # the lot is drained to what cannot be issued
        check = server.flask("verify-ledger")
        assert check.returncode == 0, check.stdout
