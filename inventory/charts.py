"""Charts as inline SVG, drawn on the server: no script, no internet asset, prints well.

Each function takes plain numbers and labels and returns markup that is safe to embed
(every text is escaped). Colours follow the stylesheet's palette.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

PALETTE = ("#1f6fb2", "#c8102e", "#2e8540", "#e08a00", "#6f42c1", "#17a2b8", "#8c564b")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` whose quarter (the grid step) is a whole
    1, 2, 2.5 or 5 × 10ⁿ, at least 1: the charts count pieces and people, so every grid
    label is a distinct whole number (a top of 1 labelled 0, 0, 1, 1, 1)."""
    quarter = max(value, 0) / 4
    magnitude = 10 ** max(math.floor(math.log10(quarter)), 0) if quarter >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        tick = step * magnitude
        if tick == int(tick) and quarter <= tick:
            return tick * 4
    return 40 * magnitude


def _axis(width: int, height: int, pad: tuple[int, int, int, int], top: float,
          number) -> list[str]:
    left, right, bottom, upper = pad
    parts = []
    for i in range(5):
        value = top * i / 4
        y = height - bottom - (height - bottom - upper) * i / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#dde3ea" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="12" fill="#5a6570">{escape(number(value))}</text>')
    return parts


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str,
               number=lambda v: f"{v:,.0f}", width: int = 720, height: int = 260,
               target: float | None = None, target_label: str = "") -> Markup:
    """One or more lines over the same x labels; an optional dashed target line."""
    pad = (64, 16, 34, 16)
    left, right, bottom, upper = pad
    values = [v for s in series for v in s.values if v is not None] + ([target] if target else [])
    top = _nice_max(max(values, default=0))
    count = max(len(labels), 2)
    xs = [left + (width - left - right) * i / (count - 1) for i in range(len(labels))]

    def y(value: float) -> float:
        return height - bottom - (height - bottom - upper) * value / top

    parts = _axis(width, height, pad, top, number)
    step = max(1, len(labels) // 8)
    for i in range(0, len(labels), step):
        parts.append(f'<text x="{xs[i]:.1f}" y="{height - 12}" text-anchor="middle" '
                     f'font-size="12" fill="#5a6570">{escape(labels[i])}</text>')
    if target:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(target):.1f}" '
                     f'y2="{y(target):.1f}" stroke="#c8102e" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{width - right}" y="{y(target) - 5:.1f}" text-anchor="end" '
                     f'font-size="12" fill="#c8102e">{escape(target_label)}</text>')
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = " ".join(f"{xs[i]:.1f},{y(v):.1f}" for i, v in enumerate(one.values)
                          if v is not None)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                     f'points="{points}"><title>{escape(one.name)}</title></polyline>')
    return _svg(width, height, title, parts, series)


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str,
              number=lambda v: f"{v:,.0f}", width: int = 720, height: int = 260,
              highlight: Sequence[bool] | None = None) -> Markup:
    """Vertical bars with their values on top; `highlight` marks bars in the alert colour."""
    pad = (64, 16, 34, 22)
    left, right, bottom, upper = pad
    top = _nice_max(max(values, default=0))
    slot = (width - left - right) / max(len(values), 1)
    parts = _axis(width, height, pad, top, number)
    for i, (label, value) in enumerate(zip(labels, values)):
        bar_height = (height - bottom - upper) * value / top
        x = left + slot * i + slot * 0.15
        colour = PALETTE[1] if highlight and highlight[i] else PALETTE[0]
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - bar_height:.1f}" '
                     f'width="{slot * 0.7:.1f}" height="{bar_height:.1f}" fill="{colour}">'
                     f'<title>{escape(label)}: {escape(number(value))}</title></rect>')
        if value:
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom - bar_height - 4:.1f}" '
                         f'text-anchor="middle" font-size="11" fill="#1d2530">'
                         f'{escape(number(value))}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - 12}" text-anchor="middle" '
                     f'font-size="12" fill="#5a6570">{escape(label)}</text>')
    return _svg(width, height, title, parts, [])


def _svg(width: int, height: int, title: str, parts: list[str], series: Sequence[Series]) -> Markup:
    legend = "".join(
        f'<span class="legend-item"><i style="background:{PALETTE[i % len(PALETTE)]}"></i>'
        f'{escape(s.name)}</span>' for i, s in enumerate(series) if len(series) > 1)
    body = "".join(parts)
    return Markup(
        f'<figure class="chart"><svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(title)}</title>{body}</svg>'
        + (f'<figcaption class="legend">{legend}</figcaption>' if legend else "") + "</figure>")


@dataclass(frozen=True)
class TreeNode:
    key: str
    parent: str | None
    title: str
    caption: str           # e.g. "18,871 件"
    tone: str = "ok"       # ok | warn | bad | none


TONES = {"ok": ("#e7f5ec", "#2e8540"), "warn": ("#fff4dc", "#e08a00"),
         "bad": ("#fde2e2", "#c8102e"), "none": ("#f1f3f6", "#8a96a3")}


def tree_chart(nodes: Sequence[TreeNode], *, title: str, column_width: int = 250,
               row_height: int = 58) -> Markup:
    """The unit tree left to right, one column per tier; parents centred on their children."""
    children: dict[str | None, list[TreeNode]] = {}
    for node in nodes:
        children.setdefault(node.parent, []).append(node)
    keys = {node.key for node in nodes}
    roots = [n for n in nodes if n.parent is None or n.parent not in keys]
    place: dict[str, tuple[int, float]] = {}
    next_row = [0.0]

    def lay_out(node: TreeNode, depth: int) -> float:
        kids = children.get(node.key, [])
        if not kids:
            y = next_row[0]
            next_row[0] += 1
        else:
            ys = [lay_out(kid, depth + 1) for kid in kids]
            y = (ys[0] + ys[-1]) / 2
        place[node.key] = (depth, y)
        return y

    for root in roots:
        lay_out(root, 0)
    depth_count = max((d for d, _ in place.values()), default=0) + 1
    width, height = depth_count * column_width, max(next_row[0], 1) * row_height + 8
    box_w, box_h = column_width - 40, row_height - 12
    parts = []
    for node in nodes:
        if node.parent in place:
            (pd_, py), (d, y) = place[node.parent], place[node.key]
            x1, y1 = pd_ * column_width + box_w + 4, py * row_height + 4 + box_h / 2
            x2, y2 = d * column_width + 4, y * row_height + 4 + box_h / 2
            mid = (x1 + x2) / 2
            parts.append(f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} '
                         f'{x2:.0f},{y2:.0f}" fill="none" stroke="#b8c2cc" stroke-width="1.5"/>')
    for node in nodes:
        depth, y = place[node.key]
        fill, stroke = TONES.get(node.tone, TONES["none"])
        x, top = depth * column_width + 4, y * row_height + 4
        parts.append(
            f'<g class="tree-node" data-key="{escape(node.key)}">'
            f'<rect x="{x}" y="{top:.0f}" width="{box_w}" height="{box_h}" rx="8" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="2"/>'
            f'<text x="{x + 10}" y="{top + 19:.0f}" font-size="15" font-weight="600" '
            f'fill="#1d2530">{escape(node.title)}</text>'
            f'<text x="{x + 10}" y="{top + 38:.0f}" font-size="14" fill="{stroke}">'
            f'{escape(node.caption)}</text></g>')
    return _svg(int(width), int(height), title, parts, [])
