"""Clients booking through a running server until told to stop, keeping every attempt.

Used by the crash-safety and backup tests: each booking has its own request_id, and
what the server answered (or that it did not answer) is recorded.
"""
from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

import requests
import sqlalchemy as sa

LOT, ITEM, DEPOT, TO_DEPOT = "1060101-STREAM", "1060101", "KBS-ST03", "KBS-ST03-C1"
SEED = 1_000_000  # enough that no issue or transfer is ever short


@dataclass
class Attempt:
    body: dict
    status: int | None = None  # None: no answer (the connection was cut)
    movement_ids: tuple[int, ...] = ()


def booking(n: int, prefix: str = "stream") -> dict:
    """The n-th booking of a stream: receipts, issues and transfers in turn."""
    kind = ("receive", "issue", "transfer")[n % 3]
    body = {"request_id": f"{prefix}-{n:05d}-{uuid.uuid4().hex[:8]}", "kind": kind,
            "depot_code": DEPOT, "lot_code": LOT, "quantity": 1 + n % 4}
    if kind == "transfer":
        body["to_depot_code"] = TO_DEPOT
    return body


def post(session: requests.Session, url: str, headers: dict, attempt: Attempt) -> Attempt:
    try:
        response = session.post(url, json=attempt.body, headers=headers, timeout=30)
    except requests.RequestException:
        return attempt
    attempt.status = response.status_code
    if response.status_code in (200, 201):
        attempt.movement_ids = tuple(m["id"] for m in response.json()["movements"])
    return attempt


def seed(base_url: str, headers: dict) -> None:
    """Receive SEED pieces of the stream's lot at DEPOT."""
    response = requests.post(f"{base_url}/api/v1/movements", headers=headers, timeout=30, json={
        "request_id": f"seed-{uuid.uuid4()}", "kind": "receive", "depot_code": DEPOT,
        "item_code": ITEM, "lot_code": LOT, "quantity": SEED})
    assert response.status_code == 201, response.text


def expected_balances(attempts: list[Attempt]) -> dict[str, int]:
    """Balances of the lot at DEPOT and TO_DEPOT once every attempt is booked once."""
    held = {DEPOT: SEED, TO_DEPOT: 0}
    for attempt in attempts:
        kind, quantity = attempt.body["kind"], attempt.body["quantity"]
        held[DEPOT] += quantity if kind == "receive" else -quantity
        if kind == "transfer":
            held[TO_DEPOT] += quantity
    return held


class Stream:
    """`clients` threads booking until `stop()`; `attempts` keeps every try in order."""

    def __init__(self, base_url: str, headers: dict, *, clients: int, prefix: str = "stream"):
        self.url, self.headers, self.prefix = f"{base_url}/api/v1/movements", headers, prefix
        self.attempts: list[Attempt] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(clients)]

    def __enter__(self) -> Stream:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self) -> None:
        session = requests.Session()
        while not self._stop.is_set():
            with self._lock:
                attempt = Attempt(booking(len(self.attempts), self.prefix))
                self.attempts.append(attempt)
            post(session, self.url, self.headers, attempt)
            if attempt.status is None:
                time.sleep(0.2)  # the server is down: do not spin

    def answered(self) -> int:
        return sum(a.status is not None for a in self.attempts)

    def wait_for_answers(self, more: int, timeout: float = 90) -> None:
        """Block until `more` further attempts have been answered."""
        target, deadline = self.answered() + more, time.monotonic() + timeout
        while self.answered() < target:
            assert time.monotonic() < deadline, "the server stopped answering"
            time.sleep(0.05)


def ledger_by_request_id(database_url: str, prefix: str) -> dict[str, list[int]]:
    """Movement ids per request id, read straight from the database."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT request_id, id FROM movement "
                                        "WHERE request_id LIKE :p"), {"p": f"{prefix}-%"}).all()
    finally:
        engine.dispose()
    booked: dict[str, list[int]] = {}
    for request_id, movement_id in rows:
        booked.setdefault(request_id, []).append(movement_id)
    return booked
