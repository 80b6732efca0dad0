"""Static files and pages that are cheap on a weak network: versioned URLs, long caching, gzip.

* `url_for('static', filename=...)` adds `?v=<hash of the file's content>`; templates keep
  calling it unchanged. The hash is computed once per file per process (again only when the
  file changes on disk).
* A static request that carries the file's current version may be kept by the browser for a
  year without asking again (`immutable`): the page names the exact content it needs. Without
  a version, or with another one, the app's usual policy applies (revalidated every time), so
  nothing stale sticks.
* Files are read once and kept in memory (up to MEMORY_LIMIT each); text files (css, js, svg)
  are also kept gzip-compressed, sent to clients that accept it with their own ETag. Range,
  HEAD and conditional requests work on either form.
* HTML pages of some size are compressed too (a 500-row stock list shrinks eighteenfold for
  under 1 ms): the hook runs for the web blueprint's pages only, so the JSON API (benchmarked)
  never calls it, and a small body returns early (README, "Static files and compression").
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat as stat_module
from dataclasses import dataclass

from flask import Flask, Response, current_app, request, send_file
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
TEXT_SUFFIXES = (".css", ".js", ".svg", ".json", ".map", ".txt")
MEMORY_LIMIT = 1 << 20  # a larger file is read from disk on each request
# Below about one packet gzip saves no round trip, only CPU.
MIN_PAGE_BYTES = 1400


@dataclass(frozen=True)
class Asset:
    """One static file as served: its version, its content and its gzip form."""

    path: str
    stamp: tuple[int, int]  # (mtime in ns, size): the file is read again when it changes
    mtime: float
    version: str
    data: bytes | None  # None: larger than MEMORY_LIMIT
    gzipped: bytes | None  # None: not text, too large, or not smaller compressed

    @classmethod
    def read(cls, path: str, stat: os.stat_result) -> Asset:
        with open(path, "rb") as file:
            data = file.read()
        kept = len(data) <= MEMORY_LIMIT
        gzipped = None
        if kept and path.endswith(TEXT_SUFFIXES):
            gzipped = gzip.compress(data, compresslevel=9, mtime=0)
            gzipped = gzipped if len(gzipped) < len(data) else None
        return cls(path=path, stamp=(stat.st_mtime_ns, stat.st_size), mtime=stat.st_mtime,
                   version=hashlib.sha256(data).hexdigest()[:10],
                   data=data if kept else None, gzipped=gzipped)


class StaticAssets:
    """The app's static files, read on first use and kept per process."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._assets: dict[str, Asset] = {}  # by normalised path: one entry per file

    def get(self, filename: str, *, check: bool = False) -> Asset | None:
        """The file `filename` under the static folder (None if there is none); `check`
        looks at the disk again and rereads a file that changed since it was read."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        asset = self._assets.get(path)
        if asset is not None and not check:
            return asset
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if not stat_module.S_ISREG(stat.st_mode):
            return None
        if asset is None or asset.stamp != (stat.st_mtime_ns, stat.st_size):
            asset = self._assets[path] = Asset.read(path, stat)
        return asset


def _assets() -> StaticAssets:
    return current_app.extensions["static_assets"]


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def add_version(endpoint: str, values: dict) -> None:
    """url_defaults hook: `url_for('static', filename=f)` gets `v=<f's version>`."""
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    asset = _assets().get(values["filename"], check=current_app.debug)
    if asset is not None:
        values["v"] = asset.version


def serve_static(filename: str) -> Response:
    """The `static` endpoint: Flask's, plus versions, gzip and long caching."""
    asset = _assets().get(filename, check=True)  # a file changed on disk gets its new version
    if asset is None:
        raise NotFound()
    current = request.args.get("v") == asset.version
    max_age = YEAR if current else None  # None: the app's policy (no-cache by default)
    packed = asset.gzipped is not None and _accepts_gzip()
    body, etag = (asset.gzipped, f"{asset.version}-gzip") if packed else (asset.data, asset.version)
    if body is None:
        response = send_file(asset.path, max_age=max_age)
    else:
        response = send_file(io.BytesIO(body), download_name=os.path.basename(asset.path),
                             etag=etag, last_modified=asset.mtime, max_age=max_age)
    if packed:
        response.content_encoding = "gzip"
    if asset.gzipped is not None:
        response.vary.add("Accept-Encoding")
    if current:
        response.cache_control.immutable = True
    response.static_file = True  # auth's session interface leaves such answers alone
    return response


def compress_page(response: Response) -> Response:
    """after_request hook of the web pages: gzip an HTML page of some size for a client that
    accepts it. Streams, files, partial answers and answers with an ETag stay as they are."""
    if (response.direct_passthrough or response.is_streamed or response.mimetype != "text/html"
            or response.status_code == 206 or "Content-Encoding" in response.headers
            or "ETag" in response.headers):
        return response
    body = response.get_data()
    if len(body) < MIN_PAGE_BYTES:
        return response
    response.vary.add("Accept-Encoding")
    if _accepts_gzip():
        response.set_data(gzip.compress(body, compresslevel=6))
        response.content_encoding = "gzip"
    return response


def init_app(app: Flask) -> None:
    app.extensions["static_assets"] = StaticAssets(app.static_folder)
    app.url_defaults(add_version)
    app.view_functions["static"] = serve_static
    # Web pages only: the JSON API's bookings are benchmarked, and static files are done above.
    app.after_request_funcs.setdefault("web", []).append(compress_page)

