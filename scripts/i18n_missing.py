"""List msgids without a Chinese translation (exit 1 if any); used by scripts/i18n update."""
import sys

from babel.messages.pofile import read_po

with open(sys.argv[1], "rb") as handle:
    catalog = read_po(handle)
missing = [m.id for m in catalog if m.id and not m.string]
for msgid in missing:
    print(f"untranslated: {msgid!r}")
print(f"{len(missing)} untranslated of {len([m for m in catalog if m.id])}")
sys.exit(1 if missing else 0)
