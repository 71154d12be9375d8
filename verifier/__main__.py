"""`voisinage-verify BUNDLE --checkpoint KEPT --key PUBLIC_KEY`: exit 0 when everything
matches, 1 (naming the first position that differs) otherwise, 2 on unusable input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from domain.checkpoint import CheckpointError, Verifier
from verifier.bundle import kept_checkpoints, verify_bundle


def main(argv: list[str] | None = None) -> int:
    """Run the verifier; returns the exit status."""
    parser = argparse.ArgumentParser(prog="voisinage-verify", description=__doc__)
    parser.add_argument("bundle", type=Path, help="the audit bundle (voisinage audit export)")
    parser.add_argument(
        "--checkpoint",
        type=Path,
        help="a checkpoint kept by a witness: its file, or the witness's state directory",
    )
    parser.add_argument("--key", required=True, help="the log's public key (name+id+base64)")
    args = parser.parse_args(argv)
    try:
        verifier = Verifier.decode(args.key)
        report = verify_bundle(args.bundle, verifier, kept_checkpoints(args.checkpoint))
    except (CheckpointError, OSError, ValueError) as error:
        print(f"voisinage-verify: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    for finding in report.findings:
        print(f"  [{finding.check}] at {finding.position}: {finding.message}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
