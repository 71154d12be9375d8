"""Named domain errors.

Every refused act raises one of these before anything is recorded. The five base
classes tell the web layer which HTTP status to answer (422, 403, 404, 409, 409);
the subclasses name the precise rule that was broken.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of every rule the domain refuses to break.

    `message` is the rule in English for developers and logs; `code` names the rule
    (``"text.too_long"``) and `params` its values (``{"max": 200}``), so that the pages
    can say it in the reader's language (web/pages/feedback.py)."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.params: dict[str, object] = dict(params or {})


# --- invalid input (422) -------------------------------------------------------------


class InvalidInput(DomainError):
    """The request is well-formed but its content breaks a rule."""


class InvalidText(InvalidInput):
    """A text field is empty, too long or in an unsupported language."""


class UnsafeText(InvalidText):
    """A text holds characters that cannot be stored or shown safely (controls, lone
    surrogates, bidi overrides)."""

    def __init__(self, message: str, *, field: str | None = None, character: str = "") -> None:
        super().__init__(message, field=field, code="text.unsafe")
        self.character = character


class InvalidVotingRules(InvalidInput):
    """Voting rules that cannot be applied (unknown method, bad limits)."""


class InvalidBallot(InvalidInput):
    """A ballot that does not respect the process's voting rules."""


class UnknownSource(InvalidInput):
    """A proposal cites a contribution that does not exist in this process."""


class InvalidAnswer(InvalidInput):
    """An institutional answer without justification, or a bad progress value."""


class InvalidProgress(InvalidAnswer):
    """A progress that is not a whole number from 0 to 100."""


class ProgressDecreaseUnexplained(InvalidAnswer):
    """A progress report lower than the last one, without a note saying why."""

    def __init__(self, message: str, *, field: str | None = None, before: int, after: int) -> None:
        super().__init__(
            message,
            field=field,
            code="progress.decrease",
            params={"before": before, "after": after},
        )
        self.before = before
        self.after = after


class InvalidInvitation(InvalidInput):
    """An invitation code that this process never issued."""


# --- not allowed (403) ---------------------------------------------------------------


class NotAllowed(DomainError):
    """The actor's role (or identity) does not permit this act."""


class NotRepresentative(NotAllowed):
    """Only an organisation's representatives answer or speak in its name."""

    def __init__(self, message: str, *, field: str | None = "on_behalf_of_organisation") -> None:
        super().__init__(message, field=field, code="organisation.not_representative")


# --- not found (404) -----------------------------------------------------------------


class NotFound(DomainError):
    """The named process, workshop, contribution, proposal or recommendation does not exist."""


# --- conflicts with the current state (409) ------------------------------------------


class Conflict(DomainError):
    """The act contradicts the current state of the process."""


class WrongPhase(Conflict):
    """The process is not in a phase that permits this act."""

    def __init__(self, act: str, phase: str, allowed: tuple[str, ...]) -> None:
        super().__init__(
            f"{act} is not possible in phase '{phase}' (allowed in: {', '.join(allowed)})",
            code="phase.wrong",
            params={"act": act, "phase": phase},
        )
        self.act = act
        self.phase = phase
        self.allowed = allowed


class VoteIsClosed(Conflict):
    """The vote closed before this ballot reached the store: it is not counted."""


class InvalidTransition(Conflict):
    """A phase change that does not follow the process's order."""


class InvitationAlreadyUsed(Conflict):
    """Each invitation code admits exactly one participant."""


class ParticipantErased(Conflict):
    """The participant was erased at their request: their code no longer signs in."""


class AlreadyExists(Conflict):
    """An aggregate with this identity was already recorded."""


class NotEditable(Conflict):
    """The item was withdrawn, merged or hidden and can no longer change."""


class ConcurrentChange(Conflict):
    """Someone else changed the same item at the same moment, and retries ran out."""


# --- not authenticated (401) -----------------------------------------------------------


class NotAuthenticated(DomainError):
    """No valid credentials were presented."""


# --- research-action (questionnaires in waves) ---------------------------------------


class InvalidQuestion(InvalidInput):
    """A questionnaire question of an unknown kind, without options, or badly worded."""


class InvalidResponse(InvalidInput):
    """An answer that does not fit its question (unknown option, out of the scale,
    a required question left unanswered)."""


class WaveNotOpen(Conflict):
    """Answers are taken only while a wave of the questionnaire is open."""


class AnswerAlreadyContributed(Conflict):
    """A free-text answer is turned into a contribution once: the trail holds it once."""

    def __init__(self, question_id: str) -> None:
        super().__init__(
            f"the answer to {question_id} of this response is already a contribution",
            field="response",
            code="answer.already_contributed",
            params={"question": question_id},
        )
