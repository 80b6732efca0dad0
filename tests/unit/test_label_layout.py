"""The text column of a 50 × 30 mm label: long item names are shown whole (more lines, or a
smaller font) instead of being cut with "…" after two lines; everything stays on the label."""
import re

from inventory.label_images import HEIGHT_MM, TITLE_SIZES, Label, _rows, label_svg

LONG = "救灾专用12m²单帐篷(冬季以12m²棉帐篷替代)"
LINES = ("1010101-2025B", "有效期 2027-02-06", "每件 1 顶", "康巴什区、滨河社区")


def title_of(label: Label) -> list[tuple[str, float, float, bool]]:
    return [row for row in _rows(label) if row[3]]


def bottom_mm(label: Label) -> float:
    return 1.2 + sum(row[2] for row in _rows(label))


def test_a_long_item_name_is_shown_whole_in_large_type():
    label = Label(payload="http://x/q/T/1010101-2025B", title=LONG, lines=LINES)
    title = title_of(label)
    assert "".join(row[0] for row in title) == LONG  # nothing cut
    assert len(title) >= 3 and title[0][1] == TITLE_SIZES[0]
    assert bottom_mm(label) <= HEIGHT_MM
    svg = label_svg(label)
    assert "…" not in svg and "冬季以" in svg


def test_a_longer_name_gets_a_smaller_font_before_being_cut():
    name = "救灾专用12m²单帐篷(冬季以12m²棉帐篷替代,含地布、防潮垫与保暖内衬)"
    label = Label(payload="http://x/q/T/L1", title=name, lines=LINES)
    title = title_of(label)
    assert "".join(row[0] for row in title) == name
    assert title[0][1] < TITLE_SIZES[0]
    assert bottom_mm(label) <= HEIGHT_MM


def test_an_endless_name_is_cut_at_the_smallest_font_and_stays_on_the_label():
    label = Label(payload="http://x/q/T/L1", title="帐篷" * 60, lines=LINES)
    title = title_of(label)
    assert title[-1][0].endswith("…") and title[0][1] == TITLE_SIZES[-1]
    assert bottom_mm(label) <= HEIGHT_MM
    baselines = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"', label_svg(label))]
    assert max(baselines) <= HEIGHT_MM


def test_a_short_name_and_the_expiry_take_one_line_each():
    label = Label(payload="http://x/q/T/Q1", title="棉被", lines=LINES)
    rows = _rows(label)
    assert [row[0] for row in rows] == ["棉被", *LINES]
    assert rows[0][1] == TITLE_SIZES[0]


def test_a_long_english_name_takes_the_room_left_before_being_cut():
    name = "Relief tent 12 m2 single-skin (cold season: 12 m2 insulated tent)"
    lines = ("1010101-2025B", "Expiry 2027-02-06", "Pack 1 set", "Kangbashi District")
    label = Label(payload="http://x/q/T/1010101-2025B", title=name, lines=lines)
    title = title_of(label)
    assert " ".join(row[0] for row in title) == name and len(title) > 4  # whole, not cut at 4
    assert bottom_mm(label) <= HEIGHT_MM
