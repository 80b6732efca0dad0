"""Baseline for benchmarks/scan_throughput.py: a bare Flask + Flask-SQLAlchemy endpoint doing
the same insert + conditional update per booking as the app, with no auth or validation."""
import os
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

from inventory.database import configure_engine

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("BARE_DATABASE_URL", "sqlite://")
db = SQLAlchemy(app)
with app.app_context():
    configure_engine(db.engine, synchronous=os.environ.get("BARE_SYNCHRONOUS", "FULL"))


@app.post("/book")
def book():
    body = request.get_json()
    result = db.session.execute(sa.text(
        "UPDATE balance SET quantity = quantity - :q WHERE id = 1 AND quantity >= :q"),
        {"q": body["quantity"]})
    if result.rowcount != 1:
        db.session.rollback()
        return {"error": "insufficient"}, 409
    db.session.execute(sa.text(
        "INSERT INTO movement (request_id, quantity, created_at) VALUES (:r, :q, :t)"),
        {"r": body.get("request_id") or str(uuid.uuid4()), "q": body["quantity"],
         "t": datetime.now(timezone.utc).isoformat()})
    db.session.commit()
    return {"ok": True}, 201


def create_schema(path: str) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    connection.executescript("""
        PRAGMA journal_mode = WAL;
        CREATE TABLE balance (id INTEGER PRIMARY KEY, quantity INTEGER NOT NULL CHECK (quantity >= 0));
        CREATE TABLE movement (id INTEGER PRIMARY KEY, request_id TEXT UNIQUE NOT NULL,
                               quantity INTEGER NOT NULL, created_at TEXT NOT NULL);
        INSERT INTO balance (id, quantity) VALUES (1, 1000000000);
    """)
    connection.close()
