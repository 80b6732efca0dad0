"""Run the real app under gunicorn on a file database (or a fresh PostgreSQL database),
for tests that need several processes: concurrency, crash safety, load."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """A new empty database: a SQLite file, or a new database on the test PostgreSQL."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'server.sqlite'}"
        return
    name = f"inventory_srv_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Server:
    """A running gunicorn with its environment; `flask(...)` runs a CLI command against it."""

    url: str
    env: dict[str, str]
    process: subprocess.Popen
    workers: int
    log: Path
    gunicorn_args: tuple[str, ...] = ()
    verify: str | bool = True  # the self-signed certificate to trust, with TLS

    def flask(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=self.env,
                              input=input, capture_output=True, text=True, timeout=300)

    def token(self, username: str) -> dict[str, str]:
        result = self.flask("create-token", username)
        assert result.returncode == 0, result.stderr
        return {"Authorization": f"Bearer {result.stdout.strip()}"}

    def kill_workers(self) -> None:
        """SIGKILL every worker (the arbiter restarts them), as a crash would."""
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                                  text=True).stdout.split()
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)

    def spawn(self) -> None:
        """Start gunicorn on the server's port and wait until it answers."""
        port = self.url.rsplit(":", 1)[1]
        with self.log.open("a") as log_file:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "--workers", str(self.workers), "--bind",
                 f"127.0.0.1:{port}", "--graceful-timeout", "5", *self.gunicorn_args, "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log_file, stderr=subprocess.STDOUT,
                start_new_session=True)
        try:
            wait_healthy(self.url, self.process, verify=self.verify)
        except Exception:
            self.stop()
            raise

    def restart(self) -> None:
        """Kill gunicorn outright and start it again on the same database (a crash)."""
        self.stop(signal.SIGKILL)
        self.spawn()

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start(database_url: str, instance: Path, *, workers: int = 4, setup: tuple = ("demo",),
          extra_env: dict[str, str] | None = None, tls: tuple[Path, Path] | None = None) -> Server:
    """Upgrade the database, run the set-up commands, start gunicorn and wait for /healthz."""
    instance.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "INVENTORY_DATABASE_URL": database_url,
           "INVENTORY_INSTANCE_PATH": str(instance), "INVENTORY_SECRET_KEY": "serving-test",
           "PYTHONDONTWRITEBYTECODE": "1", **(extra_env or {})}
    port = free_port()
    log = instance / "gunicorn.log"
    scheme = "https" if tls else "http"
    server = Server(url=f"{scheme}://127.0.0.1:{port}", env=env, process=None,  # type: ignore[arg-type]
                    workers=workers, log=log,
                    gunicorn_args=("--certfile", str(tls[0]), "--keyfile", str(tls[1])) if tls else (),
                    verify=str(tls[0]) if tls else True)
    for args in (("db", "upgrade"),) + (("demo-data", "--password", "serving-pass-1"),
                                        ) * ("demo" in setup):
        result = server.flask(*args)
        assert result.returncode == 0, result.stdout + result.stderr
    server.spawn()
    return server


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60,
                 verify: str | bool = True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if requests.get(f"{url}/healthz", timeout=2, verify=verify).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not become healthy")


@contextmanager
def running_server(tmp_path: Path, **kw) -> Iterator[Server]:
    """gunicorn on a fresh database with the demo data, stopped afterwards."""
    with fresh_database(tmp_path) as url:
        server = start(url, tmp_path / "instance", **kw)
        try:
            yield server
        finally:
            server.stop()
