"""Import and export at scale: 10,000 opening-stock rows in, a 100,000-row ledger out.

    .venv/bin/python benchmarks/import_export.py [--rows 10000] [--ledger 100000]

Each measurement runs in a fresh process on a demo database (SQLite file) so its peak
memory (max RSS) is its own; raw baselines run in the same run: pandas writing the same
rows to xlsx (the floor for any xlsx export) and pandas reading the import file.
Prints a Markdown table; the figures go into docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(task: str, db: str, path: str, n: int) -> None:
    """Run one measured task in this process and print its figures as JSON."""
    os.environ["INVENTORY_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("INVENTORY_SECRET_KEY", "bench")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    rows = TASKS[task](path, n)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"task": task, "seconds": elapsed, "peak_mb": peak / 1024,
                      "grew_mb": (peak - before) / 1024, "rows": rows}))


def _app():
    from inventory import create_app

    return create_app()


def task_import(path: str, n: int) -> int:
    import hashlib

    from inventory.extensions import db
    from inventory.labels import aliases
    from inventory.models import utcnow
    from inventory.reports import read_table
    from inventory.services import imports

    app = _app()
    with app.app_context():
        data = Path(path).read_bytes()
        headers, rows = read_table(data, path, max_rows=200_000)
        result = imports.run_import(db.session, "stock", headers, rows, user=None, now=utcnow(),
                                    tiers=app.config["TIERS"], aliases=aliases(app.config["TIERS"]),
                                    batch=hashlib.sha256(data).hexdigest()[:16])
        assert result.ok, result.errors[:5]
        db.session.commit()
        return result.rows


def task_read_only(path: str, n: int) -> int:
    import pandas as pd

    return len(pd.read_excel(path, dtype=str))


def task_export(path: str, n: int) -> int:
    from datetime import date

    from inventory.extensions import db
    from inventory.reports import xlsx_bytes
    from inventory.services import exports

    app = _app()
    with app.app_context():
        table = exports.ledger(db.session, exports.ExportArgs(today=date.today()))
        Path(path).write_bytes(xlsx_bytes(table))
    return n


def task_pandas_xlsx(path: str, n: int) -> int:
    """Baseline: the same ledger rows read by pandas and written by pandas' xlsx writer."""
    import pandas as pd
    import sqlalchemy as sa

    engine = sa.create_engine(os.environ["INVENTORY_DATABASE_URL"])
    frame = pd.read_sql("SELECT * FROM movement ORDER BY id", engine)
    frame.to_excel(path, index=False, engine="openpyxl")
    return len(frame)


TASKS = {"import": task_import, "read": task_read_only, "export": task_export,
         "pandas_xlsx": task_pandas_xlsx}


def prepare(tmp: Path, rows: int, ledger: int) -> tuple[Path, Path, Path]:
    env = {**os.environ, "INVENTORY_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
           "INVENTORY_INSTANCE_PATH": str(tmp), "INVENTORY_SECRET_KEY": "bench"}
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["demo-data", "--password", "bench-password"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    stock_file = tmp / "opening.xlsx"
    _opening_stock(tmp / "bench.sqlite", stock_file, rows)
    ledger_db = tmp / "ledger.sqlite"
    ledger_db.write_bytes((tmp / "bench.sqlite").read_bytes())
    _fill_ledger(ledger_db, ledger)
    return tmp / "bench.sqlite", stock_file, ledger_db


def _opening_stock(db: Path, target: Path, rows: int) -> None:
    import sqlite3
    from datetime import date, timedelta

    import pandas as pd

    connection = sqlite3.connect(db)
    items = [r[0] for r in connection.execute("SELECT code FROM item ORDER BY code")]
    depots = [r[0] for r in connection.execute("SELECT code FROM depot ORDER BY code")]
    connection.close()
    expiry = (date.today() + timedelta(days=900)).isoformat()
    records = [[items[i % len(items)], f"BENCH-{i:06d}", expiry, depots[i % len(depots)], "",
                str(1 + i % 50)] for i in range(rows)]
    pd.DataFrame(records, columns=["物资编码", "批次编码", "有效期至", "储备库编码", "储备单位编码",
                                   "数量"]).to_excel(target, index=False)


def _fill_ledger(db: Path, total: int) -> None:
    """Top the demo ledger up to `total` movements with raw inserts (receipt/issue pairs)."""
    import sqlite3

    connection = sqlite3.connect(db)
    have = connection.execute("SELECT count(*) FROM movement").fetchone()[0]
    lot, depot, owner = connection.execute(
        "SELECT lot_id, depot_id, owner_id FROM balance WHERE quantity > 0 LIMIT 1").fetchone()
    rows = []
    for n in range(total - have):
        inbound = n % 2 == 0
        rows.append(("receive" if inbound else "issue", lot, depot if inbound else None,
                     None if inbound else depot, owner if inbound else None,
                     None if inbound else owner, 1, f"bench-{n}", "2026-11-01 08:00:00.000000"))
    connection.executemany(
        "INSERT INTO movement (kind, lot_id, to_depot_id, from_depot_id, to_owner_id, "
        "from_owner_id, quantity, request_id, created_at, reason, request_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', '')", rows)
    connection.commit()
    connection.close()


def measure(task: str, db: Path, path: Path, n: int) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", task, str(db), str(path), str(n)],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _data_rows(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    return sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True)) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--ledger", type=int, default=100_000)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, db, path, n = args.child
        child(task, db, path, int(n))
        return
    with tempfile.TemporaryDirectory(prefix="io-bench-") as name:
        tmp = Path(name)
        db, stock_file, ledger_db = prepare(tmp, args.rows, args.ledger)
        load = os.getloadavg()[0]
        read = measure("read", db, stock_file, args.rows)
        imported = measure("import", db, stock_file, args.rows)
        baseline = measure("pandas_xlsx", ledger_db, tmp / "baseline.xlsx", args.ledger)
        exported = measure("export", ledger_db, tmp / "ledger.xlsx", args.ledger)
        exported["rows"] = _data_rows(tmp / "ledger.xlsx")
    print(f"{os.cpu_count()} CPUs, load average at start {load:.2f}\n")
    print(_table([("pandas reads the opening-stock xlsx (floor)", read, None),
                  (f"import {imported['rows']:,} opening-stock rows (validate + book + commit)",
                   imported, read),
                  ("pandas read_sql + to_excel of the raw movement table (floor)", baseline, None),
                  ("export the ledger to xlsx (joined, labelled, streamed)", exported, baseline)]))


def _table(lines: list[tuple[str, dict, dict | None]]) -> str:
    """Markdown: time and peak memory of each task, and both as a ratio to its floor."""
    out = ["| task | rows | seconds | peak RSS MB | time ÷ floor | peak RSS ÷ floor |",
           "|---|---|---|---|---|---|"]
    for name, got, floor in lines:
        ratios = ("| | |" if floor is None else
                  f"| {got['seconds'] / floor['seconds']:.1f}× | "
                  f"{got['peak_mb'] / floor['peak_mb']:.1f}× |")
        out.append(f"| {name} | {got['rows']:,} | {got['seconds']:.2f} | {got['peak_mb']:.0f} "
                   + ratios)
    return "\n".join(out)


if __name__ == "__main__":
    main()
