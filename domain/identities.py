"""Deterministic identities, so that uniqueness rules are enforced by the event store.

Two attempts to create an aggregate with the same id conflict on save: that is how
"one ballot per participant and process" and "one participant per invitation" hold,
even across web workers on several machines.
"""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("6f1c1d2e-2b7a-5f55-9a57-7c8f3b3f0a11")


def ballot_id(process_id: UUID, voter_digest: str) -> UUID:
    """The one ballot a participant may hold in a process.

    `voter_digest` is a keyed digest of (process, participant) computed by the
    application with a key kept outside the event store: participant ids are visible
    in the audit log, so a ballot id derived from them alone would name whose ballot
    it is.
    """
    return uuid5(NAMESPACE, f"ballot/{process_id}/{voter_digest}")


def invitation_id(process_id: UUID, code_digest: str) -> UUID:
    """The invitation behind a code (known only by its keyed digest)."""
    return uuid5(NAMESPACE, f"invitation/{process_id}/{code_digest}")


def staff_id(email_digest: str) -> UUID:
    """A staff member's participant id, from the keyed digest of their e-mail address."""
    return uuid5(NAMESPACE, f"staff/{email_digest}")


def report_id(process_id: UUID) -> UUID:
    """The one report (composition) of a process."""
    return uuid5(NAMESPACE, f"report/{process_id}")


def research_record_id(process_id: UUID) -> UUID:
    """The one research record (hypotheses, methodology, indicators) of a process."""
    return uuid5(NAMESPACE, f"research/{process_id}")


def response_id(questionnaire_id: UUID, wave: int, respondent_digest: str) -> UUID:
    """The one response a respondent may hold in a wave of a questionnaire.

    Like `ballot_id`, derived from a keyed digest so that the id names nobody, and so
    that a second response by the same respondent to the same wave conflicts on save.
    """
    return uuid5(NAMESPACE, f"response/{questionnaire_id}/{wave}/{respondent_digest}")
