"""Domain errors as friendly messages on the form, in the user's language.

Everyone sees a plain sentence in the page's language (a refusal in the wrong phase says
which act and which stages allow it). On English pages staff also see the rule's own
wording as a detail; French and Dutch pages never show that English text. Nothing a
command refuses ever becomes a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, get_flashed_messages
from flask_babel import get_locale, gettext, lazy_gettext

from domain import errors
from web.pages.presentation import ACT_NAMES, phase_name
from web.pages.refusals import coded_sentence
from web.pages.sessions import page_actor

T = TypeVar("T")

#: The most precise class wins: the first match in this order.
MESSAGES: list[tuple[type[errors.DomainError], Any]] = [
    (
        errors.InvalidInvitation,
        lazy_gettext("This invitation code is not valid. Check it and try again."),
    ),
    (errors.InvitationAlreadyUsed, lazy_gettext("This invitation code has already been used.")),
    (
        errors.ParticipantErased,
        lazy_gettext(
            "The data of the resident of this code was erased at their request, so the "
            "code no longer signs in. Ask a facilitator for a new invitation."
        ),
    ),
    (
        errors.InvalidBallot,
        lazy_gettext("Your vote does not follow the rules of this vote. Check your choices."),
    ),
    (
        errors.ProgressDecreaseUnexplained,
        lazy_gettext(
            "This progress is lower than the last one reported. Say in the note why it went "
            "down (at least 10 characters)."
        ),
    ),
    (errors.InvalidProgress, lazy_gettext("Progress is a whole number from 0 to 100.")),
    (
        errors.InvalidAnswer,
        lazy_gettext("An answer needs a status and a justification of at least 10 characters."),
    ),
    (errors.UnknownSource, lazy_gettext("A cited contribution cannot be used.")),
    (
        errors.UnsafeText,
        lazy_gettext(
            "This text contains a character that cannot be shown safely (a control or text "
            "direction character). Remove it, or type the text again, and send it."
        ),
    ),
    (errors.InvalidText, lazy_gettext("A text is missing, too short or too long.")),
    (
        errors.InvalidResponse,
        lazy_gettext(
            "An answer does not fit its question. Check the required questions and the "
            "values chosen."
        ),
    ),
    (
        errors.WaveNotOpen,
        lazy_gettext("This questionnaire is closed for answers now: your answers were not saved."),
    ),
    (
        errors.InvalidInput,
        lazy_gettext("Something in the form is not right. Check it and try again."),
    ),
    (
        errors.VoteIsClosed,
        lazy_gettext(
            "The vote closed before your ballot arrived, so it was not counted. "
            "The results will be published on the results page."
        ),
    ),
    (errors.WrongPhase, lazy_gettext("This is not possible at this stage of the process.")),
    (errors.InvalidTransition, lazy_gettext("The process cannot move to that stage now.")),
    (
        errors.ConcurrentChange,
        lazy_gettext("Many people changed this at the same moment. Please try again."),
    ),
    (errors.AlreadyExists, lazy_gettext("This already exists.")),
    (errors.Conflict, lazy_gettext("This is not possible in the current state.")),
    (errors.NotAllowed, lazy_gettext("You are not allowed to do this.")),
    (errors.NotFound, lazy_gettext("We could not find what you asked for.")),
    (errors.NotAuthenticated, lazy_gettext("Please sign in first.")),
]

#: Names of form fields, to say which one is wrong.
FIELDS: dict[str, Any] = {
    "code": lazy_gettext("Invitation code"),
    "name": lazy_gettext("Name"),
    "text": lazy_gettext("Text"),
    "title": lazy_gettext("Title"),
    "place": lazy_gettext("Place"),
    "body": lazy_gettext("Description"),
    "description": lazy_gettext("Description"),
    "method": lazy_gettext("Voting method"),
    "shortlist_size": lazy_gettext("Size of the shortlist"),
    "budget": lazy_gettext("Points per resident"),
    "hide_results_until_close": lazy_gettext("Results during the vote"),
    "reason": lazy_gettext("Reason"),
    "justification": lazy_gettext("Justification"),
    "note": lazy_gettext("Note"),
    "percent": lazy_gettext("Progress"),
    "institution": lazy_gettext("Institution"),
    "language": lazy_gettext("Language"),
    "kind": lazy_gettext("Kind"),
    "on_behalf_of_group": lazy_gettext("Group"),
    "proposal_ids": lazy_gettext("Proposals"),
    "source_ids": lazy_gettext("Contributions"),
    "axis_id": lazy_gettext("Axis"),
    "status": lazy_gettext("Status"),
    "email": lazy_gettext("E-mail"),
    "choices": lazy_gettext("Your choices"),
    "introductions": lazy_gettext("Introductions"),
    "quotes": lazy_gettext("Quotes"),
    "answers": lazy_gettext("Your answers"),
    "cost": lazy_gettext("Estimated cost"),
    "on_behalf_of_code": lazy_gettext("Resident's invitation code"),
    "hypothesis_id": lazy_gettext("Hypothesis"),
    "hypothesis_ids": lazy_gettext("Research hypotheses"),
    "how": lazy_gettext("How it is measured"),
    "direction": lazy_gettext("Expected direction"),
    "start": lazy_gettext("Start date"),
    "end": lazy_gettext("End date"),
    "effects": lazy_gettext("Expected effects"),
    "questions": lazy_gettext("Questions"),
    "workshop_id": lazy_gettext("Workshop"),
    "max_choices": lazy_gettext("Most proposals a resident may choose"),
    "max_points_per_proposal": lazy_gettext("Most points on one proposal"),
    "grades": lazy_gettext("Grades"),
    "spending_limit": lazy_gettext("Budget to share out"),
    "currency": lazy_gettext("Currency"),
    "show_running_total": lazy_gettext("Running total"),
    "results_batch_ballots": lazy_gettext("Ballots per batch of live results"),
    "results_batch_minutes": lazy_gettext("Minutes between batches of live results"),
    "count": lazy_gettext("Number of codes"),
    "target_id": lazy_gettext("Merge into"),
    "sector": lazy_gettext("Sector"),
    "commune": lazy_gettext("Commune"),
    "contact": lazy_gettext("Contact person"),
    "organisation_id": lazy_gettext("Organisation"),
    "on_behalf_of_organisation": lazy_gettext("Organisation"),
    "options": lazy_gettext("Options"),
    "position": lazy_gettext("Place of the question"),
    "audience": lazy_gettext("Who is asked"),
    "anonymous": lazy_gettext("Anonymous answers"),
    "sent_to": lazy_gettext("Number of people asked"),
    "response": lazy_gettext("Answer"),
    "question_id": lazy_gettext("Question"),
    "required": lazy_gettext("Answer required"),
}

#: Fields that mean something else in one group of refusals (the code's prefix): the
#: research record's "method" is a method of the research, not the voting method.
FIELDS_OF: dict[str, dict[str, Any]] = {
    "research": {"method": lazy_gettext("Research method")},
    "question": {"kind": lazy_gettext("Kind of question")},
}

#: Flash category of a refused field's own message (shown beside the field by the form
#: macros in templates/_macros.html, in the page's list of messages by base.html).
FIELD_CATEGORY = "field:"


def friendly(error: errors.DomainError) -> str:
    """The plain sentence for a refused act, naming the refused field."""
    message = field_message(error)
    if isinstance(error, errors.WrongPhase):
        return message
    field = _field(error)
    prefix = (error.code or "").split(".")[0]
    label = FIELDS_OF.get(prefix, {}).get(field or "") or FIELDS.get(field or "")
    if label is not None:
        message = gettext("%(field)s: %(message)s", field=label, message=message)
    return message


def field_message(error: errors.DomainError) -> str:
    """What is wrong, and what to do next, without the field's name: the sentence of the
    error's code with its parameters, else the sentence of its class."""
    if isinstance(error, errors.WrongPhase) and error.act in ACT_NAMES:
        return str(_wrong_phase(error))
    coded = coded_sentence(error.code, error.params)
    if coded is not None:
        return coded
    for cls, text in MESSAGES:
        if isinstance(error, cls):
            return str(text)
    return str(gettext("Something went wrong. Please try again."))


def _field(error: errors.DomainError) -> str | None:
    return error.field.split(".")[0] if error.field else None


def field_error(name: str) -> str | None:
    """The refused message of the form field `name` in this request (a template global)."""
    found = get_flashed_messages(category_filter=[FIELD_CATEGORY + name])
    return str(found[0]) if found else None


def _wrong_phase(error: errors.WrongPhase) -> str:
    stages = ", ".join(gettext("“%(name)s”", name=phase_name(p)) for p in error.allowed)
    return gettext(
        "%(act)s is not possible at the “%(phase)s” stage. It is possible at: %(stages)s.",
        act=ACT_NAMES[error.act],
        phase=phase_name(error.phase),
        stages=stages,
    )


def flash_error(error: errors.DomainError) -> None:
    """Flash the friendly message (and, for staff on English pages, the rule's own words)."""
    actor = page_actor()
    flash(friendly(error), "error")
    field = _field(error)
    if field:
        flash(field_message(error), FIELD_CATEGORY + field)
    if error.field and error.field != field:  # "answers.<question>": that question's field
        flash(field_message(error), FIELD_CATEGORY + error.field)
    locale = get_locale()
    if actor is not None and actor.is_staff and (locale is None or locale.language == "en"):
        flash(error.message, "detail")


def attempt(command: Callable[[], T]) -> T | None:
    """Run a command; on a domain error flash it and return None."""
    try:
        return command()
    except errors.DomainError as error:
        flash_error(error)
        return None
