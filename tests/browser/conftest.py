"""A live server on loopback and the system Chromium driven by Playwright.

Playwright's own browser download is unreachable here, so Debian's chromium is launched
through `executable_path`. In CI (INVENTORY_REQUIRE_BROWSER=1) a missing browser fails
the run instead of skipping.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from inventory import create_app
from inventory.extensions import db
from tests import factories
from tests.conftest import POSTGRES_URL, _reset_postgres, base_config

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("INVENTORY_CHROMIUM"), shutil.which("chromium"),
                      "/usr/bin/chromium", shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("INVENTORY_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required for browser tests (apt-get install chromium)")
        pytest.skip("Chromium not installed")
    return path


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class InFlight:
    """WSGI wrapper counting the requests being served. The server's threads outlive its
    shutdown, and a request still running when the engine is disposed keeps its database
    connection out of the pool: on PostgreSQL it is then garbage-collected open, and the
    ResourceWarning fails whichever test is running at that moment. Pages keep working in
    the background (a service worker keeping the scan page, a camera reading a label)."""

    def __init__(self, app):
        self.app, self.count, self.lock, self.idle = app, 0, threading.Lock(), threading.Event()
        self.idle.set()

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
            self.idle.clear()
        try:
            return self.app(environ, start_response)
        finally:
            with self.lock:
                self.count -= 1
                if not self.count:
                    self.idle.set()


class Gateway:
    """WSGI wrapper standing for a reverse proxy (nginx) in front of the app: while `down`,
    it answers every request 502 Bad Gateway, as the proxy does when the app behind it is
    down or restarting."""

    def __init__(self, app):
        self.app, self.down = app, False

    def __call__(self, environ, start_response):
        if self.down:
            start_response("502 Bad Gateway", [("Content-Type", "text/html")])
            return [b"<html><body><h1>502 Bad Gateway</h1></body></html>"]
        return self.app(environ, start_response)


@pytest.fixture
def live_server(tmp_path):
    """The app served by werkzeug in a thread, on a file database, with the small world."""
    url = POSTGRES_URL or f"sqlite:///{tmp_path / 'live.sqlite'}"
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=True,
                                 TESTING=False))
    if POSTGRES_URL:
        _reset_postgres(app)
    with app.app_context():
        if not POSTGRES_URL:
            db.create_all()
        world = factories.build_world(db.session)
        db.session.commit()
    in_flight = InFlight(app)
    gateway = Gateway(in_flight)
    server = make_server("127.0.0.1", 0, gateway, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.port}", app=app, world=world,
                          gateway=gateway)
    server.shutdown()
    thread.join(timeout=5)
    in_flight.idle.wait(timeout=10)  # the last request has given its connection back
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def playwright():
    """One Playwright driver for the session (a second sync driver cannot start beside it)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def launch(playwright, *extra_args: str):
    """Debian's Chromium with the test flags (plus e.g. a fake camera file)."""
    return playwright.chromium.launch(executable_path=require_chromium(),
                                      args=CHROMIUM_ARGS + list(extra_args))


@pytest.fixture(scope="session")
def browser(playwright):
    instance = launch(playwright)
    yield instance
    instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page, base_url: str, username: str, password: str = factories.PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
