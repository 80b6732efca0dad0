"""Two versions of the app side by side: bookings per second of each, measured in pairs.

    .venv/bin/python benchmarks/ab_booking.py A_DIR B_DIR [--rounds 3] [--clients 8 32]
        [--seconds 10] [--workers N]

A_DIR and B_DIR are checkouts of this repository (e.g. `git worktree add ../before HEAD~3`),
both run with this virtualenv. Each gets its own demo database and gunicorn server, as in
scan_throughput.py; then each round measures A and B seconds apart at each client count
(B first in every other round) and prints B ÷ A. On a shared machine whose speed moves
from one minute to the next, this tells a change's effect from the machine's far better
than two runs of scan_throughput.py an hour apart.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scan_throughput import (free_port, gunicorn, prepare_app, seed_lot,  # noqa: E402
                                        stop, wrk)


def start(root: Path, tmp: Path, workers: int) -> tuple[subprocess.Popen, str, dict]:
    """A demo database and a gunicorn server for the checkout at `root`."""
    env, token = prepare_app(tmp, "FULL", cwd=root)
    port = free_port()
    process = gunicorn("wsgi:app", env, workers, port, tmp / "server.log", cwd=root)
    url = f"http://127.0.0.1:{port}"
    seed_lot(url, token)
    return process, url, {"BENCH_TOKEN": token, "BENCH_DEPOT": "KBS-01", "BENCH_LOT": "BENCH-LOT"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ab-booking-"))
    servers: dict[str, tuple] = {}
    try:
        for name, root in (("A", args.a), ("B", args.b)):
            (tmp / name).mkdir()
            servers[name] = start(root.resolve(), tmp / name, args.workers)
        for _, url, env in servers.values():
            wrk(url, 8, 2, env)  # warm-up
        print("| round | clients | A bookings/s | B bookings/s | B ÷ A |\n|---|---|---|---|---|")
        pairs: list[tuple[int, float, float]] = []
        for number in range(args.rounds):
            for clients in args.clients:
                rps = {name: wrk(servers[name][1], clients, args.seconds, servers[name][2])["rps"]
                       for name in ("AB" if number % 2 == 0 else "BA")}
                pairs.append((clients, rps["A"], rps["B"]))
                print(f"| {number + 1} | {clients} | {rps['A']:,.0f} | {rps['B']:,.0f} | "
                      f"{rps['B'] / rps['A']:.3f} |", flush=True)
        for clients in args.clients:
            ratios = [b / a for c, a, b in pairs if c == clients]
            print(f"\nMedian B ÷ A at {clients} clients over {len(ratios)} rounds: "
                  f"{statistics.median(ratios):.3f}", end="")
        print()
    finally:
        for process, _, _ in servers.values():
            stop(process)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
