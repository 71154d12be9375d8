"""A proposal that residents or facilitators write, citing the contributions behind it."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, NotAllowed, NotEditable
from domain.text import clean_language, clean_reason, clean_text


class Status(StrEnum):
    """Where a proposal stands. Hiding is separate: a hidden proposal keeps its status."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


MAX_COST = 10**12


def clean_cost(cost: object) -> int | None:
    """An estimated cost: None (not given) or a positive whole amount of the currency."""
    if cost is None:
        return None
    if isinstance(cost, bool) or not isinstance(cost, int) or not 1 <= cost <= MAX_COST:
        raise InvalidInput(
            "the cost must be a positive whole amount (at most 10^12)",
            field="cost",
            code="proposal.cost",
            params={"max": MAX_COST},
        )
    return cost


def clean_sources(sources: list[UUID]) -> list[UUID]:
    """Cited contributions, de-duplicated in the order given; at least one."""
    unique = list(dict.fromkeys(sources))
    if not unique:
        raise InvalidInput(
            "cite at least one contribution", field="source_ids", code="proposal.no_source"
        )
    if len(unique) > 200:
        raise InvalidInput(
            "cite at most 200 contributions",
            field="source_ids",
            code="proposal.too_many_sources",
            params={"max": 200},
        )
    return unique


class Proposal(Aggregate):
    """A proposal of a process. Only its author revises or withdraws it.

    Merging records ``MergedInto`` on the source and ``Absorbed`` on the target in
    one transaction: both histories stay, and the target cites the sources of both.
    """

    @classmethod
    def submit(
        cls,
        *,
        process_id: UUID,
        title: str,
        body: str,
        language: str,
        axis_id: UUID | None,
        source_ids: list[UUID],
        author_id: UUID,
        cost: int | None = None,
    ) -> Proposal:
        """Submit a proposal. The caller has checked that the sources exist in the process."""
        return cls(
            process_id=process_id,
            title=clean_text(title, field="title", min_length=3, max_length=200),
            body=clean_text(body, field="body", max_length=10000),
            language=clean_language(language),
            axis_id=axis_id,
            source_ids=clean_sources(source_ids),
            author_id=author_id,
            cost=clean_cost(cost),
        )

    @event("Submitted")
    def __init__(
        self,
        *,
        process_id: UUID,
        title: str,
        body: str,
        language: str,
        axis_id: UUID | None,
        source_ids: list[UUID],
        author_id: UUID,
        cost: int | None = None,
    ) -> None:
        self.process_id = process_id
        self.cost = cost
        self.title = title
        self.body = body
        self.language = language
        self.axis_id = axis_id
        self.source_ids = source_ids
        self.author_id = author_id
        self.status = Status.ACTIVE
        self.hidden_reason: str | None = None
        self.merged_into: UUID | None = None
        self.merged_from: list[UUID] = []
        self.inherited_source_ids: list[UUID] = []
        self.revision = 1

    @property
    def visible(self) -> bool:
        """Whether residents see it and may vote for it."""
        return self.status is Status.ACTIVE and self.hidden_reason is None

    def _require_active(self) -> None:
        if self.status is not Status.ACTIVE:
            raise NotEditable(
                f"the proposal is {self.status}",
                code="proposal.not_editable",
                params={"status": self.status.value},
            )

    def _require_author(self, actor_id: UUID, facilitator: bool) -> None:
        if actor_id != self.author_id and not facilitator:
            raise NotAllowed(
                "only the author of a proposal (or a facilitator) may do this",
                code="proposal.not_author",
            )

    def revise(
        self,
        *,
        actor_id: UUID,
        title: str,
        body: str,
        axis_id: UUID | None,
        source_ids: list[UUID],
        facilitator: bool = False,
        cost: int | None = None,
    ) -> None:
        """The author rewrites the proposal (or a facilitator, at their request: `by` says
        who did). A cost of None keeps the current one."""
        self._require_author(actor_id, facilitator)
        self._require_active()
        self._revised(
            title=clean_text(title, field="title", min_length=3, max_length=200),
            body=clean_text(body, field="body", max_length=10000),
            axis_id=axis_id,
            source_ids=clean_sources(source_ids),
            by=actor_id,
            cost=clean_cost(cost),
        )

    @event("Revised")
    def _revised(
        self,
        *,
        title: str,
        body: str,
        axis_id: UUID | None,
        source_ids: list[UUID],
        by: UUID | None = None,
        cost: int | None = None,
    ) -> None:
        if cost is not None:
            self.cost = cost
        self.title = title
        self.body = body
        self.axis_id = axis_id
        # Sources inherited from merged proposals stay cited: the trail must not break.
        self.source_ids = list(dict.fromkeys([*source_ids, *self.inherited_source_ids]))
        self.revision += 1

    def withdraw(self, actor_id: UUID, facilitator: bool = False) -> None:
        """The author (or a facilitator for them) withdraws the proposal: ballots for it
        count for nothing."""
        self._require_author(actor_id, facilitator)
        self._require_active()
        self._withdrawn(by=actor_id)

    @event("Withdrawn")
    def _withdrawn(self, *, by: UUID) -> None:
        self.status = Status.WITHDRAWN

    def hide(self, reason: str, by: UUID) -> None:
        """A facilitator hides the proposal, with a reason kept in the history."""
        if self.hidden_reason is not None:
            raise NotEditable("the proposal is already hidden", code="item.already_hidden")
        self._hidden(reason=clean_reason(reason), by=by)

    @event("Hidden")
    def _hidden(self, *, reason: str, by: UUID) -> None:
        self.hidden_reason = reason

    def restore(self, reason: str, by: UUID) -> None:
        """A facilitator makes a hidden proposal visible again."""
        if self.hidden_reason is None:
            raise NotEditable("the proposal is not hidden", code="item.not_hidden")
        self._restored(reason=clean_reason(reason), by=by)

    @event("Restored")
    def _restored(self, *, reason: str, by: UUID) -> None:
        self.hidden_reason = None

    def merge_into(self, target: Proposal, reason: str, by: UUID) -> None:
        """Merge this proposal into `target`; both record the merge."""
        if target.id == self.id:
            raise InvalidInput(
                "a proposal cannot be merged into itself", field="target_id", code="merge.itself"
            )
        if target.process_id != self.process_id:
            raise InvalidInput(
                "both proposals must belong to the same process",
                field="target_id",
                code="merge.other_process",
            )
        self._require_active()
        if target.status is not Status.ACTIVE:
            raise NotEditable(
                f"the target proposal is {target.status}",
                code="merge.target_not_active",
                params={"status": target.status.value},
            )
        cleaned = clean_reason(reason)
        self._merged_into(target_id=target.id, reason=cleaned, by=by)
        target._absorbed(source_id=self.id, source_ids=list(self.source_ids), by=by)

    @event("MergedInto")
    def _merged_into(self, *, target_id: UUID, reason: str, by: UUID) -> None:
        self.status = Status.MERGED
        self.merged_into = target_id

    @event("Absorbed")
    def _absorbed(self, *, source_id: UUID, source_ids: list[UUID], by: UUID) -> None:
        self.merged_from.append(source_id)
        self.inherited_source_ids = list(dict.fromkeys([*self.inherited_source_ids, *source_ids]))
        self.source_ids = list(dict.fromkeys([*self.source_ids, *source_ids]))
