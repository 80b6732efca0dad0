"""QR payloads and label images.

A label encodes a URL, ``<public url>/q/<T|D|O>/<code>`` (contract.md): a phone's own camera
app opens the right page, and the scan page resolves the same text by its path whatever
host it carries. Codes are stable business codes, never database ids.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

log = logging.getLogger(__name__)

KINDS = {"T": "lot", "D": "depot", "O": "order"}
PREFIX = {name: letter for letter, name in KINDS.items()}
_PATH = re.compile(r"^/q/(?P<kind>[TDO])/(?P<code>[^/?#]+)/?$", re.IGNORECASE)
# A handheld scanner types into whatever the computer's input method makes of its keys. In
# Chinese mode that is full-width letters and signs (ＨＴＴＰ：／／, undone by NFKC) and
# Chinese punctuation: 、 for "/", 。 for ".", —— for "_". Codes are ASCII, so nothing a
# label encodes can be mistaken for these.
_IME_PUNCTUATION = str.maketrans({"\u3001": "/", "\u3002": "."})


@dataclass(frozen=True)
class Scanned:
    kind: str   # "lot", "depot", "order"
    code: str


def payload(kind: str, code: str, base_url: str) -> str:
    """The text a label encodes, e.g. http://10.0.0.5:8000/q/T/1020101-2026A."""
    return f"{base_url.rstrip('/')}/q/{PREFIX[kind]}/{quote(code, safe='')}"


def clean(text: str) -> str:
    """A scanned text as the label printed it, undoing what a Chinese input method typed."""
    text = unicodedata.normalize("NFKC", text or "").replace("\u2014\u2014", "_")
    return text.translate(_IME_PUNCTUATION).strip()


def parse(text: str) -> Scanned | None:
    """Resolve a scanned text (URL, path) to (kind, code); None when it is not our label.

    The path is read whatever its letters' case (a scanner typing with Caps Lock on); the
    code is returned as typed, for the caller to match against the stored codes.
    """
    text = clean(text)
    path = urlsplit(text).path if "://" in text else text
    match = _PATH.match(path)
    if match is None:
        return None
    return Scanned(KINDS[match["kind"].upper()], unquote(match["code"]))


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


# The app's own CJK font: a subset of Noto Sans CJK SC (OFL; scripts/build_label_font.py),
# so labels render Chinese the same on every machine. Its coverage, as built:
FONT_DIR = Path(__file__).resolve().parent / "fonts"
LABEL_FONTS = {False: FONT_DIR / "LabelSansSC-Regular.otf", True: FONT_DIR / "LabelSansSC-Bold.otf"}
LABEL_FONT_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2190, 0x21FF),
                     (0x2460, 0x24FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))  # + GB2312 hanzi
# System fonts with more characters (rare hanzi, Traditional), for text the subset lacks.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
BOLD_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",)


def label_font_covers(text: str) -> bool:
    """Whether the app's own font has every character of `text`."""
    for char in text:
        code = ord(char)
        if any(low <= code <= high for low, high in LABEL_FONT_RANGES):
            continue
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            return False
    return True


def cjk_font(size: int, bold: bool = False, text: str = ""):
    """A font that draws `text`, Chinese included: the app's own (Label Sans SC), or a
    system CJK font for characters it lacks; Pillow's Latin-only default (with a warning
    in the log) only when neither is there."""
    return _font(size, bold, label_font_covers(text))


@lru_cache(maxsize=32)
def _font(size: int, bold: bool, covered: bool):
    from PIL import ImageFont

    system = (BOLD_CANDIDATES if bold else ()) + FONT_CANDIDATES
    own = (LABEL_FONTS[bold], LABEL_FONTS[False])
    for candidate in (own + system) if covered else (system + own):
        if Path(candidate).exists():
            return ImageFont.truetype(str(candidate), size)
    log.warning("No CJK font for label images: %s is missing and no system CJK font is "
                "installed (apt-get install fonts-noto-cjk); Chinese text will not render.",
                LABEL_FONTS[False])
    return ImageFont.load_default(size)
