"""The phases of a process and the acts each one permits."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import InvalidTransition, WrongPhase


class Phase(StrEnum):
    """A process moves through these phases in this order, never back."""

    DRAFT = "draft"
    CONTRIBUTIONS = "contributions"
    PROPOSALS = "proposals"
    VOTING = "voting"
    SHORTLISTED = "shortlisted"
    RECOMMENDATIONS = "recommendations"
    CLOSED = "closed"


ORDER: tuple[Phase, ...] = tuple(Phase)

#: The phases in which each act is permitted. Every command checks its act here.
PERMITTED: dict[str, tuple[Phase, ...]] = {
    "set voting rules": (Phase.DRAFT, Phase.CONTRIBUTIONS, Phase.PROPOSALS),
    "add an axis": (Phase.DRAFT, Phase.CONTRIBUTIONS, Phase.PROPOSALS),
    "issue invitations": tuple(p for p in Phase if p is not Phase.CLOSED),
    "join": tuple(p for p in Phase if p is not Phase.CLOSED),
    "schedule a workshop": (Phase.DRAFT, Phase.CONTRIBUTIONS),
    "open a workshop": (Phase.CONTRIBUTIONS,),
    "record a contribution": (Phase.CONTRIBUTIONS,),
    "tag a contribution": (Phase.CONTRIBUTIONS, Phase.PROPOSALS),
    "moderate a contribution": tuple(p for p in Phase if p is not Phase.CLOSED),
    "submit a proposal": (Phase.PROPOSALS,),
    "revise a proposal": (Phase.PROPOSALS,),
    "withdraw a proposal": (Phase.PROPOSALS, Phase.VOTING),
    "moderate a proposal": (Phase.PROPOSALS, Phase.VOTING),
    "merge proposals": (Phase.PROPOSALS, Phase.VOTING),
    "cast a ballot": (Phase.VOTING,),
    "publish the shortlist": (Phase.VOTING,),
    "draft a recommendation": (Phase.SHORTLISTED, Phase.RECOMMENDATIONS),
    "revise a recommendation": (Phase.SHORTLISTED, Phase.RECOMMENDATIONS),
    "submit a recommendation": (Phase.RECOMMENDATIONS,),
    "answer a recommendation": (Phase.RECOMMENDATIONS, Phase.CLOSED),
    "report progress": (Phase.RECOMMENDATIONS, Phase.CLOSED),
    "export the vote": (Phase.SHORTLISTED, Phase.RECOMMENDATIONS, Phase.CLOSED),
    "compose the report": tuple(p for p in Phase if p is not Phase.DRAFT),
    "read the report": (Phase.SHORTLISTED, Phase.RECOMMENDATIONS, Phase.CLOSED),
    "download the open data": (Phase.SHORTLISTED, Phase.RECOMMENDATIONS, Phase.CLOSED),
    # research-action: the record documents the process to its end; questionnaires
    # are built and sent in any phase before the close (a baseline in draft).
    "write the research record": tuple(Phase),
    "build a questionnaire": tuple(p for p in Phase if p is not Phase.CLOSED),
    "open a wave": tuple(p for p in Phase if p is not Phase.CLOSED),
    "register an organisation": tuple(p for p in Phase if p is not Phase.CLOSED),
}


def require_phase(act: str, phase: Phase) -> None:
    """Raise WrongPhase unless `act` is permitted in `phase`."""
    allowed = PERMITTED[act]
    if phase not in allowed:
        raise WrongPhase(act, phase.value, tuple(p.value for p in allowed))


def next_phase(phase: Phase) -> Phase:
    """The phase after `phase`; closed has none."""
    index = ORDER.index(phase)
    if index + 1 == len(ORDER):
        raise InvalidTransition(
            "the process is closed: there is no next phase", code="phase.closed"
        )
    return ORDER[index + 1]
