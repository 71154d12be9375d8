#!/usr/bin/env python3
"""Add translations to a Voisinage checkout and compile them.

usage: python tools/translations_add.py . web/translations/pending/NAME.json [...]
Each JSON file is a list of entries: [msgid, fr, nl] or, for plurals,
[[msgid, msgid_plural], [fr_one, fr_many], [nl_one, nl_many]].
English is the source language (msgid). Existing msgids are updated, new ones added.
Then the .mo files are compiled and the .pot is re-extracted.
"""

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

root = Path(sys.argv[1])
entries = []
for name in sys.argv[2:]:
    entries += json.loads(Path(name).read_text())
for index, lang in ((1, "fr"), (2, "nl")):
    po_path = root / "web/translations" / lang / "LC_MESSAGES/messages.po"
    with po_path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    for entry in entries:
        msgid, text = entry[0], entry[index]
        key = tuple(msgid) if isinstance(msgid, list) else msgid
        existing = catalog.get(key[0] if isinstance(key, tuple) else key)
        if existing is not None:
            existing.string = tuple(text) if isinstance(text, list) else text
            existing.flags.discard("fuzzy")
        else:
            catalog.add(key, tuple(text) if isinstance(text, list) else text)
    with po_path.open("wb") as f:
        write_po(f, catalog, sort_output=False, omit_header=False, width=100)
    with po_path.with_suffix(".mo").open("wb") as f:
        write_mo(f, catalog)
venv = Path(sys.executable).with_name("pybabel")  # run with the project's .venv python
subprocess.run(
    [
        str(venv),
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--sort-output",
        "-o",
        "web/translations/messages.pot",
        ".",
    ],
    cwd=root,
    check=True,
    capture_output=True,
)
print(f"{len(entries)} entries applied to fr and nl; .mo compiled; .pot extracted")
