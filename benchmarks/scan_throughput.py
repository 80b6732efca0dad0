"""Booking throughput: the movement API under gunicorn on SQLite, against two baselines
measured in the same run (raw sqlite3, and a bare Flask + SQLAlchemy endpoint doing the
same insert + conditional update per booking with no auth or validation); then the stock
list, GET /api/v1/stock?per_page=500, once the reserve holds a few thousand balances.

    .venv/bin/python benchmarks/scan_throughput.py [--seconds 10] [--clients 8 32]
        [--rounds 3] [--workers N] [--synchronous FULL] [--stock-rows 2000]
        [--list-clients 1 4]

Needs `wrk` (Debian package) as the load generator. Prints a Markdown table; the figures
go into docs/benchmarks.md. The machine is shared: the load averages before and after
are printed, and the ratios matter more than the absolute figures. Both servers run
side by side and are measured in pairs, seconds apart (bare then app, app then bare in
the next round): the ratio of a pair compares the two under the same load of the
machine, and the summary gives the median over the rounds. It also gives the CPU time
each server's processes used per booking (from /proc): bookings per CPU second depend
less on the other load of the machine than bookings per second do.

Both servers get the same number of gunicorn sync workers, one per CPU by default: on
this CPU-bound write path, with one SQLite writer at a time, more workers only took CPU
from the one holding the write lock (docs/benchmarks.md).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raw_sqlite(path: Path, seconds: float, synchronous: str) -> float:
    """Transactions per second of insert + conditional update + commit on one connection."""
    from benchmarks.bare_app import create_schema

    create_schema(str(path))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"PRAGMA synchronous = {synchronous}")
    count, deadline = 0, time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        connection.execute("BEGIN IMMEDIATE")
        cursor = connection.execute(
            "UPDATE balance SET quantity = quantity - 1 WHERE id = 1 AND quantity >= 1")
        assert cursor.rowcount == 1
        connection.execute("INSERT INTO movement (request_id, quantity, created_at) VALUES (?, 1, ?)",
                           (str(uuid.uuid4()), time.time()))
        connection.execute("COMMIT")
        count += 1
    elapsed = time.perf_counter() - start
    connection.close()
    return count / elapsed


def gunicorn(app: str, env: dict, workers: int, port: int, log: Path,
             cwd: Path = ROOT) -> subprocess.Popen:
    with log.open("a") as handle:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", app], cwd=cwd, env=env, stdout=handle,
            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{app} did not start; see {log}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def wrk(url: str, clients: int, seconds: float, env: dict, script: str = "book.lua") -> dict:
    threads = min(clients, 2)
    result = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{int(seconds)}s", "--timeout", "10s",
         "-s", str(ROOT / "benchmarks" / script), url],
        env={**os.environ, **env}, capture_output=True, text=True, check=True)
    line = next(l for l in result.stdout.splitlines() if l.startswith("RESULT"))
    values = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    errors = values["errors_status"] + values["errors_connect"] + values["errors_timeout"]
    return {"clients": clients, "rps": values["requests"] / (values["duration_us"] / 1e6),
            "p50_ms": values["p50_us"] / 1000, "p90_ms": values["p90_us"] / 1000,
            "p99_ms": values["p99_us"] / 1000,
            "errors": errors, "requests": values["requests"]}


def server_cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by a gunicorn server: its arbiter and workers,
    the processes of its own process group."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # exited meanwhile
            continue
        if int(fields[2]) == process.pid:  # pgrp: the arbiter leads its own session
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def measured(process: subprocess.Popen, url: str, clients: int, seconds: float,
             env: dict) -> dict:
    """`wrk` against one server, with the server's CPU time per request."""
    before = server_cpu_seconds(process)
    result = wrk(url, clients, seconds, env)
    result["cpu_us"] = (server_cpu_seconds(process) - before) / max(result["requests"], 1) * 1e6
    return result


def flask_cli(env: dict, *args: str, cwd: Path = ROOT) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=cwd, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    return result.stdout


def prepare_app(tmp: Path, synchronous: str, cwd: Path = ROOT) -> tuple[dict, str]:
    """A demo database in `tmp` for the checkout at `cwd`: its environment and a token."""
    env = {**os.environ, "INVENTORY_DATABASE_URL": f"sqlite:///{tmp / 'app.sqlite'}",
           "INVENTORY_INSTANCE_PATH": str(tmp / "instance"), "INVENTORY_SECRET_KEY": "bench",
           "INVENTORY_SQLITE_SYNCHRONOUS": synchronous}
    flask_cli(env, "db", "upgrade", cwd=cwd)
    flask_cli(env, "demo-data", "--password", "bench-password", cwd=cwd)
    token = flask_cli(env, "create-token", "admin", cwd=cwd).strip()
    return env, token


def seed_lot(url: str, token: str) -> None:
    response = requests.post(f"{url}/api/v1/movements", timeout=30, headers={
        "Authorization": f"Bearer {token}"}, json={
        "request_id": str(uuid.uuid4()), "kind": "receive", "depot_code": "KBS-01",
        "item_code": "1060101", "lot_code": "BENCH-LOT", "quantity": 90_000_000})
    response.raise_for_status()


def seed_stock(url: str, token: str, lots: int) -> int:
    """Receive `lots` new lots across the demo depots and items, through the API; returns
    the number of balances the stock list then holds."""
    headers = {"Authorization": f"Bearer {token}"}
    depots = [d["code"] for d in requests.get(f"{url}/api/v1/depots?per_page=500",
                                              headers=headers, timeout=30).json()["items"]]
    items = [i["code"] for i in requests.get(f"{url}/api/v1/items?per_page=500",
                                             headers=headers, timeout=30).json()["items"]]
    chooser = random.Random(4)
    bodies = [{"request_id": f"seed-{n}-{uuid.uuid4()}", "kind": "receive",
               "depot_code": chooser.choice(depots), "item_code": chooser.choice(items),
               "batch_no": f"SEED{n}", "expiry_date": "2031-12-31", "quantity": 10}
              for n in range(lots)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for response in pool.map(lambda body: requests.post(
                f"{url}/api/v1/movements", json=body, headers=headers, timeout=60), bodies):
            response.raise_for_status()
    return requests.get(f"{url}/api/v1/stock?per_page=1", headers=headers,
                        timeout=30).json()["total"]


def run(args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    results: dict = {"synchronous": args.synchronous, "workers": args.workers,
                     "cpus": os.cpu_count(), "load_before": os.getloadavg()}
    try:
        results["raw_sqlite_tps"] = raw_sqlite(tmp / "raw.sqlite", args.seconds, args.synchronous)
        results.update(run_servers(args, tmp))
        results["load_after"] = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def start_bare(args, tmp: Path) -> tuple[subprocess.Popen, str, dict]:
    """The bare Flask + SQLAlchemy endpoint: its server, its URL and the wrk settings."""
    from benchmarks.bare_app import create_schema

    create_schema(str(tmp / "bare.sqlite"))
    bare_env = {**os.environ, "BARE_DATABASE_URL": f"sqlite:///{tmp / 'bare.sqlite'}",
                "BARE_SYNCHRONOUS": args.synchronous, "PYTHONPATH": str(ROOT)}
    port = free_port()
    process = gunicorn("benchmarks.bare_app:app", bare_env, args.workers, port, tmp / "bare.log")
    return process, f"http://127.0.0.1:{port}", {"BENCH_PATH": "/book"}


def run_servers(args, tmp: Path) -> dict:
    """Bookings on both servers in rounds of pairs, then the stock list; verify-ledger."""
    results: dict = {"rounds": []}
    env, token = prepare_app(tmp, args.synchronous)
    port = free_port()
    app = gunicorn("wsgi:app", env, args.workers, port, tmp / "app.log")
    bare = None
    try:
        url = f"http://127.0.0.1:{port}"
        seed_lot(url, token)
        bare, bare_url, bare_env = start_bare(args, tmp)
        app_env = {"BENCH_TOKEN": token, "BENCH_DEPOT": "KBS-01", "BENCH_LOT": "BENCH-LOT"}
        targets = {"bare": (bare, bare_url, bare_env), "app": (app, url, app_env)}
        for name in targets:  # warm-up
            wrk(targets[name][1], 8, 2, targets[name][2])
        for number in range(args.rounds):
            order = ("bare", "app") if number % 2 == 0 else ("app", "bare")
            for clients in args.clients:
                pair = {}
                for name in order:
                    process, target_url, wrk_env = targets[name]
                    pair[name] = measured(process, target_url, clients, args.seconds, wrk_env)
                results["rounds"].append({"round": number + 1, "clients": clients, **pair})
        stop(bare)
        bare = None
        if args.stock_rows:
            results["stock_rows"] = seed_stock(url, token, args.stock_rows)
            list_env = {"BENCH_TOKEN": token, "BENCH_PATH": "/api/v1/stock?per_page=500"}
            wrk(url, 2, 2, list_env, "list.lua")  # warm-up
            results["list"] = [wrk(url, c, args.seconds, list_env, "list.lua")
                               for c in args.list_clients]
    finally:
        stop(app)
        if bare is not None:
            stop(bare)
    results["verify_ledger"] = flask_cli(env, "verify-ledger").strip()
    return results


def report(results: dict) -> str:
    loads = {key: " ".join(f"{value:.2f}" for value in results.get(key, ()))
             for key in ("load_before", "load_after")}
    lines = [f"SQLite synchronous={results['synchronous']}, gunicorn sync workers={results['workers']}, "
             f"{results['cpus']} CPUs, load average (1, 5, 15 min) before: {loads['load_before']}, "
             f"after: {loads['load_after']}",
             f"raw sqlite3 (one connection, insert + conditional update + commit): "
             f"{results['raw_sqlite_tps']:,.0f} tx/s", "",
             "| round | clients | bare bookings/s | app bookings/s | app ÷ bare "
             "| bare p50 / p99 ms | app p50 / p99 ms | errors (bare, app) |",
             "|---|---|---|---|---|---|---|---|"]
    for row in results["rounds"]:
        bare, app = row["bare"], row["app"]
        lines.append(f"| {row['round']} | {row['clients']} | {bare['rps']:,.0f} | "
                     f"{app['rps']:,.0f} | {app['rps'] / bare['rps']:.2f} | "
                     f"{bare['p50_ms']:.1f} / {bare['p99_ms']:.1f} | "
                     f"{app['p50_ms']:.1f} / {app['p99_ms']:.1f} | "
                     f"{bare['errors']}, {app['errors']} |")
    lines.append("")
    for clients in sorted({row["clients"] for row in results["rounds"]}):
        pairs = [row for row in results["rounds"] if row["clients"] == clients]
        lines.append(f"Median over {len(pairs)} rounds at {clients} clients: app "
                     f"{statistics.median(p['app']['rps'] for p in pairs):,.0f} bookings/s, "
                     f"bare {statistics.median(p['bare']['rps'] for p in pairs):,.0f}/s, "
                     f"app ÷ bare {statistics.median(p['app']['rps'] / p['bare']['rps'] for p in pairs):.2f}.")
        lines.append(f"  Server CPU per booking (arbiter and workers): app "
                     f"{statistics.median(p['app']['cpu_us'] for p in pairs):,.0f} µs, bare "
                     f"{statistics.median(p['bare']['cpu_us'] for p in pairs):,.0f} µs; "
                     f"bookings per CPU second, app ÷ bare "
                     f"{statistics.median(p['bare']['cpu_us'] / p['app']['cpu_us'] for p in pairs):.2f}.")
    if results.get("list"):
        lines += ["", f"Stock list, GET /api/v1/stock?per_page=500 (500 of "
                      f"{results['stock_rows']:,} balances a page):", "",
                  "| clients | pages/s | p50 ms | p90 ms | p99 ms | errors |",
                  "|---|---|---|---|---|---|"]
        for row in results["list"]:
            lines.append(f"| {row['clients']} | {row['rps']:,.1f} | {row['p50_ms']:.1f} | "
                         f"{row['p90_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']} |")
    lines.append("")
    lines.append(f"verify-ledger after the run: {results['verify_ledger']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--rounds", type=int, default=3,
                        help="pairs of measurements (bare, app) per client count")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--synchronous", default="FULL", choices=["OFF", "NORMAL", "FULL"])
    parser.add_argument("--stock-rows", type=int, default=2000,
                        help="lots to receive before measuring the stock list (0: skip it)")
    parser.add_argument("--list-clients", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--json", action="store_true", help="print raw results as JSON too")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    results = run(args)
    print(report(results))
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
