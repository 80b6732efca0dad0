"""Lot and depot labels as SVG and PNG, sized for a 50 × 30 mm thermal label.

The QR code sits on the left with its quiet zone (scanners need the light margin);
the text on the right. All text is escaped: names come from users.
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from inventory.qr import cjk_font, qr_svg_path

WIDTH_MM, HEIGHT_MM = 50, 30


@dataclass(frozen=True)
class Label:
    """What a label shows: the QR payload, a title (item or depot name) and detail lines."""

    payload: str
    title: str
    lines: tuple[str, ...]


TEXT_WIDTH_MM = WIDTH_MM - HEIGHT_MM - 0.5
TOP_MM, BOTTOM_MM = 1.2, 0.6
# (font size mm, line height mm, max lines) for the lot code and the other lines
CODE, LINE = (2.2, 2.7, 2), (2.1, 2.6, 2)
# The title (item or depot name) takes the height the other lines leave: the largest of
# these font sizes that shows the whole name in at most TITLE_MAX_LINES lines, else the
# smallest in as many lines as the room takes (English names are long), cut with "…" only
# when even those are not enough (never fewer than two lines).
TITLE_SIZES, TITLE_LEADING, TITLE_MAX_LINES = (2.9, 2.6, 2.3, 2.1), 1.2, 4


def _advance(char: str) -> float:
    """Approximate width of a character in ems: CJK and full-width are square, Latin narrower,
    a space narrower still (at most 0.3 em in the CJK fonts; at 0.56 "Expiry 2027-02-06"
    took two lines and cut the English item name above it)."""
    if char == " ":
        return 0.3
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.56


def _lines(text: str, size_mm: float) -> list[str]:
    """Every line `text` breaks into in the text column at this font size."""
    limit = TEXT_WIDTH_MM / size_mm
    result, current, width = [], "", 0.0
    for char in text:
        if width + _advance(char) > limit and current:
            head, space, tail = current.rpartition(" ")
            if space and head:  # prefer breaking at a space ("有效期 | 2027-01-29")
                result.append(head)
                current = tail
            else:
                result.append(current)
                current = ""
            width = sum(_advance(c) for c in current)
        current += char
        width += _advance(char)
    result.append(current)
    return result


def _wrap(text: str, size_mm: float, lines: int) -> list[str]:
    """Break `text` into at most `lines` lines that fit the text column at this font size."""
    result = _lines(text, size_mm)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1][:-1] + "…"
    return result


def fits(text: str, lines: int = LINE[2]) -> bool:
    """Whether `text` shows whole as a detail line (at most `lines` lines, nothing cut)."""
    return len(_lines(text, LINE[0])) <= lines


def _title_rows(title: str, room_mm: float) -> list[tuple[str, float, float, bool]]:
    """The title's rows: the largest font that shows it whole in the room left."""
    for size in TITLE_SIZES:
        height = round(size * TITLE_LEADING, 2)
        count = max(2, int(room_mm // height))
        if size != TITLE_SIZES[-1]:  # the smallest font takes all the room before a cut
            count = min(TITLE_MAX_LINES, count)
        lines = _lines(title, size)
        if len(lines) <= count or size == TITLE_SIZES[-1]:
            return [(line, size, height, True) for line in _wrap(title, size, count)]
    raise AssertionError("unreachable")


def _rows(label: Label) -> list[tuple[str, float, float, bool]]:
    """(text, font size, line height, bold) rows of the text column."""
    body = []
    for index, text in enumerate(label.lines):
        size, height, count = CODE if index == 0 else LINE
        body += [(line, size, height, False) for line in _wrap(text, size, count)]
    room = HEIGHT_MM - TOP_MM - BOTTOM_MM - sum(row[2] for row in body)
    return _title_rows(label.title, room) + body


def label_svg(label: Label) -> str:
    """An SVG document of the label, 50 × 30 mm, text in the browser's CJK font."""
    path, modules = qr_svg_path(label.payload)
    qr_mm = HEIGHT_MM - 1
    text_x = qr_mm + 0.5
    rows = []
    y = TOP_MM
    for line, size, height, bold in _rows(label):
        y += height
        weight = ' font-weight="700"' if bold else ""
        rows.append(f'<text x="{text_x}" y="{y - (height - size) / 2:.2f}" font-size="{size}"'
                    f"{weight}>{escape(line)}</text>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH_MM}mm" height="{HEIGHT_MM}mm" '
        f'viewBox="0 0 {WIDTH_MM} {HEIGHT_MM}" font-family="Noto Sans CJK SC, Source Han Sans SC, '
        'PingFang SC, Microsoft YaHei, sans-serif">'
        f'<rect width="{WIDTH_MM}" height="{HEIGHT_MM}" fill="#fff"/>'
        f'<g transform="translate(0.5 0.5) scale({qr_mm / modules:.5f})">'
        f'<path d="{path}" fill="#000" shape-rendering="crispEdges"/></g>'
        + "".join(rows) + "</svg>\n")


def label_png(label: Label, dots_per_mm: int = 12) -> bytes:
    """A PNG of the label (600 × 360 px by default, about 300 dpi) drawn with Pillow."""
    from PIL import Image, ImageDraw

    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    width, height = WIDTH_MM * dots_per_mm, HEIGHT_MM * dots_per_mm
    image = Image.new("RGB", (width, height), "white")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=1)
    code.add_data(label.payload)
    code.make(fit=True)
    qr_px = height - dots_per_mm
    modules = code.modules_count + 8
    box = max(qr_px // modules, 1)
    qr_image = code.make_image(fill_color="black", back_color="white").get_image()
    qr_image = qr_image.convert("RGB").resize((modules * box, modules * box), Image.NEAREST)
    image.paste(qr_image, (dots_per_mm // 2, (height - modules * box) // 2))
    draw = ImageDraw.Draw(image)
    x, y = (HEIGHT_MM - 0.5) * dots_per_mm, TOP_MM * dots_per_mm
    for line, size, height, bold in _rows(label):
        font = cjk_font(round(size * dots_per_mm), bold, line)
        draw.text((x, y), line, fill="black", font=font)
        y += height * dots_per_mm
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dots_per_mm * 25.4, dots_per_mm * 25.4))
    return buffer.getvalue()
