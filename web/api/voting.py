"""The vote: one's ballot, receipts, the live ranking and the published shortlist."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from application import Actor
from application.authorisation import may_see_live_results
from domain.errors import NotAllowed, NotFound
from domain.phases import Phase
from domain.voting import VotingRules
from web.api.auth import optional_actor, requires, views, voisinage
from web.api.reading import answer_cache, one
from web.api.schemas import Done, Empty, Strict
from web.context import receipt_counted

blp = Blueprint("voting", __name__, url_prefix="/api/v1", description="The vote and its count")


class BallotIn(Strict):
    choices = fields.Raw(
        required=True,
        metadata={
            "description": (
                "approval, equal_shares, pav: a list of proposal ids; schulze, borda: proposal "
                "ids best first; dots: {proposal id: points}; majority_judgment: "
                "{proposal id: grade}"
            )
        },
    )


class ReceiptOut(Schema):
    receipt = fields.String(required=True)


class BallotOut(Schema):
    choices = fields.Raw(required=True)
    receipt = fields.String(allow_none=True)
    counted = fields.Boolean(required=True)


class ReceiptCheck(Schema):
    receipt = fields.String(required=True)
    counted = fields.Boolean(required=True)


class RankedEntry(Schema):
    rank = fields.Integer(allow_none=True)
    proposal_id = fields.String()
    title = fields.String(allow_none=True)
    score = fields.Raw(allow_none=True)


class RankingOut(Schema):
    process_id = fields.String(required=True)
    method = fields.String()
    phase = fields.String()
    live = fields.Boolean()
    ballots_counted = fields.Integer()
    counted_by = fields.String()
    ranking = fields.List(fields.Nested(RankedEntry))
    result = fields.Dict(allow_none=True)
    batch = fields.Dict(
        metadata={"description": "during the vote: the batch shown and when the next may come"}
    )


class CountOut(Schema):
    method = fields.String(required=True)
    ranking = fields.List(fields.String())
    shortlist = fields.List(fields.String())
    tallies = fields.Dict()
    tie_breaks = fields.List(fields.Dict())
    ballots_counted = fields.Integer()
    tie_break_rule = fields.String()


class ShortlistOut(Schema):
    process_id = fields.String(required=True)
    method = fields.String(allow_none=True)
    published_at = fields.Raw(allow_none=True)
    published_position = fields.Integer(allow_none=True)
    chain_head = fields.Dict(allow_none=True)
    shortlist = fields.List(fields.Dict())
    ranking = fields.List(fields.Dict())
    result = fields.Dict()


@blp.put("/processes/<uuid:pid>/ballot")
@requires("cast a ballot")
@blp.arguments(BallotIn)
@blp.response(200, ReceiptOut)
def cast_ballot(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Cast or replace one's ballot. The receipt is a random tracker: it proves the
    ballot is counted, never what it says. The same choices again keep the receipt."""
    return {"receipt": voisinage().cast_ballot(actor, pid, body["choices"])}


@blp.get("/processes/<uuid:pid>/ballot")
@requires("read one's ballot")
@blp.response(200, BallotOut)
def own_ballot(pid: UUID, *, actor: Actor) -> Any:
    """One's own ballot (404 if one has not voted)."""
    ballot = voisinage().own_ballot(actor, pid)
    if ballot is None or not ballot.counted:
        raise NotFound("you have no ballot in this process")
    return {"choices": ballot.choices, "receipt": ballot.receipt, "counted": ballot.counted}


@blp.delete("/processes/<uuid:pid>/ballot")
@requires("cast a ballot")
@blp.arguments(Empty, required=False)
@blp.response(200, Done)
def withdraw_ballot(_: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Take one's ballot back while the vote is open."""
    voisinage().withdraw_ballot(actor, pid)
    return {"ok": True}


@blp.get("/processes/<uuid:pid>/receipts/<string:receipt>")
@blp.response(200, ReceiptCheck)
def check_receipt(pid: UUID, receipt: str) -> Any:
    """Whether the ballot with this receipt is counted now: nothing else is told."""
    one(lambda: views().process(pid), pid, "process")
    return {"receipt": receipt, "counted": receipt_counted(pid, receipt)}


@blp.get("/processes/<uuid:pid>/ranking")
@blp.response(200, RankingOut)
def live_ranking(pid: UUID) -> Any:
    """The ranking: during the vote, in batches of several ballots (never one alone);
    with ``hide_results_until_close``, refused to everyone until the vote closes."""
    process = one(lambda: views().process(pid), pid, "process")
    rules = VotingRules.from_dict(process.get("rules") or {})
    if not may_see_live_results(optional_actor(), rules, Phase(process["phase"])):
        raise NotAllowed("results are hidden from everyone until the vote closes")
    return one(lambda: views().ranking(pid), pid, "ranking")


@blp.post("/processes/<uuid:pid>/shortlist")
@requires("publish the shortlist")
@blp.arguments(Empty, required=False)
@blp.response(201, CountOut)
def publish_shortlist(_: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Close the vote: count every ballot and freeze the result in one event."""
    return voisinage().publish_shortlist(actor, pid).count


@blp.get("/processes/<uuid:pid>/shortlist")
@blp.response(200, ShortlistOut)
def get_shortlist(pid: UUID) -> Any:
    """The frozen shortlist with its tallies, method, tie-breaks and audit chain head."""
    one(lambda: views().process(pid), pid, "process")
    published = views().shortlist_version(pid)
    if published is None and voisinage().shortlist_published(pid):
        views().wait_for(voisinage().head_position(), timeout=5.0)
        published = views().shortlist_version(pid)
    if published is None:
        raise NotFound("no shortlist has been published for this process yet")
    # frozen once published: the same bytes for every request
    return answer_cache().get(
        ("shortlist", pid), published, lambda: SHORTLIST.dump(views().shortlist(pid))
    )


SHORTLIST = ShortlistOut()
