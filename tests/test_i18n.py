"""Every user-facing string is translated, and the compiled catalogue is current."""
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "inventory/translations/zh/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")


def test_every_message_in_the_code_has_a_chinese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "N_", "-k", "_l", "--no-location", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with PO.open("rb") as handle:
        translated = {m.id: m.string for m in read_po(handle) if m.id}
    missing = sorted(msgid for msgid in wanted if not translated.get(msgid))
    assert missing == [], "run scripts/i18n update and translate these"


def test_compiled_catalogue_matches_the_po_file():
    with PO.open("rb") as handle:
        po = {m.id: m.string for m in read_po(handle) if m.id and m.string}
    with MO.open("rb") as handle:
        mo = {m.id: m.string for m in read_mo(handle) if m.id}
    assert po == mo, "run scripts/i18n compile"


def test_placeholders_survive_translation():
    import re
    with PO.open("rb") as handle:
        for message in read_po(handle):
            if not message.id or not message.string:
                continue
            for pattern in (r"%\(\w+\)s", r"\{\w+\}"):
                assert sorted(re.findall(pattern, message.id)) == sorted(
                    re.findall(pattern, message.string)), message.id
