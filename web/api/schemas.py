"""Schemas shared by the API's resources (marshmallow 4; unknown fields are refused).

Request schemas check shapes and types; the domain checks meaning (lengths, phases,
rules) and names the field it refuses, so the two never disagree on a rule.
Response schemas document what the read models return; ids are text (UUIDs).
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

LANGUAGE = validate.Regexp(r"^[a-z]{2,3}$", error="an ISO 639 language code such as fr or nl")
INTERFACE_LANGUAGE = validate.OneOf(["fr", "nl", "en"])


class Strict(Schema):
    """Base of request bodies: unknown fields are an error."""

    class Meta:
        unknown = RAISE


def localised(**kwargs: object) -> fields.Dict:
    """Text per interface language: {"fr": "...", "nl": "..."}."""
    return fields.Dict(
        keys=fields.String(validate=INTERFACE_LANGUAGE),
        values=fields.String(validate=validate.Length(max=5000)),
        **kwargs,  # type: ignore[arg-type]
    )


def text(max_length: int, **kwargs: object) -> fields.String:
    """A free-text field (stored as given, escaped on output by the pages)."""
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)  # type: ignore[arg-type]


class Empty(Strict):
    """A request with no body fields."""


class Created(Schema):
    """The id of what a command created."""

    id = fields.String(required=True, metadata={"description": "UUID"})


class Done(Schema):
    """A command that records and returns nothing more than the new store position."""

    ok = fields.Boolean(required=True)
