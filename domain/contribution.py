"""A resident's words: a testimony, an idea, a concern or a question."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import Conflict, InvalidInput
from domain.text import clean_language, clean_reason, clean_text


class Kind(StrEnum):
    """What a contribution is."""

    TESTIMONY = "testimony"
    IDEA = "idea"
    CONCERN = "concern"
    QUESTION = "question"


class Contribution(Aggregate):
    """Words given in a workshop, typed by their author or captured on their behalf.

    A facilitator who captures paper notes records who spoke: a participant id or
    the label of a group ("table 3", "anonymous group"). Hidden contributions stay
    in the history with the reason; restoring them is an event too.
    """

    @classmethod
    def record(
        cls,
        *,
        process_id: UUID,
        workshop_id: UUID,
        kind: str,
        text: str,
        language: str,
        author_id: UUID,
        on_behalf_of_participant: UUID | None = None,
        on_behalf_of_group: str | None = None,
        axis_id: UUID | None = None,
        quote_consent: bool = False,
        on_behalf_of_organisation: UUID | None = None,
    ) -> Contribution:
        """Record a contribution; `author_id` is who typed it.

        `quote_consent` says that the speaker (or the capturing facilitator, on their
        word) agrees to be quoted, anonymised, in the process report.
        `on_behalf_of_organisation` names the organisation the words are given for (by
        one of its representatives, or captured by a facilitator); the application
        checks that it is of the process and, for a resident, that they represent it.
        """
        try:
            kind_value = Kind(kind)
        except ValueError:
            raise InvalidInput(
                f"kind must be one of {', '.join(Kind)}, not '{kind}'", field="kind"
            ) from None
        if on_behalf_of_participant is not None and on_behalf_of_group is not None:
            raise InvalidInput(
                "capture on behalf of a participant or of a group, not both",
                field="on_behalf_of_group",
                code="capture.both",
            )
        if on_behalf_of_organisation is not None and on_behalf_of_group is not None:
            raise InvalidInput(
                "capture on behalf of an organisation or of a group, not both",
                field="on_behalf_of_group",
                code="capture.both",
            )
        if not isinstance(quote_consent, bool):
            raise InvalidInput("quote_consent must be true or false", field="quote_consent")
        group = (
            clean_text(on_behalf_of_group, field="on_behalf_of_group", max_length=200)
            if on_behalf_of_group is not None
            else None
        )
        return cls(
            process_id=process_id,
            workshop_id=workshop_id,
            kind=kind_value.value,
            text=clean_text(text, field="text", max_length=5000),
            language=clean_language(language),
            author_id=author_id,
            on_behalf_of_participant=on_behalf_of_participant,
            on_behalf_of_group=group,
            axis_id=axis_id,
            quote_consent=quote_consent,
            on_behalf_of_organisation=on_behalf_of_organisation,
        )

    @event("Recorded")
    def __init__(
        self,
        *,
        process_id: UUID,
        workshop_id: UUID,
        kind: str,
        text: str,
        language: str,
        author_id: UUID,
        on_behalf_of_participant: UUID | None,
        on_behalf_of_group: str | None,
        axis_id: UUID | None,
        quote_consent: bool = False,
        on_behalf_of_organisation: UUID | None = None,
    ) -> None:
        # quote_consent and on_behalf_of_organisation came later: events recorded before
        # them decode as "no consent" and "for no organisation".
        self.process_id = process_id
        self.workshop_id = workshop_id
        self.kind = Kind(kind)
        self.text = text
        self.language = language
        self.author_id = author_id
        self.on_behalf_of_participant = on_behalf_of_participant
        self.on_behalf_of_group = on_behalf_of_group
        self.axis_id = axis_id
        self.quote_consent = bool(quote_consent)
        self.on_behalf_of_organisation = on_behalf_of_organisation
        self.hidden_reason: str | None = None

    @property
    def is_captured(self) -> bool:
        """Whether a facilitator captured it for someone else."""
        return self.on_behalf_of_participant is not None or self.on_behalf_of_group is not None

    @property
    def speaker_id(self) -> UUID | None:
        """The participant whose words these are, if known."""
        if self.on_behalf_of_group is not None:
            return None
        return self.on_behalf_of_participant or self.author_id

    @property
    def visible(self) -> bool:
        """Whether residents see it."""
        return self.hidden_reason is None

    def tag(self, axis_id: UUID | None, by: UUID) -> None:
        """Group the contribution under an axis (None removes the tag)."""
        if axis_id == self.axis_id:
            raise Conflict("the contribution already has this axis", code="contribution.same_axis")
        self._tagged(axis_id=axis_id, by=by)

    @event("Tagged")
    def _tagged(self, *, axis_id: UUID | None, by: UUID) -> None:
        self.axis_id = axis_id

    def hide(self, reason: str, by: UUID) -> None:
        """Hide from residents, with a reason kept in the history."""
        if not self.visible:
            raise Conflict("the contribution is already hidden", code="item.already_hidden")
        self._hidden(reason=clean_reason(reason), by=by)

    @event("Hidden")
    def _hidden(self, *, reason: str, by: UUID) -> None:
        self.hidden_reason = reason

    def restore(self, reason: str, by: UUID) -> None:
        """Make a hidden contribution visible again."""
        if self.visible:
            raise Conflict("the contribution is not hidden", code="item.not_hidden")
        self._restored(reason=clean_reason(reason), by=by)

    @event("Restored")
    def _restored(self, *, reason: str, by: UUID) -> None:
        self.hidden_reason = None
