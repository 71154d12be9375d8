#!/usr/bin/env python3
"""List msgids of the .pot with no fr or nl translation. usage: python tools/translations_missing.py ."""

import sys
from pathlib import Path
from babel.messages.pofile import read_po

root = Path(sys.argv[1])
pot = read_po((root / "web/translations/messages.pot").open("rb"))
missing = 0
for lang in ("fr", "nl"):
    po = read_po((root / f"web/translations/{lang}/LC_MESSAGES/messages.po").open("rb"))
    for m in pot:
        if not m.id:
            continue
        t = po.get(m.id)
        if t is None or not t.string or (isinstance(t.string, tuple) and not all(t.string)):
            print(lang, repr(m.id))
            missing += 1
print(f"{missing} missing")
sys.exit(1 if missing else 0)
