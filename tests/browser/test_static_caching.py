"""On a weak network the scan page's files come from the phone: versioned static URLs are kept
by the browser for a year, so opening the page again asks the server for the page only."""
from tests.browser.test_scan import open_scan_page
from tests.browser.test_scan_offline_page import wait_until_kept


class Recorder:
    """WSGI wrapper noting the path and query of every request that reaches the app."""

    def __init__(self, app):
        self.app, self.seen = app, []

    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING")
        self.seen.append(environ["PATH_INFO"] + (f"?{query}" if query else ""))
        return self.app(environ, start_response)


def test_opening_the_scan_page_again_fetches_no_static_file(phone, live_server):
    recorder = live_server.gateway.app = Recorder(live_server.gateway.app)
    open_scan_page(phone, live_server)
    first = [path for path in recorder.seen if path.startswith("/static/js/scan.js")]
    assert first and "?v=" in first[0]  # the page names the version
    wait_until_kept(phone, ["/scan", "/static/js/scan.js", "/static/css/app.css"])
    # The worker kept the files the page had loaded, not fresh unversioned copies of them.
    assert [path for path in recorder.seen if path.startswith("/static/") and "?v=" not in path] == []
    recorder.seen.clear()
    phone.goto(f"{live_server.url}/scan")  # through the service worker, network first
    phone.select_option("#depot-select", "DEP-S1")
    phone.wait_for_timeout(300)
    assert "/scan" in recorder.seen
    assert [path for path in recorder.seen if path.startswith("/static/")] == []
    assert phone.get_attribute("#feedback", "data-state") != "warn"  # fresh, not the kept copy
