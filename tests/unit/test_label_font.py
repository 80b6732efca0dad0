"""PNG labels draw Chinese with the app's own font (Label Sans SC, a subset of Noto Sans
CJK SC shipped in inventory/fonts), whatever fonts the machine has."""
import io
import logging

import pytest
from PIL import Image, ImageChops

from inventory import qr
from inventory.label_images import Label, label_png

TOFU = "\ue000"  # a private-use character no font has: drawn as the "missing" box


@pytest.fixture
def no_system_fonts(monkeypatch):
    """As on a server without fonts-noto-cjk."""
    monkeypatch.setattr(qr, "FONT_CANDIDATES", ())
    monkeypatch.setattr(qr, "BOLD_CANDIDATES", ())
    qr._font.cache_clear()
    yield
    qr._font.cache_clear()


def ink(font, text: str) -> bytes:
    return bytes(font.getmask(text))


def test_the_shipped_font_is_used_and_draws_real_hanzi(no_system_fonts):
    for bold in (False, True):
        font = qr.cjk_font(36, bold, "棉帐篷")
        assert font.path.endswith("LabelSansSC-Bold.otf" if bold else "LabelSansSC-Regular.otf")
        cotton, tent, missing = ink(font, "棉"), ink(font, "帐"), ink(font, TOFU)
        assert any(cotton) and any(tent)
        assert cotton != tent and missing not in (cotton, tent)


def test_the_shipped_font_covers_what_it_claims(no_system_fonts):
    font = qr.cjk_font(24, False, "")
    missing = ink(font, TOFU)
    gb2312 = [bytes((high, low)).decode("gb2312", "ignore") for high in range(0xB0, 0xF8, 3)
              for low in range(0xA1, 0xFA, 7)]  # a sample of the hanzi rows
    sample = [c for c in gb2312 if c] + list("有效期包装规格份（）：，。、“”…·×—ABCxyz0-9")
    sample += ["①", "→", "é"]
    assert all(qr.label_font_covers(char) for char in sample)
    uncovered = [char for char in sample if ink(font, char) == missing]
    assert not uncovered
    assert not qr.label_font_covers("𠀀")  # beyond GB2312: a system font is tried first


def test_a_png_label_in_chinese_shows_glyphs_not_boxes(no_system_fonts):
    def title_region(title: str) -> Image.Image:
        png = label_png(Label(payload="http://x/q/T/L1", title=title, lines=("L1",)))
        image = Image.open(io.BytesIO(png)).convert("L")
        return image.crop((image.width * 6 // 10, 0, image.width, image.height // 4))

    chinese, boxes = title_region("棉帐篷"), title_region(TOFU * 3)
    assert ImageChops.difference(chinese, boxes).getbbox() is not None
    assert chinese.getextrema()[0] < 128  # dark strokes were drawn


def test_without_any_cjk_font_a_warning_is_logged(no_system_fonts, monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(qr, "LABEL_FONTS", {False: tmp_path / "none.otf", True: tmp_path / "x.otf"})
    with caplog.at_level(logging.WARNING, logger="inventory.qr"):
        qr.cjk_font(30, False, "棉")
    assert "No CJK font" in caplog.text and "fonts-noto-cjk" in caplog.text
