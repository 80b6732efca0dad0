"""Build inventory/fonts/LabelSansSC-{Regular,Bold}.otf: the CJK fonts of PNG labels.

A subset of Noto Sans CJK SC (SIL Open Font License 1.1, © Adobe) covering ASCII, Latin-1,
general and CJK punctuation, full-width forms and the 6,763 hanzi of GB2312, renamed
"Label Sans SC" (a modified version should not carry the original's name; "Noto" is a
trademark of Google). The app ships the result, so labels render Chinese the same way on
every machine, with or without fonts-noto-cjk. Horizontal Chinese only (no vertical
forms, no Japanese, Korean or Traditional variants): about 1.6 MB a weight.

Not part of the app: fontTools is needed only here. Run it from a throw-away venv:

    python3 -m venv /tmp/fontvenv && /tmp/fontvenv/bin/pip install fonttools
    /tmp/fontvenv/bin/python scripts/build_label_font.py [/path/to/NotoSansCJK-Regular.ttc]

(`apt-get install fonts-noto-cjk` provides the source collections.)
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
TARGET_DIR = Path(__file__).resolve().parents[1] / "inventory" / "fonts"
FAMILY = "Label Sans SC"
RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2190, 0x21FF), (0x2460, 0x24FF),
          (0x3000, 0x303F), (0xFF00, 0xFFEF))


def gb2312() -> set[int]:
    """Every character GB2312 encodes (its 94 × 94 grid)."""
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def codepoints() -> set[int]:
    return gb2312() | {c for start, end in RANGES for c in range(start, end + 1)}


def build(source: Path, style: str) -> Path:
    collection = TTCollection(str(source))
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    options = subset.Options()
    # Horizontal Chinese only: no vertical forms, no Japanese/Korean/Traditional variants.
    options.layout_features = [f for f in options.layout_features
                               if f not in ("locl", "vert", "vrt2", "vkrn", "valt", "vpal")]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17):
            names.removeNames(nameID=record.nameID)
    postscript = FAMILY.replace(" ", "") + "-" + style
    for name_id, text in ((1, FAMILY), (2, style), (3, f"{postscript};subset of Noto Sans CJK SC"),
                          (4, f"{FAMILY} {style}"), (6, postscript)):
        names.setName(text, name_id, 3, 1, 0x409)
        names.setName(text, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = f"{FAMILY} {style}", FAMILY
    target = TARGET_DIR / f"{postscript}.otf"
    TARGET_DIR.mkdir(exist_ok=True)
    font.save(str(target))
    return target


def main() -> None:
    regular = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE_DIR / "NotoSansCJK-Regular.ttc"
    for style, source in (("Regular", regular),
                          ("Bold", regular.with_name(regular.name.replace("Regular", "Bold")))):
        target = build(source, style)
        print(f"{target}: {target.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
