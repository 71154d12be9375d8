"""The event log in plain words: what each kind of stored event means, for people.

One entry per event kind (projections/queries/audit.py `event_kind`: a topic, or the
one kind all ballot events and all participant events are shown as). A test checks
that every event class of the domain has its entry.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from projections.queries.audit import event_kind

EVENT_NAMES: dict[str, Any] = {
    "domain.ballot:Ballot": _l("A ballot was cast or changed"),
    "domain.participant:Participant": _l("A participant's record changed"),
    "domain.contribution:Contribution.Recorded": _l("A contribution was recorded"),
    "domain.contribution:Contribution.Tagged": _l("A contribution was given a theme"),
    "domain.contribution:Contribution.Hidden": _l("A contribution was hidden by moderation"),
    "domain.contribution:Contribution.Restored": _l("A hidden contribution was shown again"),
    "domain.invitation:Invitation.Issued": _l("An invitation code was issued"),
    "domain.invitation:Invitation.Redeemed": _l("An invitation code was used to join"),
    "domain.organisation:Organisation.Registered": _l("An organisation was registered"),
    "domain.organisation:Organisation.RepresentativeAdded": _l(
        "A representative was added to an organisation"
    ),
    "domain.organisation:Organisation.ContactErased": _l(
        "An organisation's contact person was erased"
    ),
    "domain.process:Process.Started": _l("A process was started"),
    "domain.process:Process.PhaseOpened": _l("A stage of the process began"),
    "domain.process:Process.AxisAdded": _l("A theme was added to the process"),
    "domain.process:Process.VotingRulesSet": _l("The voting rules were set"),
    "domain.process:Process.CandidateRemoved": _l("A proposal was taken out of the vote"),
    "domain.process:Process.CandidateMerged": _l("Two proposals were merged in the vote"),
    "domain.process:Process.VoteClosed": _l("The vote was closed"),
    "domain.process:Process.ShortlistPublished": _l("The shortlist was published"),
    "domain.proposal:Proposal.Submitted": _l("A proposal was submitted"),
    "domain.proposal:Proposal.Revised": _l("A proposal was revised"),
    "domain.proposal:Proposal.Withdrawn": _l("A proposal was withdrawn"),
    "domain.proposal:Proposal.Hidden": _l("A proposal was hidden by moderation"),
    "domain.proposal:Proposal.Restored": _l("A hidden proposal was shown again"),
    "domain.proposal:Proposal.MergedInto": _l("A proposal was merged into another"),
    "domain.proposal:Proposal.Absorbed": _l("A proposal took in a merged one"),
    "domain.questionnaire:Questionnaire.Created": _l("A questionnaire was created"),
    "domain.questionnaire:Questionnaire.QuestionAdded": _l(
        "A question was added to a questionnaire"
    ),
    "domain.questionnaire:Questionnaire.WaveOpened": _l("A questionnaire round opened"),
    "domain.questionnaire:Questionnaire.WaveClosed": _l("A questionnaire round closed"),
    "domain.questionnaire:Questionnaire.AnswerTagged": _l(
        "An answer to a questionnaire was given a theme"
    ),
    "domain.questionnaire:Questionnaire.AnswerContributed": _l(
        "An answer to a questionnaire became a contribution"
    ),
    "domain.recommendation:Recommendation.Drafted": _l("A recommendation was drafted"),
    "domain.recommendation:Recommendation.Revised": _l("A recommendation was revised"),
    "domain.recommendation:Recommendation.Submitted": _l(
        "A recommendation was sent to the institutions"
    ),
    "domain.recommendation:Recommendation.Answered": _l("An institution answered a recommendation"),
    "domain.recommendation:Recommendation.ProgressReported": _l(
        "An institution reported progress on a recommendation"
    ),
    "domain.report:Report.Started": _l("The process report was started"),
    "domain.report:Report.Composed": _l("The process report was composed"),
    "domain.research:ResearchRecord.Begun": _l("The research record was begun"),
    "domain.research:ResearchRecord.HypothesisStated": _l("A research hypothesis was stated"),
    "domain.research:ResearchRecord.MethodDescribed": _l("The research method was described"),
    "domain.research:ResearchRecord.IndicatorDefined": _l("A research indicator was defined"),
    "domain.research:ResearchRecord.ExpectedEffectsSet": _l(
        "The expected effects of the research were set"
    ),
    "domain.response:Response.Given": _l("A questionnaire was answered"),
    "domain.response:Response.Changed": _l("An answer to a questionnaire was changed"),
    "domain.workshop:Workshop.Scheduled": _l("A workshop was scheduled"),
    "domain.workshop:Workshop.Opened": _l("A workshop opened"),
    "domain.workshop:Workshop.Closed": _l("A workshop closed"),
}


def event_name(topic: object) -> str:
    """What a stored event means, in the reader's language (its class name, marked as
    such by the caller, only for a kind this table does not know)."""
    kind = event_kind(str(topic))
    name = EVENT_NAMES.get(kind)
    return str(name) if name is not None else kind.split(":")[-1]


def event_kinds() -> list[tuple[str, str]]:
    """(kind, name) of every kind of event, by name in the reader's language."""
    return sorted(((kind, str(name)) for kind, name in EVENT_NAMES.items()), key=lambda k: k[1])
