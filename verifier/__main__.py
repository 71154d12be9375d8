"""The standalone verifier; exit 0 when everything matches, 1 when something differs
(FAILED, with the reason), 2 on unusable input (nothing was checked).

* ``voisinage-verify BUNDLE --checkpoint KEPT --key PUBLIC_KEY``: an audit bundle
  (``voisinage audit export``); names the first position that differs.
* ``voisinage-verify proof FILE --key PUBLIC_KEY [--checkpoint KEPT]``: a receipt's
  inclusion proof ("Download the proof" on the receipt check page).

The first argument ``proof`` selects the subcommand; a bundle file named ``proof`` is
given as ``./proof``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from domain.checkpoint import CheckpointError, Verifier
from verifier.bundle import kept_checkpoints, verify_bundle
from verifier.proof import read_proof, verify_proof

KEPT_HELP = "a checkpoint kept by a witness: its file, or the witness's state directory"
KEY_HELP = "the log's public key (name+id+base64), obtained out of band"


def _verifier(text: str) -> Verifier:
    if text.strip().startswith("PRIVATE+KEY+"):
        raise CheckpointError("this is a private signing key: give the log's public key")
    return Verifier.decode(text)


def main(argv: list[str] | None = None) -> int:
    """Run the verifier; returns the exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["proof"]:
        return proof_main(args[1:])
    parser = argparse.ArgumentParser(
        prog="voisinage-verify",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("bundle", type=Path, help="the audit bundle (voisinage audit export)")
    parser.add_argument("--checkpoint", type=Path, help=KEPT_HELP)
    parser.add_argument("--key", required=True, help=KEY_HELP)
    parsed = parser.parse_args(args)
    try:
        verifier = _verifier(parsed.key)
        report = verify_bundle(parsed.bundle, verifier, kept_checkpoints(parsed.checkpoint))
    except (CheckpointError, OSError, ValueError) as error:
        print(f"voisinage-verify: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    for finding in report.findings:
        print(f"  [{finding.check}] at {finding.position}: {finding.message}")
    return 0 if report.ok else 1


def proof_main(argv: list[str]) -> int:
    """``voisinage-verify proof FILE --key KEY [--checkpoint KEPT]``: one line, OK or FAILED."""
    parser = argparse.ArgumentParser(
        prog="voisinage-verify proof",
        description="Check a receipt's inclusion proof (the downloaded proof.json) against "
        "the log's public key: OK (exit 0), FAILED with the reason (1), unusable input (2).",
    )
    parser.add_argument("file", type=Path, help="the proof file (Download the proof)")
    parser.add_argument("--key", required=True, help=KEY_HELP)
    parser.add_argument("--checkpoint", type=Path, help=KEPT_HELP)
    parsed = parser.parse_args(argv)
    try:
        verifier = _verifier(parsed.key)
        proof = read_proof(parsed.file)
        kept = kept_checkpoints(parsed.checkpoint)
    except (CheckpointError, OSError, ValueError) as error:
        print(f"voisinage-verify: {error}", file=sys.stderr)
        return 2
    report = verify_proof(proof, verifier, kept)
    print(report.line)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
