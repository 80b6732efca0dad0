"""Crash safety: kill -9 in the middle of a stream of bookings loses nothing, books nothing twice.

gunicorn serves the app on a file SQLite database (PostgreSQL in the PostgreSQL run).
Several clients stream receipts, issues and transfers, each with its own request_id. The
workers are killed with SIGKILL mid-stream (the arbiter restarts them), then the whole
server (arbiter and workers) is killed and started again. Afterwards every booking that
was answered 201 is in the ledger under its request id, replaying any request (answered
or not) books it at most once, the balances are exactly what the requests add up to, and
`flask --app wsgi verify-ledger` passes.
"""
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.booking_stream import (DEPOT, LOT, Attempt, Stream, expected_balances,
                                  ledger_by_request_id, post, seed)
from tests.serving import running_server

pytestmark = pytest.mark.slow

CLIENTS, WORKERS, ANSWERS_PER_PHASE = 6, 3, 40


def test_sigkill_mid_stream_loses_no_answered_booking_and_books_none_twice(tmp_path):
    with running_server(tmp_path, workers=WORKERS) as server:
        headers = server.token("keeper")
        database_url = server.env["INVENTORY_DATABASE_URL"]
        seed(server.url, headers)
        with Stream(server.url, headers, clients=CLIENTS, prefix="crash") as stream:
            stream.wait_for_answers(ANSWERS_PER_PHASE)
            server.kill_workers()           # workers die mid-request; the arbiter respawns them
            stream.wait_for_answers(ANSWERS_PER_PHASE)
            server.restart()                # arbiter and workers killed, then started again
            stream.wait_for_answers(ANSWERS_PER_PHASE)
        attempts = stream.attempts
        statuses = Counter(a.status for a in attempts)
        assert set(statuses) <= {201, None}, statuses  # never a 5xx, never a refusal
        booked = ledger_by_request_id(database_url, "crash")
        for attempt in attempts:
            if attempt.status == 201:
                assert booked.get(attempt.body["request_id"]) == list(attempt.movement_ids)
        assert all(len(ids) == 1 for ids in booked.values())

        def replay(attempt: Attempt) -> tuple[Attempt, Attempt]:
            return attempt, post(requests.Session(), stream.url, headers, Attempt(attempt.body))

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            replays = list(pool.map(replay, attempts))
        lost_answers = 0
        for first, again in replays:
            if first.status == 201:  # answered: a replay returns the same booking
                assert (again.status, again.movement_ids) == (200, first.movement_ids)
            else:                    # cut off: booked now, or found booked before the crash
                assert again.status in (200, 201), (first.body, again.status)
                lost_answers += again.status == 200
                if first.body["request_id"] in booked:
                    assert again.status == 200
                    assert list(again.movement_ids) == booked[first.body["request_id"]]

        booked = ledger_by_request_id(database_url, "crash")
        assert sorted(booked) == sorted(a.body["request_id"] for a in attempts)
        assert all(len(ids) == 1 for ids in booked.values())
        rows = requests.get(f"{server.url}/api/v1/stock?lot={LOT}", headers=headers,
                            timeout=30).json()["items"]
        assert {r["depot_code"]: r["quantity"] for r in rows} == expected_balances(attempts)
        assert rows and DEPOT in {r["depot_code"] for r in rows}
        check = server.flask("verify-ledger")
        assert check.returncode == 0, check.stdout
        if database_url.startswith("sqlite"):
            import sqlite3
            path = database_url.removeprefix("sqlite:///")
            assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        print(f"\n{len(attempts)} bookings, {statuses[None]} cut off by the kills "
              f"({lost_answers} of them had been booked before the crash)")
