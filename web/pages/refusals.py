"""The sentence for each coded domain refusal, in the reader's language.

A domain error names its rule with a `code` and the rule's values with `params`
(domain/errors.py). Each code here has a plain sentence that says what went wrong and what
to do next; a code may have a sentence per status (``"proposal.not_editable/merged"``).
Numbers are written the reader's way (Babel); phases and percentages by their helpers.
A code without a sentence falls back to the error class's sentence (web/pages/feedback.py).
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal, lazy_gettext

from web.pages.presentation import percent, phase_name

#: code (or code/status) -> sentence with %(param)s placeholders.
SENTENCES: dict[str, Any] = {
    "text.empty": lazy_gettext("This text is empty. Write something, then send it again."),
    "text.language": lazy_gettext("Choose a language from the list."),
    "text.too_short": lazy_gettext("This text is too short: write at least %(min)s characters."),
    "text.too_long": lazy_gettext(
        "This text is too long: %(length)s characters, at most %(max)s. Shorten it, then send "
        "it again."
    ),
    "rules.method": lazy_gettext("Choose one of the voting methods in the list."),
    "rules.range": lazy_gettext("Give a whole number from %(min)s to %(max)s."),
    "rules.at_least": lazy_gettext("Give a whole number of at least %(min)s."),
    "rules.whole": lazy_gettext("Give a whole number in figures, for example 10."),
    "rules.grades": lazy_gettext(
        "Give at least two different grades, one per line, or leave the field empty for the "
        "usual six grades."
    ),
    "rules.budget_method": lazy_gettext(
        "A budget to share out works only with approval voting or with fair shares. Choose one of "
        "them, or leave the budget empty."
    ),
    "rules.currency": lazy_gettext("Give the currency as a three-letter code, such as EUR."),
    "phase.next": lazy_gettext(
        "The process can only move on to its next stage, “%(expected)s”. Reload the page to "
        "see where it stands."
    ),
    "phase.publish_to_close": lazy_gettext(
        "To end the vote, close it and publish the shortlist from the process's dashboard."
    ),
    "phase.no_candidates": lazy_gettext(
        "The vote needs at least one visible proposal. Add a proposal, or show a hidden one "
        "again, then open the vote."
    ),
    "phase.closed": lazy_gettext("The process is closed: there is no next stage."),
    "axis.exists": lazy_gettext("An axis with this name already exists. Choose another name."),
    "axis.unknown": lazy_gettext(
        "This axis is not part of the process. Reload the page and choose one from the list."
    ),
    "vote.not_closed": lazy_gettext("Close the vote first, then publish its count."),
    "shortlist.none": lazy_gettext(
        "No shortlist has been published yet. Come back once the vote is closed."
    ),
    "organisation.not_representative": lazy_gettext(
        "Only the representatives of an organisation answer or speak in its name. Ask a "
        "facilitator to add you as one, or answer for yourself."
    ),
    "organisation.unknown": lazy_gettext(
        "This organisation is not part of the process. Reload the page and choose one from "
        "the list."
    ),
    "organisation.no_representative": lazy_gettext(
        "Give the code on the representative's invitation card."
    ),
    "organisation.not_resident": lazy_gettext(
        "A representative is a resident of this process: give the code on their invitation card."
    ),
    "organisation.already_representative": lazy_gettext(
        "This person already represents the organisation."
    ),
    "organisation.no_contact": lazy_gettext("This organisation has no contact person to erase."),
    "organisation.contact_erased": lazy_gettext(
        "The contact person of this organisation was already erased. There is nothing left "
        "to erase."
    ),
    "recommendation.no_proposal": lazy_gettext("Tick at least one proposal of the shortlist."),
    "answer.status": lazy_gettext("Choose your answer: one of the statuses in the list."),
    "answer.justification": lazy_gettext(
        "Explain your answer in at least %(min)s characters: residents will read it."
    ),
    "recommendation.not_shortlisted": lazy_gettext(
        "A ticked proposal is not on the shortlist. Reload the page and tick only proposals "
        "of the shortlist."
    ),
    "recommendation.sent": lazy_gettext(
        "This recommendation was already sent to the institution, so it can no longer change."
    ),
    "recommendation.not_sent": lazy_gettext(
        "This recommendation has not been sent to the institution yet, so it cannot be answered."
    ),
    "workshop.not_openable/open": lazy_gettext("This workshop is already open."),
    "workshop.not_openable/closed": lazy_gettext(
        "This workshop is closed and cannot open again. Plan a new workshop if needed."
    ),
    "workshop.closed": lazy_gettext("This workshop is already closed."),
    "capture.both": lazy_gettext(
        "Give either the resident's invitation code or a group, not both. Clear one of the "
        "two fields."
    ),
    "contribution.same_axis": lazy_gettext("This contribution already has this axis."),
    "item.already_hidden": lazy_gettext(
        "This is already hidden. Reload the page to see where it stands."
    ),
    "item.not_hidden": lazy_gettext("This is not hidden. Reload the page to see where it stands."),
    "proposal.cost": lazy_gettext(
        "Give the cost as a whole amount without decimals, at most %(max)s."
    ),
    "proposal.cost_needed": lazy_gettext(
        "This process shares out a budget: give the estimated cost of the proposal."
    ),
    "proposal.no_source": lazy_gettext(
        "Tick at least one contribution that the proposal comes from."
    ),
    "proposal.too_many_sources": lazy_gettext("Tick at most %(max)s contributions."),
    "proposal.not_editable/withdrawn": lazy_gettext(
        "This proposal was withdrawn, so it can no longer change."
    ),
    "proposal.not_editable/merged": lazy_gettext(
        "This proposal was merged into another one, so it can no longer change. Change the "
        "proposal it was merged into instead."
    ),
    "proposal.not_author": lazy_gettext(
        "Only the author of this proposal, or a facilitator, can change it."
    ),
    "proposal.hidden_in_vote": lazy_gettext(
        "A proposal hidden during the vote cannot come back onto the ballot: its votes were "
        "removed from the count."
    ),
    "merge.itself": lazy_gettext(
        "A proposal cannot be merged into itself. Choose another proposal."
    ),
    "merge.other_process": lazy_gettext("Both proposals must belong to the same process."),
    "merge.target_not_active": lazy_gettext(
        "The proposal chosen to merge into was withdrawn or merged. Choose another one."
    ),
    "merge.no_target": lazy_gettext("Choose the proposal to merge into."),
    "merge.target_not_on_ballot": lazy_gettext(
        "During the vote, a proposal can only be merged into a proposal on the ballot. "
        "Choose another one."
    ),
    "progress.before_answer": lazy_gettext(
        "Answer the recommendation first, then report its progress."
    ),
    "progress.rejected": lazy_gettext("A rejected recommendation has no progress to report."),
    "progress.range": lazy_gettext("Progress is a whole number from 0 to 100."),
    "progress.decrease": lazy_gettext(
        "This progress (%(after)s) is lower than the last one reported (%(before)s). Say in "
        "the note why it went down (at least 10 characters)."
    ),
    "answer.nothing": lazy_gettext("Choose an answer, or give a progress."),
    "ballot.empty": lazy_gettext("Choose at least one proposal, then send your vote."),
    "ballot.unknown": lazy_gettext(
        "One of your choices is no longer on the ballot (withdrawn, hidden or merged). "
        "Reload the ballot and choose again."
    ),
    "ballot.twice": lazy_gettext(
        "A proposal is chosen twice. Give each proposal one place only, then send your vote."
    ),
    "ballot.points_at_least": lazy_gettext("Give each proposal you choose at least one point."),
    "ballot.points_cap": lazy_gettext(
        "One proposal can get at most %(max)s points. Move some to other proposals."
    ),
    "ballot.over_budget": lazy_gettext(
        "You gave %(points)s points but have %(budget)s to share out. Take some back, then "
        "send your vote."
    ),
    "ballot.too_many": lazy_gettext(
        "You chose %(count)s proposals; the most you may choose is %(max)s. Untick some, then "
        "send your vote."
    ),
    "ballot.grade": lazy_gettext(
        "A grade is not on this vote's scale. Reload the ballot and choose again."
    ),
    "ballot.none": lazy_gettext("You have no vote to withdraw in this process."),
    "question.kind": lazy_gettext("Choose the kind of question in the list."),
    "question.required": lazy_gettext(
        "Say whether an answer to this question is required: yes or no."
    ),
    "question.options": lazy_gettext(
        "A choice question needs from %(min)s to %(max)s options: write one per line."
    ),
    "question.no_options": lazy_gettext(
        "This kind of question has no options: leave the options empty, or choose a choice "
        "question."
    ),
    "question.too_many": lazy_gettext(
        "A questionnaire has at most %(max)s questions. Create a second questionnaire for the "
        "others."
    ),
    "question.position": lazy_gettext(
        "Give the place of the question as a whole number from 1 to %(max)s."
    ),
    "question.unknown": lazy_gettext(
        "This question is not part of the questionnaire. Reload the page and choose again."
    ),
    "questionnaire.audience": lazy_gettext(
        "Choose who is asked: residents, organisations, or both."
    ),
    "questionnaire.anonymous": lazy_gettext("Say whether the answers are anonymous: yes or no."),
    "questionnaire.fixed": lazy_gettext(
        "The questions no longer change once a wave was sent, so that every wave asks the same "
        "thing. Create a new questionnaire to ask other questions."
    ),
    "questionnaire.for_organisations": lazy_gettext(
        "This questionnaire is for organisations: answer it in the name of your organisation."
    ),
    "questionnaire.for_residents": lazy_gettext(
        "This questionnaire is for residents, not for organisations: answer it in your own name."
    ),
    "wave.no_question": lazy_gettext("Add at least one question, then open a wave."),
    "wave.still_open": lazy_gettext(
        "Wave %(wave)s is still open: close it first, then open the next one."
    ),
    "wave.sent_to": lazy_gettext(
        "Give how many people were asked as a whole number of at least 1, or leave the field empty."
    ),
    "wave.not_open": lazy_gettext(
        "Wave %(wave)s is not open. Reload the page to see where it stands."
    ),
    "wave.not_open/closed": lazy_gettext(
        "This questionnaire is closed for answers now: your answers were not saved."
    ),
    "wave.not_open/not_opened": lazy_gettext(
        "This wave of the questionnaire is not open yet: your answers were not saved. Come back "
        "when it opens."
    ),
    "wave.closed_before": lazy_gettext(
        "The wave closed before your answers arrived, so they do not count. Thank you all the same."
    ),
    "response.option": lazy_gettext("Choose one of the options of this question."),
    "response.options": lazy_gettext("Tick only options of this question, each once."),
    "response.scale": lazy_gettext("Choose a whole number from %(min)s to %(max)s."),
    "response.shape": lazy_gettext(
        "Your answers could not be read. Reload the questionnaire and answer again."
    ),
    "response.unknown_question": lazy_gettext(
        "An answer is for a question that is not in this questionnaire. Reload it and answer again."
    ),
    "response.required": lazy_gettext("This question needs an answer."),
    "response.empty": lazy_gettext("Answer at least one question, then send your answers."),
    "answer.not_free": lazy_gettext(
        "Only free-text answers can be given a theme or made a contribution."
    ),
    "answer.no_response": lazy_gettext(
        "This answer cannot be found. Reload the page and choose it again."
    ),
    "answer.no_workshop": lazy_gettext("Choose an open workshop for the contribution."),
    "workshop.other_process": lazy_gettext(
        "This workshop is not part of this process. Choose one of its open workshops."
    ),
    "research.hypothesis_unknown": lazy_gettext(
        "A chosen hypothesis is not in the research record. Reload the page and choose again."
    ),
    "research.no_hypothesis": lazy_gettext("Choose the hypothesis that the indicator measures."),
    "research.method": lazy_gettext("Choose one of the methods in the list."),
    "research.date": lazy_gettext("Give a date, for example 2026-03-01."),
    "research.end_before_start": lazy_gettext(
        "The end is before the start. Give an end date on or after the start date."
    ),
    "research.direction": lazy_gettext("Choose the expected direction in the list."),
    "research.no_effects": lazy_gettext(
        "Describe at least one expected effect: for people, for their publics or for the "
        "organisations."
    ),
    "research.effect_target": lazy_gettext(
        "Expected effects are for people, for their publics or for the organisations only."
    ),
    "research.no_axis": lazy_gettext("Choose the axis whose effects you describe."),
    "research.question_unknown": lazy_gettext(
        "A chosen question is not a question of a questionnaire of this process. Reload the page "
        "and choose again."
    ),
    "answer.already_contributed": lazy_gettext(
        "This answer is already a contribution of a workshop: proposals can already cite it. "
        "Nothing was added."
    ),
    "process.other": lazy_gettext(
        "You joined another process: you can act only in the process of your invitation code."
    ),
}

#: How a parameter is written for people (numbers by default).
_PERCENTS = ("before", "after")


def _shown(name: str, value: object) -> str:
    if name in _PERCENTS:
        return percent(value)
    if name == "expected":
        return phase_name(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(format_decimal(value))
    return str(value)


def coded_sentence(code: str | None, params: dict[str, object]) -> str | None:
    """The sentence for `code` with its parameters, or None when it has none."""
    if code is None:
        return None
    status = params.get("status")
    sentence = SENTENCES.get(f"{code}/{status}") if status else None
    if sentence is None:
        sentence = SENTENCES.get(code)
    if sentence is None:
        return None
    return str(sentence) % {name: _shown(name, value) for name, value in params.items()}
