"""Static files cheap on a weak network: versioned URLs, a year's caching, gzip (static_assets)."""
from __future__ import annotations

import gzip
import hashlib
import re

import pytest

from inventory import ROOT
from tests.conftest import login

STATIC = ROOT / "inventory" / "static"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
YEAR = "max-age=31536000"


def version_of(filename: str) -> str:
    return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:10]


def versioned(filename: str) -> str:
    return f"/static/{filename}?v={version_of(filename)}"


def test_pages_name_static_files_with_their_version_and_the_worker_without(client, world):
    login(client, "keeper")
    page = client.get("/scan").get_data(as_text=True)
    for filename in ("css/app.css", "img/icon.svg", "js/app.js", "js/scan.js",
                     "vendor/jsqr/jsQR.min.js"):
        assert f'"{versioned(filename)}"' in page, filename
    assert not re.search(r'"/static/[^"?]+"', page)  # none without its version
    assert 'data-sw-url="/sw.js"' in page
    worker = client.get("/sw.js?v=" + version_of("js/sw.js"))
    assert worker.headers["Cache-Control"] == "no-cache"  # a new worker is picked up at once


def test_only_the_current_version_is_kept_for_a_year(client):
    current = client.get(versioned("css/app.css"))
    assert current.status_code == 200
    assert current.cache_control.immutable and current.cache_control.public
    assert current.cache_control.max_age == 31536000
    for url in ("/static/css/app.css", "/static/css/app.css?v=0123456789"):
        other = client.get(url)
        assert other.status_code == 200 and other.data == current.data
        assert other.cache_control.no_cache and not other.cache_control.immutable, url
        assert YEAR not in other.headers["Cache-Control"], url


@pytest.mark.parametrize("filename", ["css/app.css", "js/scan.js", "vendor/jsqr/jsQR.min.js"])
def test_text_files_are_sent_gzipped_to_who_accepts_it(client, filename):
    plain = client.get(versioned(filename))
    packed = client.get(versioned(filename), headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == (STATIC / filename).read_bytes() == plain.data
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert packed.headers["ETag"] != plain.headers["ETag"]
    kind = "css" if filename.endswith(".css") else "javascript"
    assert packed.mimetype == plain.mimetype == f"text/{kind}"
    assert "Accept-Encoding" in packed.vary and packed.cache_control.immutable


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0, deflate"])
def test_no_gzip_for_who_does_not_accept_it_but_caches_are_told(client, accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    response = client.get(versioned("css/app.css"), headers=headers)
    assert "Content-Encoding" not in response.headers
    assert response.data == (STATIC / "css/app.css").read_bytes()
    assert "Accept-Encoding" in response.vary  # a shared cache must not hand gzip to it


def test_head_range_and_revalidation_work_on_the_gzipped_form(client):
    url = versioned("js/scan.js")
    packed = client.get(url, headers=GZIP)
    head = client.head(url, headers=GZIP)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Encoding"] == "gzip"
    assert head.headers["Content-Length"] == packed.headers["Content-Length"]
    part = client.get(url, headers={**GZIP, "Range": "bytes=0-99"})
    assert part.status_code == 206 and part.data == packed.data[:100]
    assert part.headers["Content-Range"] == f"bytes 0-99/{len(packed.data)}"
    again = client.get(url, headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.cache_control.immutable


def test_a_file_changed_on_disk_gets_a_new_version(tmp_path):
    from inventory.static_assets import StaticAssets

    (tmp_path / "a.css").write_text("body { color: red }\n" * 50)
    assets = StaticAssets(str(tmp_path))
    before = assets.get("a.css")
    assert before is not None and before.gzipped is not None
    (tmp_path / "a.css").write_text("body { color: blue }\n" * 50)
    assert assets.get("a.css") is before  # url_for does not look at the disk again
    after = assets.get("a.css", check=True)  # serving a file does
    assert after.version != before.version
    assert gzip.decompress(after.gzipped) == (tmp_path / "a.css").read_bytes()
    assert assets.get("../a.css") is None and assets.get("missing.css") is None


def test_html_pages_are_gzipped_and_the_api_is_not(client, world, token_for):
    login(client, "keeper")
    plain = client.get("/scan")
    packed = client.get("/scan", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.vary
    page = gzip.decompress(packed.data).decode()
    assert page.startswith("<!doctype html>") and len(page.encode()) == len(plain.data)
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert "Content-Encoding" not in plain.headers
    api = client.get("/api/v1/stock?per_page=500", headers={**GZIP, **token_for("keeper")})
    assert api.status_code == 200 and "Content-Encoding" not in api.headers


def test_a_static_file_does_not_vary_with_the_session_cookie(client, world):
    """The same bytes signed in or out: no `Vary: Cookie`, else a phone would fetch every
    file again after signing in (a shared cache would also keep one copy per cookie)."""
    signed_out = client.get(versioned("js/app.js"), headers=GZIP)
    login(client, "keeper")
    signed_in = client.get(versioned("js/app.js"), headers=GZIP)
    for response in (signed_out, signed_in):
        assert response.status_code == 200
        assert "Cookie" not in response.vary and "Accept-Encoding" in response.vary
    assert "Cookie" in client.get("/scan").vary  # pages do vary with who is signed in
