"""Fill Chinese translations into the catalogue from a file defining T = {msgid: msgstr}.

Usage: .venv/bin/python scripts/i18n_fill.py my_translations.py (then scripts/i18n compile).
"""
import sys, runpy
from babel.messages.pofile import read_po, write_po
path = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "inventory/translations/zh/LC_MESSAGES/messages.po")
table = runpy.run_path(sys.argv[1])["T"]
with open(path, "rb") as f:
    cat = read_po(f)
n = 0
for m in cat:
    if m.id and m.id in table:
        m.string = table[m.id]; n += 1
with open(path, "wb") as f:
    write_po(f, cat, width=100, sort_output=True, omit_header=False)
print("filled", n)
