"""A witness: keeps the log's checkpoints and refuses any that is not an extension of them.

``witness(url, key, state)`` fetches ``URL/checkpoint``, checks its signature with the
log's public key, and, if a checkpoint is already kept in `state`, fetches the RFC 9162
consistency proof from the kept tree to the new one and checks it. Only then is the new
checkpoint kept (``state/checkpoint``, and every one seen in ``state/history/``). Any
inconsistency (a forked, rewritten, shrunk or re-keyed log) raises `Inconsistent` and
keeps nothing. With a witness key, the kept checkpoint is cosigned (C2SP
tlog-cosignature) and handed back to the log (``POST URL/checkpoint/cosignature``), which
shows the witnesses' last cosigned checkpoints to its auditors.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.checkpoint import Checkpoint, CheckpointError, Verifier, open_checkpoint
from domain.cosignature import Cosigner
from domain.merkle import verify_consistency


class Inconsistent(Exception):
    """The log's new checkpoint cannot follow the one kept (or cannot be checked)."""


@dataclass(frozen=True)
class Seen:
    """What the witness did: the checkpoint kept, the one it followed (if any), its note."""

    checkpoint: Checkpoint
    previous: Checkpoint | None
    note: str = ""

    def summary(self) -> str:
        """One line for cron's mail."""
        if self.previous is None:
            return f"OK: first checkpoint kept, tree size {self.checkpoint.size}"
        if self.previous.size == self.checkpoint.size:
            return f"OK: unchanged, tree size {self.checkpoint.size}"
        return (
            f"OK: tree grew from {self.previous.size} to {self.checkpoint.size}, "
            "consistency proof checked"
        )


def _get(url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body: bytes = response.read()
            return body
    except (urllib.error.URLError, OSError) as error:
        raise Inconsistent(f"cannot fetch {url}: {error}") from None


def fetch_checkpoint(
    base: str, verifier: Verifier, timeout: float = 30.0
) -> tuple[str, Checkpoint]:
    """The log's current signed checkpoint, verified (note text, parsed checkpoint)."""
    note = _get(base.rstrip("/") + "/checkpoint", timeout).decode("utf-8", "replace")
    try:
        return note, open_checkpoint(note, verifier)
    except CheckpointError as error:
        raise Inconsistent(f"the log's checkpoint is refused: {error}") from None


def fetch_consistency(base: str, old: int, new: int, timeout: float = 30.0) -> list[bytes]:
    """The log's consistency proof from `old` to `new` leaves."""
    query = urllib.parse.urlencode({"from": old, "to": new})
    body = _get(f"{base.rstrip('/')}/api/v1/audit/proofs/consistency?{query}", timeout)
    try:
        answer: Any = json.loads(body)
        return [base64.b64decode(p, validate=True) for p in answer["proof"]]
    except (ValueError, KeyError, TypeError) as error:
        raise Inconsistent(f"the log's consistency proof is malformed: {error}") from None


def kept(state: Path, verifier: Verifier) -> Checkpoint | None:
    """The checkpoint kept in `state` (verified again with the key), or None."""
    path = state / "checkpoint"
    if not path.exists():
        return None
    try:
        return open_checkpoint(path.read_text(), verifier)
    except CheckpointError as error:
        raise Inconsistent(f"the kept checkpoint {path} does not verify: {error}") from None


def history(state: Path, verifier: Verifier) -> list[Checkpoint]:
    """Every checkpoint this witness kept, by size (those that still verify)."""
    found = []
    for path in sorted((state / "history").glob("*.txt")):
        try:
            found.append(open_checkpoint(path.read_text(), verifier))
        except CheckpointError:
            continue
    return sorted(found, key=lambda c: c.size)


def locate(base: str, verifier: Verifier, state: Path, current: Checkpoint) -> str:
    """Where the rewritten history starts, from the kept checkpoints: the last one the new
    tree still extends and the first one it does not (the changed event lies between)."""
    good, bad = 0, None
    for old in history(state, verifier):
        if old.size > current.size:
            bad = old
            break
        if old.size == current.size:
            consistent = old.root == current.root
        else:
            proof = fetch_consistency(base, old.size, current.size)
            consistent = verify_consistency(old.size, current.size, old.root, current.root, proof)
        if consistent:
            good = old.size
        else:
            bad = old
            break
    if bad is None:
        return "no kept checkpoint locates the change"
    if bad.size - good == 1:
        return f"the first changed event is leaf {good} (kept checkpoints of {good} and {bad.size})"
    return f"the first changed event is one of leaves {good} to {bad.size - 1}"


def witness(base: str, verifier: Verifier, state: Path, timeout: float = 30.0) -> Seen:
    """Fetch, check and keep the log's checkpoint; `Inconsistent` on any difference."""
    previous = kept(state, verifier)
    note, current = fetch_checkpoint(base, verifier, timeout)
    if previous is not None:
        if current.size < previous.size:
            raise Inconsistent(
                f"the log shrank: it was {previous.size} events, it is now {current.size} "
                f"(events from leaf {current.size} on are gone)"
            )
        if current.size == previous.size:
            if current.root != previous.root:
                raise Inconsistent(
                    f"the log was rewritten: same size {current.size}, a different root hash; "
                    f"{locate(base, verifier, state, current)}"
                )
        elif previous.size > 0:
            proof = fetch_consistency(base, previous.size, current.size, timeout)
            if not verify_consistency(
                previous.size, current.size, previous.root, current.root, proof
            ):
                raise Inconsistent(
                    f"the log of {current.size} events is not an extension of the "
                    f"{previous.size} events kept: {locate(base, verifier, state, current)}"
                )
    history = state / "history"
    history.mkdir(parents=True, exist_ok=True)
    (history / f"{current.size:012d}-{current.root.hex()[:16]}.txt").write_text(note)
    temporary = state / "checkpoint.tmp"
    temporary.write_text(note)
    temporary.replace(state / "checkpoint")
    return Seen(current, previous, note)


def cosign(base: str, cosigner: Cosigner, seen: Seen, timeout: float = 30.0) -> str:
    """Cosign the checkpoint just kept and hand it back to the log; the log's answer.

    Raises `Inconsistent` when the log refuses it (the witness's verdict stands)."""
    line = cosigner.cosign(seen.checkpoint.text(), int(time.time()))
    body = (seen.note if seen.note.endswith("\n") else seen.note + "\n") + line
    request = urllib.request.Request(
        base.rstrip("/") + "/checkpoint/cosignature",
        data=body.encode(),
        headers={"Content-Type": "text/plain; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer: bytes = response.read()
            return answer.decode("utf-8", "replace").strip()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip()
        raise Inconsistent(f"the log refused the cosignature ({error.code}): {detail}") from None
    except (urllib.error.URLError, OSError) as error:
        raise Inconsistent(f"cannot send the cosignature: {error}") from None
