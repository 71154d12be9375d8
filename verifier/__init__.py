"""Checking Voisinage from outside, trusting nothing but a kept checkpoint and a public key.

* `verifier.witness` - fetch the log's checkpoint, check its signature and its
  consistency with the last one kept, keep it (``voisinage audit witness``);
* `verifier.bundle` - recompute the Merkle tree of an audit bundle, check the
  signatures and a kept checkpoint against it, recount the published shortlists
  (``voisinage-verify``).

Imports only `domain`, the standard library and `cryptography` (an import-linter
contract in setup.cfg enforces it), so that an auditor can read all of it.
"""
