"""Mixed load on loopback: label scans and bookings by keepers, stock lists and readiness
reads by the bureau, all at once, against gunicorn.

    .venv/bin/python benchmarks/load_mix.py [--seconds 30] [--clients 8] [--workers 4]
    scripts/with-postgres .venv/bin/python benchmarks/load_mix.py      # the same on PostgreSQL
    .venv/bin/python benchmarks/load_mix.py --url http://127.0.0.1:8000 \\
        --keeper-token inv_... --reader-token inv_...                  # a server already running

Without --url it starts gunicorn on a fresh database with the demo data (tests/serving.py).
Only loopback addresses are accepted. An endpoint that answers 404 to a first probe (the
readiness API on a branch without it) is left out of the mix and reported as skipped.
Prints a Markdown table (the figures go to docs/benchmarks.md, "Mixed load"); exits 1 if
any request failed.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Demo data: the keeper's street depot and district (inventory/services/demo.py).
DEPOT, DISTRICT, STREET, ITEM = "KBS-ST03", "150603", "150603003", "1060101"
LOT = f"{ITEM}-LOADMIX"
WEIGHTS = {"scan": 30, "booking": 20, "stock list": 30, "readiness": 20}


@dataclass
class Operation:
    name: str
    send: Callable[[requests.Session, random.Random], requests.Response]
    expected: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def operations(url: str, keeper: dict, reader: dict) -> dict[str, Operation]:
    def scan(session, rng):
        return session.post(f"{url}/api/v1/scans", headers=keeper, timeout=30,
                            json={"payload": f"{url}/q/T/{LOT}", "depot_code": DEPOT})

    def booking(session, rng):
        kind = rng.choice(("receive", "issue"))
        return session.post(f"{url}/api/v1/movements", headers=keeper, timeout=30, json={
            "request_id": str(uuid.uuid4()), "kind": kind, "depot_code": DEPOT,
            "lot_code": LOT, "quantity": 1})

    def stock_list(session, rng):
        query = rng.choice((f"unit={DISTRICT}", f"depot={DEPOT}", f"item={ITEM}",
                            f"unit={STREET}&per_page=200", "", "q=帐篷"))
        return session.get(f"{url}/api/v1/stock?{query}", headers=reader, timeout=30)

    def readiness(session, rng):
        unit = rng.choice((DISTRICT, STREET))
        return session.get(f"{url}/api/v1/readiness?unit={unit}", headers=reader, timeout=30)

    return {"scan": Operation("scan", scan, 200), "booking": Operation("booking", booking, 201),
            "stock list": Operation("stock list", stock_list, 200),
            "readiness": Operation("readiness", readiness, 200)}


@dataclass
class Report:
    seconds: float
    clients: int
    operations: dict[str, Operation]
    skipped: dict[str, str]

    @property
    def total(self) -> int:
        return sum(len(op.latencies) for op in self.operations.values())

    @property
    def errors(self) -> list[str]:
        return [error for op in self.operations.values() for error in op.errors]

    def markdown(self) -> str:
        lines = ["| Request | Share | Requests | Errors | p50 ms | p95 ms | p99 ms | max ms |",
                 "|---|---|---|---|---|---|---|---|"]
        for op in self.operations.values():
            lat = sorted(op.latencies) or [0.0]
            share = len(op.latencies) / max(self.total, 1)
            lines.append(f"| {op.name} | {share:.0%} | {len(op.latencies):,} | {len(op.errors)} | "
                         f"{_pct(lat, 50):.0f} | {_pct(lat, 95):.0f} | {_pct(lat, 99):.0f} | "
                         f"{lat[-1] * 1000:.0f} |")
        lines.append(f"| **all** | 100% | {self.total:,} | {len(self.errors)} | | | | |")
        lines.append("")
        lines.append(f"{self.total / self.seconds:,.0f} requests/s over {self.seconds:.0f} s "
                     f"with {self.clients} clients.")
        for name, reason in self.skipped.items():
            lines.append(f"Skipped: {name} ({reason}).")
        return "\n".join(lines)


def _pct(sorted_latencies: list[float], percent: int) -> float:
    if len(sorted_latencies) == 1:
        return sorted_latencies[0] * 1000
    return statistics.quantiles(sorted_latencies, n=100, method="inclusive")[percent - 1] * 1000


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load {host}: loopback only (127.0.0.1, localhost, ::1)")


def prepare(url: str, keeper: dict, ops: dict[str, Operation]) -> dict[str, str]:
    """Seed the lot the keepers scan and book; leave out endpoints that do not exist here."""
    seeded = requests.post(f"{url}/api/v1/movements", headers=keeper, timeout=30, json={
        "request_id": str(uuid.uuid4()), "kind": "receive", "depot_code": DEPOT,
        "item_code": ITEM, "lot_code": LOT, "quantity": 100_000})
    if seeded.status_code != 201:
        raise SystemExit(f"could not seed {LOT}: {seeded.status_code} {seeded.text[:300]}")
    skipped = {}
    session, rng = requests.Session(), random.Random(0)
    for name, op in list(ops.items()):
        probe = op.send(session, rng)
        if probe.status_code == 404:
            skipped[name] = "the endpoint answers 404 on this build"
            del ops[name]
        elif probe.status_code != op.expected:
            raise SystemExit(f"{name}: {probe.status_code} {probe.text[:300]}")
    return skipped


def run(url: str, keeper: dict, reader: dict, *, seconds: float, clients: int,
        seed: int = 1) -> Report:
    """Drive the mix for `seconds` with `clients` threads; every request is timed."""
    check_loopback(url)
    ops = operations(url, keeper, reader)
    skipped = prepare(url, keeper, ops)
    names = list(ops)
    weights = [WEIGHTS[name] for name in names]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        rng, session = random.Random(seed * 1000 + number), requests.Session()
        while time.monotonic() < deadline:
            op = ops[rng.choices(names, weights)[0]]
            started = time.perf_counter()
            try:
                response = op.send(session, rng)
                error = None if response.status_code == op.expected else (
                    f"{op.name}: {response.status_code} {response.text[:200]}")
            except requests.RequestException as exc:
                error = f"{op.name}: {exc.__class__.__name__}"
            elapsed = time.perf_counter() - started
            with lock:
                op.latencies.append(elapsed)
                if error:
                    op.errors.append(error)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Report(time.monotonic() - started, clients, ops, skipped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--url", help="a server already running (loopback only)")
    parser.add_argument("--keeper-token", help="with --url: token of a keeper at KBS-ST03")
    parser.add_argument("--reader-token", help="with --url: token of a district reader")
    args = parser.parse_args(argv)
    if args.url:
        keeper = {"Authorization": f"Bearer {args.keeper_token}"}
        reader = {"Authorization": f"Bearer {args.reader_token}"}
        report = run(args.url.rstrip("/"), keeper, reader, seconds=args.seconds,
                     clients=args.clients)
    else:
        sys.path.insert(0, str(ROOT))
        from tests.conftest import POSTGRES_URL
        from tests.serving import running_server
        with tempfile.TemporaryDirectory() as tmp, \
                running_server(Path(tmp), workers=args.workers) as server:
            report = run(server.url, server.token("keeper"), server.token("viewer"),
                         seconds=args.seconds, clients=args.clients)
            check = server.flask("verify-ledger")
        database = "PostgreSQL" if POSTGRES_URL else "SQLite (WAL, synchronous=FULL)"
        print(f"gunicorn {args.workers} workers, {database}; verify-ledger: "
              f"{'ok' if check.returncode == 0 else 'FAILED'}\n")
    print(report.markdown())
    for error in report.errors[:20]:
        print("error:", error, file=sys.stderr)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
