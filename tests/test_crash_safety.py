"""Crash safety: kill -9 in the middle of a stream of bookings loses nothing, books nothing twice.

gunicorn serves the app on a file SQLite database (PostgreSQL in the PostgreSQL run).
Several clients stream receipts, issues and transfers, each with its own request_id. The
workers are killed with SIGKILL mid-stream (the arbiter restarts them), then the whole
server (arbiter and workers) is killed and started again. Afterwards every booking that
was answered 201 is in the ledger under its request id, replaying any request (answered
or not) books it at most once, the balances are exactly what the requests add up to, and
`flask --app wsgi verify-ledger` passes.
"""
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests
import sqlalchemy as sa

from tests.serving import running_server

pytestmark = pytest.mark.slow

LOT, ITEM, DEPOT, TO_DEPOT = "1060101-CRASH", "1060101", "KBS-ST03", "KBS-ST03-C1"
SEED = 1_000_000
CLIENTS, WORKERS, ANSWERS_PER_PHASE = 6, 3, 40


@dataclass
class Attempt:
    body: dict
    status: int | None = None  # None: no answer (connection cut by the crash)
    movement_ids: tuple[int, ...] = ()


def _body(n: int) -> dict:
    kind = ("receive", "issue", "transfer")[n % 3]
    body = {"request_id": f"crash-{n:05d}-{uuid.uuid4().hex[:8]}", "kind": kind,
            "depot_code": DEPOT, "lot_code": LOT, "quantity": 1 + n % 4}
    if kind == "transfer":
        body["to_depot_code"] = TO_DEPOT
    return body


def _post(session: requests.Session, url: str, headers: dict, attempt: Attempt) -> None:
    try:
        response = session.post(url, json=attempt.body, headers=headers, timeout=30)
    except requests.RequestException:
        return
    attempt.status = response.status_code
    if response.status_code in (200, 201):
        attempt.movement_ids = tuple(m["id"] for m in response.json()["movements"])


class Stream:
    """Client threads booking until stopped; every attempt is kept."""

    def __init__(self, url: str, headers: dict) -> None:
        self.url, self.headers = url, headers
        self.attempts: list[Attempt] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(CLIENTS)]

    def _run(self) -> None:
        session = requests.Session()
        while not self.stop.is_set():
            with self.lock:
                attempt = Attempt(_body(len(self.attempts)))
                self.attempts.append(attempt)
            _post(session, self.url, self.headers, attempt)
            if attempt.status is None:
                time.sleep(0.2)  # the server is down: do not spin

    def answered(self) -> int:
        return sum(a.status is not None for a in self.attempts)

    def wait_for_answers(self, more: int, timeout: float = 90) -> None:
        target, deadline = self.answered() + more, time.monotonic() + timeout
        while self.answered() < target:
            assert time.monotonic() < deadline, "the server stopped answering"
            time.sleep(0.05)


def _ledger_by_request_id(database_url: str) -> dict[str, list[int]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT request_id, id FROM movement WHERE request_id LIKE 'crash-%'")).all()
    finally:
        engine.dispose()
    booked: dict[str, list[int]] = {}
    for request_id, movement_id in rows:
        booked.setdefault(request_id, []).append(movement_id)
    return booked


def _expected_balances(attempts: list[Attempt]) -> dict[str, int]:
    held = {DEPOT: SEED, TO_DEPOT: 0}
    for attempt in attempts:
        kind, quantity = attempt.body["kind"], attempt.body["quantity"]
        held[DEPOT] += quantity if kind == "receive" else -quantity
        if kind == "transfer":
            held[TO_DEPOT] += quantity
    return held


def test_sigkill_mid_stream_loses_no_answered_booking_and_books_none_twice(tmp_path):
    with running_server(tmp_path, workers=WORKERS) as server:
        headers = server.token("keeper")
        url = f"{server.url}/api/v1/movements"
        seed = requests.post(url, headers=headers, timeout=30, json={
            "request_id": f"seed-{uuid.uuid4()}", "kind": "receive", "depot_code": DEPOT,
            "item_code": ITEM, "lot_code": LOT, "quantity": SEED})
        assert seed.status_code == 201, seed.text

        stream = Stream(url, headers)
        for thread in stream.threads:
            thread.start()
        try:
            stream.wait_for_answers(ANSWERS_PER_PHASE)
            server.kill_workers()           # workers die mid-request; the arbiter respawns them
            stream.wait_for_answers(ANSWERS_PER_PHASE)
            server.restart()                # arbiter and workers killed, then started again
            stream.wait_for_answers(ANSWERS_PER_PHASE)
        finally:
            stream.stop.set()
            for thread in stream.threads:
                thread.join(timeout=60)

        attempts = stream.attempts
        statuses = Counter(a.status for a in attempts)
        assert set(statuses) <= {201, None}, statuses  # never a 5xx, never a refusal
        booked = _ledger_by_request_id(server.env["INVENTORY_DATABASE_URL"])
        for attempt in attempts:
            if attempt.status == 201:
                assert booked.get(attempt.body["request_id"]) == list(attempt.movement_ids)
        assert all(len(ids) == 1 for ids in booked.values())

        def replay(attempt: Attempt) -> tuple[Attempt, Attempt]:
            again = Attempt(attempt.body)
            _post(requests.Session(), url, headers, again)
            return attempt, again

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            replays = list(pool.map(replay, attempts))
        lost_answers = 0
        for first, again in replays:
            if first.status == 201:  # answered: a replay returns the same booking
                assert (again.status, again.movement_ids) == (200, first.movement_ids)
            else:                    # unanswered: booked now, or found booked before the crash
                assert again.status in (200, 201), (first.body, again.status)
                lost_answers += again.status == 200
                if first.body["request_id"] in booked:
                    assert again.status == 200
                    assert list(again.movement_ids) == booked[first.body["request_id"]]

        booked = _ledger_by_request_id(server.env["INVENTORY_DATABASE_URL"])
        assert sorted(booked) == sorted(a.body["request_id"] for a in attempts)
        assert all(len(ids) == 1 for ids in booked.values())
        rows = requests.get(f"{server.url}/api/v1/stock?lot={LOT}", headers=headers,
                            timeout=30).json()["items"]
        assert {r["depot_code"]: r["quantity"] for r in rows} == _expected_balances(attempts)
        check = server.flask("verify-ledger")
        assert check.returncode == 0, check.stdout
        if server.env["INVENTORY_DATABASE_URL"].startswith("sqlite"):
            import sqlite3
            path = server.env["INVENTORY_DATABASE_URL"].removeprefix("sqlite:///")
            assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        unanswered = statuses[None]
        print(f"\n{len(attempts)} bookings, {unanswered} cut off by the kills "
              f"({lost_answers} of them had been booked before the crash)")
