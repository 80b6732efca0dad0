"""In-process profile of the booking path: POST /api/v1/movements called as gunicorn calls it
(a WSGI environ, no HTTP and no test client), one booking after another.

    .venv/bin/python benchmarks/profile_booking.py [-n 2000] [--bare] [--lock]
                                                   [--profile [--top N] | --calls | --marked]

Builds a demo database and books `n` issues of one unit each from one lot. Prints the CPU
time per booking (process time: other load on a shared machine disturbs it less than
wall-clock figures), best of three rounds.

--bare     also time the bare Flask + SQLAlchemy endpoint of scan_throughput.py in the same
           process, rounds interleaved, and print the ratio: a quick estimate of the
           benchmark's "app ÷ bare" that needs no quiet machine.
--lock     also report how long each booking holds the SQLite write lock
           (inventory.database.WriteQueue) and over how many statements: every other
           writer waits that long.
--profile  cProfile: the functions of the bookings by cumulative time (--top N of them).
--calls    Python function calls per booking (cProfile): does not depend on the load of
           the machine at all, handy to compare two versions of the code.
--marked   only book `n` times (with --bare: the bare endpoint), between calls of
           os.getppid() and os.getpgrp(), for counting instructions under callgrind,
           which gives the same count whatever else the machine is doing:

    valgrind --tool=callgrind --zero-before=os_getppid --dump-before=os_getpgrp \
        .venv/bin/python benchmarks/profile_booking.py --marked -n 100
    grep summary callgrind.out.*.1      # instructions of the 100 bookings
"""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HEADERS = {"CONTENT_TYPE": "application/json", "HTTP_HOST": "127.0.0.1:8000",
           "HTTP_USER_AGENT": "profile_booking"}


def prepare(tmp: Path) -> str:
    """A demo database in `tmp`, the app configured for it; returns an admin token."""
    env = {**os.environ, "INVENTORY_DATABASE_URL": f"sqlite:///{tmp / 'app.sqlite'}",
           "INVENTORY_INSTANCE_PATH": str(tmp), "INVENTORY_SECRET_KEY": "profile"}
    os.environ.update(env)
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True, cwd=ROOT)
    subprocess.run([*flask, "demo-data", "--password", "profile-password"], env=env, check=True,
                   capture_output=True, cwd=ROOT)
    return subprocess.run([*flask, "create-token", "admin"], env=env, check=True,
                          capture_output=True, text=True, cwd=ROOT).stdout.strip()


def caller(app, path: str, token: str = ""):
    """A function that POSTs a JSON body to `app` through WSGI and returns (status, body)."""
    def call(body: dict) -> tuple[int, bytes]:
        data = json.dumps(body).encode()
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "",
                   "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
                   "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
                   "CONTENT_LENGTH": str(len(data)), "HTTP_AUTHORIZATION": f"Bearer {token}",
                   "wsgi.input": io.BytesIO(data), "wsgi.errors": sys.stderr,
                   "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.multithread": False,
                   "wsgi.multiprocess": True, "wsgi.run_once": False, **HEADERS}
        status = []
        body_out = b"".join(app(environ, lambda s, h, e=None: status.append(s)))
        return int(status[0].split()[0]), body_out
    return call


def booker(call):
    """A function that books one issue and checks it was booked."""
    def book() -> None:
        status, body = call({"request_id": str(uuid.uuid4()), "kind": "issue",
                             "depot_code": "KBS-01", "lot_code": "BENCH-LOT", "quantity": 1})
        assert status == 201, body
    return book


def cpu_per_call(fn, n: int) -> float:
    started = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - started) / n


def watch_write_lock() -> list[dict[str, float]]:
    """Record, per write transaction, the CPU and wall seconds between taking and releasing
    the write lock, and the statements run meanwhile (the first write included)."""
    from inventory.database import QueuedConnection, WriteQueue

    held: list[dict[str, float]] = []
    current: dict[str, float] = {}
    before, release = WriteQueue.before_execute, QueuedConnection._release_write_lock

    def before_execute(self, conn, cursor, *args):
        before(self, conn, cursor, *args)
        if getattr(cursor.connection, "write_locked", False):
            if not current:
                current.update(cpu=time.thread_time(), wall=time.perf_counter(), statements=0)
            current["statements"] += 1

    def on_release(connection):
        if connection.write_locked and current:
            held.append({"cpu": time.thread_time() - current["cpu"],
                         "wall": time.perf_counter() - current["wall"],
                         "statements": current["statements"]})
            current.clear()
        release(connection)

    WriteQueue.before_execute = before_execute  # type: ignore[method-assign]
    QueuedConnection._release_write_lock = on_release  # type: ignore[method-assign]
    return held


def bare_booker(tmp: Path):
    os.environ["BARE_DATABASE_URL"] = f"sqlite:///{tmp / 'bare.sqlite'}"
    os.environ["BARE_SYNCHRONOUS"] = os.environ.get("INVENTORY_SQLITE_SYNCHRONOUS", "FULL")
    from benchmarks.bare_app import app, create_schema

    create_schema(str(tmp / "bare.sqlite"))
    call = caller(app, "/book")

    def book() -> None:
        status, body = call({"request_id": str(uuid.uuid4()), "quantity": 1})
        assert status == 201, body
    return book


def measure(options, book, bare) -> None:
    held = options.held if options.held is not None else []
    rounds, app_held = [], []
    for _ in range(3):
        start = len(held)
        app_cpu = cpu_per_call(book, options.n)
        app_held = held[start:]  # the bare endpoint shares the lock class: keep the app's
        bare_cpu = cpu_per_call(bare, options.n) if bare else None
        rounds.append((app_cpu, bare_cpu))
    app_cpu = min(r[0] for r in rounds)
    print(f"{options.n} bookings: {app_cpu * 1e6:.0f} us CPU each (best of 3 rounds)")
    if bare:
        bare_cpu = min(r[1] for r in rounds)
        print(f"bare endpoint: {bare_cpu * 1e6:.0f} us CPU each; app ÷ bare "
              f"(requests per CPU second) = {bare_cpu / app_cpu:.2f}")
    if app_held:
        mean = {key: sum(h[key] for h in app_held) / len(app_held) for key in app_held[0]}
        print(f"write lock held {mean['cpu'] * 1e6:.0f} us CPU, {mean['wall'] * 1e6:.0f} us "
              f"wall per booking, over {mean['statements']:.1f} statements + COMMIT")


def profile(options, book) -> None:
    """cProfile of `n` bookings: the call count, or the functions by cumulative time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(lambda: [book() for _ in range(options.n)])
    stats = pstats.Stats(profiler)
    if options.calls:
        calls = stats.total_calls  # type: ignore[attr-defined]
        print(f"{calls / options.n:,.0f} Python function calls per booking")
        return
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats("cumulative").print_stats(options.top)
    print(f"per booking: divide the times by {options.n}\n" + out.getvalue())


def marked(n: int, book) -> None:
    """`n` bookings between two marker calls that callgrind is told to watch."""
    os.getppid()  # --zero-before=os_getppid: counting starts here
    for _ in range(n):
        book()
    os.getpgrp()  # --dump-before=os_getpgrp: the counts so far go to callgrind.out.<pid>.1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--lock", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--calls", action="store_true")
    parser.add_argument("--marked", action="store_true")
    parser.add_argument("--top", type=int, default=60, help="functions --profile lists")
    options = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="profile-booking-"))
    try:
        token = prepare(tmp)
        options.held = watch_write_lock() if options.lock else None
        from wsgi import app

        call = caller(app, "/api/v1/movements", token)
        status, body = call({"request_id": str(uuid.uuid4()), "kind": "receive",
                             "depot_code": "KBS-01", "item_code": "1060101",
                             "lot_code": "BENCH-LOT", "quantity": 90_000_000})
        assert status == 201, body
        book, bare = booker(call), bare_booker(tmp) if options.bare else None
        for _ in range(200):  # warm caches, compiled statements, the token cache
            book(), bare and bare()
        if options.marked:
            marked(options.n, bare if options.bare else book)
        elif options.profile or options.calls:
            profile(options, book)
        else:
            measure(options, book, bare)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
