"""Consistent online copies of the database while the app keeps writing."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa

from inventory.services.errors import N_, DomainError


class BackupFailed(DomainError):
    status = 500
    slug = "backup-failed"
    title = N_("Backup failed")


def backup(engine: sa.Engine, target: Path) -> Path:
    """Write a consistent copy of the database to `target` and return it.

    SQLite: the online backup API copies a consistent snapshot page by page while
    writers continue (WAL). PostgreSQL: pg_dump in custom format (one snapshot).
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        return _backup_sqlite(engine, target)
    if engine.dialect.name == "postgresql":
        return _backup_postgres(engine, target)
    raise BackupFailed(N_("Backups are not supported for %(name)s."), name=engine.dialect.name)


def _backup_sqlite(engine: sa.Engine, target: Path) -> Path:
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise BackupFailed(N_("An in-memory database cannot be backed up."))
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(source_path, timeout=30)
    try:
        destination = sqlite3.connect(partial)
        # One step (pages=-1): one read transaction, so one consistent snapshot while WAL
        # lets the app keep writing. Copying in slices restarts the copy whenever another
        # connection writes between two slices, which on a busy database may never end.
        with destination:
            source.backup(destination, pages=-1)
        destination.close()
    finally:
        source.close()
    os.replace(partial, target)
    return target


def _backup_postgres(engine: sa.Engine, target: Path) -> Path:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupFailed(N_("pg_dump is not installed."))
    url = engine.url.set(drivername="postgresql")
    partial = target.with_name(target.name + ".partial")
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={partial}",
         f"--dbname={url.render_as_string(hide_password=False)}"],
        capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupFailed(N_("pg_dump failed: %(error)s"), error=result.stderr.strip()[:500])
    os.replace(partial, target)
    return target
