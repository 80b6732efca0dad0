"""Readiness at scale: the API for the top unit vs one hand-written SQL GROUP BY.

Builds a SQLite file with 1,000 depots × 200 items × 3 lots = 600,000 balance rows (the
600 lots sit in every depot; a third of the balances are owned by the district above the
depot's street: pre-positioned stock), then times

- `GET /api/v1/readiness?unit=<top>` through the app (bearer token, test client),
- `services.readiness_load.load` for the top unit (the loader alone),
- one hand-written `SELECT item_id, SUM(quantity) ... GROUP BY item_id` over the same rows,
- optionally (--orm) loading every Balance as an ORM object and summing in Python,
- optionally (--alerts) one full alert evaluation (`services.alerts.evaluate`, every rule:
  the first run opens the alerts, the repeats update them, as `GET /alerts` does after a
  movement) with the time of each rule,
- optionally (--page) the readiness page `GET /readiness?unit=<top>` (signed in; alerts
  evaluated just before, so the page's lazy refresh finds them fresh and is not counted).

Usage: .venv/bin/python benchmarks/readiness_scale.py [--depots 1000 --items 200 --lots 3]
       [--alerts] [--page]   (--size tiny: 20 depots × 20 items × 3 lots, to try it out)
The figures go to docs/benchmarks.md ("Readiness at scale").
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inventory import create_app  # noqa: E402
from inventory.extensions import db  # noqa: E402

# The obvious query: SQLite walks the unique (lot_id, …) index and looks each balance up.
HAND_SQL = """SELECT lot.item_id, SUM(balance.quantity) FROM balance
JOIN lot ON lot.id = balance.lot_id GROUP BY lot.item_id"""
# The fastest hand-written form found: one sequential scan, grouped in a temporary b-tree.
HAND_SQL_SCAN = """SELECT lot.item_id, SUM(b.quantity) FROM balance AS b NOT INDEXED
JOIN lot ON lot.id = b.lot_id GROUP BY lot.item_id"""


# Presets: "full" is the acceptance size (600,000 balances); "tiny" checks the script runs.
SIZES = {"tiny": (20, 20, 3), "small": (100, 50, 3), "full": (1000, 200, 3)}


def build(path: Path, *, depots: int, items: int, lots: int) -> None:
    """Units (city → 10 districts → streets), depots, items and balances by raw inserts."""
    now = datetime.now(timezone.utc).isoformat(sep=" ")
    today = date.today()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    streets = max(depots // 10, 1)
    units = [(1, "BC", "Bench city", "city", None, "/1/", 15000)]
    for d in range(10):
        units.append((2 + d, f"BX{d}", f"District {d}", "district", 1, f"/1/{2 + d}/", 15000))
    for s in range(streets):
        uid, parent = 12 + s, 2 + s % 10
        units.append((uid, f"BS{s}", f"Street {s}", "street", parent,
                      f"/1/{parent}/{uid}/", 3000))
    conn.executemany(
        "INSERT INTO unit (id, code, name, tier, parent_id, path, target_people, horizon_hours, "
        "resident_share_target, preposition_target, agreement_base_target, is_active, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 8, 0.1, 0.3333, 2, 1, ?)",
        [u + (now,) for u in units])
    conn.executemany(
        "INSERT INTO depot (id, code, name, unit_id, kind, address, contact, is_active, "
        "created_at) VALUES (?, ?, ?, ?, 'depot', '', '', 1, ?)",
        [(n + 1, f"BD{n}", f"Depot {n}", 12 + n % streets, now) for n in range(depots)])
    conn.executemany(
        "INSERT INTO item (id, code, name, name_en, category, unit_of_measure, per_person, "
        "critical, shelf_life_days, pack_size, evidence, is_active, created_at) "
        "VALUES (?, ?, ?, '', 'other', 'pcs', ?, ?, 730, 1, '', 1, ?)",
        [(i + 1, f"{9000000 + i}", f"Item {i}", 0.01 * (1 + i % 50), i % 10 == 0, now)
         for i in range(items)])
    # Each item has `lots` lots (batches bought centrally), held in every depot.
    lot_rows = [(i * lots + n + 1, f"BL{i}-{n}", i + 1,
                 (today + timedelta(days=(i * 7 + n * 131) % 700 - 10)).isoformat(), now)
                for i in range(items) for n in range(lots)]  # a few lots expired
    balance_rows = []
    for depot in range(depots):
        street = 12 + depot % streets
        district = 2 + (depot % streets) % 10
        for lot_id in range(1, items * lots + 1):
            owner = district if lot_id % 3 == 0 else street  # a third pre-positioned
            balance_rows.append((lot_id, depot + 1, owner, 10 + (lot_id + depot) % 90,
                                 (lot_id + depot) % 7, now))
    conn.executemany(
        "INSERT INTO lot (id, lot_code, item_id, batch_no, expiry_date, source, supplier, status,"
        " created_at) VALUES (?, ?, ?, '', ?, 'procurement', '', 'available', ?)", lot_rows)
    conn.executemany(
        "INSERT INTO balance (lot_id, depot_id, owner_id, quantity, reserved, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)", balance_rows)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def timed(action, repeat: int) -> tuple[float, object]:
    """Best and median wall time of `repeat` runs (after one warm-up), and the last result."""
    result = action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depots", type=int, default=1000)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--lots", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--orm", action="store_true", help="also time summing ORM objects")
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    parser.add_argument("--alerts", action="store_true",
                        help="also time one full alert evaluation (and each rule)")
    parser.add_argument("--page", action="store_true",
                        help="also time the readiness page for the top unit")
    parser.add_argument("--size", choices=sorted(SIZES),
                        help="preset data size instead of --depots/--items/--lots")
    args = parser.parse_args()
    if args.size:
        args.depots, args.items, args.lots = SIZES[args.size]
    folder = Path(tempfile.mkdtemp(prefix="readiness-bench-"))
    path = folder / "bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench",
                      "INSTANCE_PATH": str(folder), "SQLITE_SYNCHRONOUS": "OFF",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.create_all()
    start = time.perf_counter()
    build(path, depots=args.depots, items=args.items, lots=args.lots)
    rows = args.depots * args.items * args.lots
    print(f"built {rows:,} balance rows in {time.perf_counter() - start:.1f} s ({path})")
    try:
        report(app, path, args)
    finally:
        with app.app_context():
            db.engine.dispose()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def report(app, path: Path, args) -> None:
    from inventory.models import Balance, Role, Unit, utcnow
    from inventory.services import readiness_load, users

    with app.app_context():
        user = users.create_user(db.session, username="bench", password="bench-password-1",
                                 role=Role.ADMIN, unit=None, now=utcnow())
        token = users.create_token(db.session, user=user, now=utcnow())
        db.session.commit()
        top = db.session.scalar(db.select(Unit).where(Unit.code == "BC"))
        loader = timed(lambda: readiness_load.load(db.session, top, on=date.today()), args.repeat)
        orm = (timed(lambda: sum(b.quantity for b in db.session.scalars(db.select(Balance))),
                     1) if args.orm else None)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    api = timed(lambda: client.get("/api/v1/readiness?unit=BC", headers=headers), args.repeat)
    assert api[2].status_code == 200, api[2].data[:300]
    district = timed(lambda: client.get("/api/v1/readiness?unit=BX0", headers=headers),
                     args.repeat)
    conn = sqlite3.connect(path)
    naive = timed(lambda: conn.execute(HAND_SQL).fetchall(), args.repeat)
    hand = timed(lambda: conn.execute(HAND_SQL_SCAN).fetchall(), args.repeat)
    print(f"{'what':<48} {'best':>8} {'median':>8}")
    for name, figures in (("GET /api/v1/readiness?unit=<top> (API)", api),
                          ("readiness_load.load (loader only)", loader),
                          ("GET /api/v1/readiness?unit=<a district> (API)", district),
                          ("hand SQL GROUP BY item, sequential scan", hand),
                          ("hand SQL GROUP BY item, as SQLite plans it", naive)):
        print(f"{name:<48} {figures[0]:>7.3f}s {figures[1]:>7.3f}s")
    if orm:
        print(f"{'ORM objects summed in Python':<48} {orm[0]:>7.3f}s")
    print(f"ratio API / fastest hand SQL (median): {api[1] / hand[1]:.2f}; "
          f"loader / fastest hand SQL: {loader[1] / hand[1]:.2f}")
    body = api[2].json
    print(f"people_coverable={body['people_coverable']:,} limiting={body['limiting_item_code']} "
          f"items={len(body['items'])}")
    if args.alerts:
        report_alerts(app, args)
    if args.page:
        report_page(app, args)


def report_alerts(app, args) -> None:
    """One full evaluation: the first opens every alert, the repeats update them."""
    from inventory.models import Alert, utcnow
    from inventory.services import alerts

    with app.app_context():
        def evaluate():
            result = alerts.evaluate(db.session, today=date.today(), now=utcnow(),
                                     trigger="bench")
            db.session.commit()
            return result

        start = time.perf_counter()
        first = evaluate()
        first_time = time.perf_counter() - start
        again = timed(evaluate, args.repeat)
        stored = db.session.scalar(db.select(db.func.count(Alert.id)))
        rules = []
        for rule in alerts.RULES:
            start = time.perf_counter()
            found = sum(1 for _ in rule(db.session, today=date.today(), now=utcnow()))
            rules.append((rule.__name__, time.perf_counter() - start, found))
        db.session.rollback()
    print(f"\nalert evaluation: first {first_time:.3f}s (opened {first.opened:,}); "
          f"again best {again[0]:.3f}s median {again[1]:.3f}s; {stored:,} alerts stored")
    for name, seconds, found in rules:
        print(f"  {name:<40} {seconds:>7.3f}s {found:>9,} candidates")


def report_page(app, args) -> None:
    """The readiness page for the top unit, alerts fresh (the lazy refresh is not counted)."""
    from inventory.models import utcnow
    from inventory.services import alerts

    with app.app_context():
        alerts.evaluate(db.session, today=date.today(), now=utcnow(), trigger="bench")
        db.session.commit()
    app.config["ALERT_REFRESH_SECONDS"] = 10 ** 9
    client = app.test_client()
    login = client.post("/login", data={"username": "bench", "password": "bench-password-1"})
    assert login.status_code == 302, login.data[:300]
    page = timed(lambda: client.get("/readiness?unit=BC"), args.repeat)
    assert page[2].status_code == 200, page[2].data[:300]
    plan = timed(lambda: client.get("/readiness/purchase-plan?unit=BC"), args.repeat)
    assert plan[2].status_code == 200, plan[2].data[:300]
    print(f"\n{'GET /readiness?unit=<top> (page)':<48} {page[0]:>7.3f}s {page[1]:>7.3f}s")
    print(f"{'GET /readiness/purchase-plan?unit=<top>':<48} {plan[0]:>7.3f}s {plan[1]:>7.3f}s")


if __name__ == "__main__":
    main()
