"""A resident's receipt check shows where the ballot is in the public log, Chromium
checks its RFC 9162 inclusion proof against the signed checkpoint's root hash, and the
proof downloaded from the page passes `voisinage-verify proof`."""

from __future__ import annotations

import pytest
from app_support import settle
from test_pages_browser import _context, _join, browser, server  # noqa: F401 (fixtures)

from verifier.__main__ import main as verify

pytestmark = pytest.mark.browser


def test_the_receipt_check_verifies_the_inclusion_proof_in_the_browser(
    server,  # noqa: F811 (fixture)
    browser,  # noqa: F811 (fixture)
    tmp_path,
    capsys,
):
    base, site = server
    context = _context(browser, javascript=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _join(page, base, site)
    page.goto(f"{base}/p/{site.pid}/ballot")
    page.get_by_label("Potager partagé").check()
    page.get_by_role("button", name="Envoyer mon vote").click()
    receipt = page.locator("#ballot-result #receipt")
    receipt.wait_for()
    code = receipt.inner_text()
    settle(site.app)
    site.app.extensions["transparency"].checkpoint("test")
    page.goto(f"{base}/p/{site.pid}/check?receipt={code}")
    assert page.get_by_text("Dans le journal public").is_visible()
    status = page.locator("#inclusion-status")
    status.filter(has_text="Vérifié dans votre navigateur").wait_for(timeout=5000)
    assert status.get_attribute("class") == "message success"
    assert "BEGIN" not in page.content()  # the checkpoint is the C2SP text, nothing else
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # the proof downloaded from the page is checked by the standalone verifier
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Télécharger la preuve").click()
    download = downloading.value
    assert download.suggested_filename == "voisinage-proof.json"
    saved = tmp_path / "voisinage-proof.json"
    download.save_as(saved)
    public = site.app.extensions["transparency"].signer.verifier.encode()
    assert page.locator("pre.command").inner_text().endswith(f"--key {public}")
    assert verify(["proof", str(saved), "--key", public]) == 0
    assert capsys.readouterr().out.startswith("OK: leaf")

    # a proof that does not lead to the root is refused by the same script
    page.evaluate(
        """() => {
            const box = document.getElementById('inclusion-proof');
            box.dataset.leaf = btoa(String.fromCharCode(...new Uint8Array(32)));
        }"""
    )
    page.add_script_tag(url=f"{base}/static/js/inclusion.js")
    page.locator("#inclusion-status").filter(has_text="ne mène pas").wait_for(timeout=5000)
    context.close()
