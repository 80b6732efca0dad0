"""QR payloads and label images.

A label encodes a URL, ``<public url>/q/<T|D|O>/<code>`` (contract.md): a phone's own camera
app opens the right page, and the scan page resolves the same text by its path whatever
host it carries. Codes are stable business codes, never database ids.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

KINDS = {"T": "lot", "D": "depot", "O": "order"}
PREFIX = {name: letter for letter, name in KINDS.items()}
_PATH = re.compile(r"^/q/(?P<kind>[TDO])/(?P<code>[^/?#]+)/?$")


@dataclass(frozen=True)
class Scanned:
    kind: str   # "lot", "depot", "order"
    code: str


def payload(kind: str, code: str, base_url: str) -> str:
    """The text a label encodes, e.g. http://10.0.0.5:8000/q/T/1020101-2026A."""
    return f"{base_url.rstrip('/')}/q/{PREFIX[kind]}/{quote(code, safe='')}"


def parse(text: str) -> Scanned | None:
    """Resolve a scanned text (URL, path) to (kind, code); None when it is not our label."""
    text = (text or "").strip()
    path = urlsplit(text).path if "://" in text else text
    match = _PATH.match(path)
    if match is None:
        return None
    return Scanned(KINDS[match["kind"]], unquote(match["code"]))


def _qr(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=10)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg_path(data: str) -> tuple[str, int]:
    """(SVG path data, size in modules incl. the quiet zone) for embedding in a label."""
    code = _qr(data)
    size = code.modules_count + 2 * code.border
    parts = []
    for y, row in enumerate(code.get_matrix()):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return "".join(parts), size


def qr_png(data: str, box_size: int = 10) -> bytes:
    code = _qr(data)
    code.box_size = box_size
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


@lru_cache(maxsize=16)
def cjk_font(size: int, bold: bool = False):
    """A font with Chinese glyphs (Noto Sans CJK from fonts-noto-cjk), else Pillow's default."""
    from PIL import ImageFont

    candidates = FONT_CANDIDATES
    if bold:
        candidates = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",) + candidates
    for candidate in candidates:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)
