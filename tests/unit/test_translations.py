"""Every string the pages show has a French and a Dutch translation, and the committed
catalogue template is the one the code and templates give today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    """The messages of web/pages and the templates, extracted now (babel.cfg)."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--sort-output",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {message.id: message for message in read_po(handle) if message.id}


def test_the_committed_template_lists_what_the_code_says(extracted):
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        committed = {message.id for message in read_po(handle) if message.id}
    assert set(extracted) == committed, (
        "run pybabel extract (see babel.cfg): "
        f"new {sorted(map(str, set(extracted) - committed))[:5]}, "
        f"gone {sorted(map(str, committed - set(extracted)))[:5]}"
    )


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_message_is_translated_in_the_compiled_catalogue(extracted, language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    missing = []
    for msgid in extracted:
        message = compiled.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        strings = message.string if message is not None else None
        if isinstance(strings, tuple | list):
            strings = all(strings)
        if not strings:
            missing.append(msgid)
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:5]}"
