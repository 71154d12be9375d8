"""Staff sign-in: e-mail and password for a bearer token."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from application import Actor
from web.api.auth import voisinage
from web.api.schemas import Strict

blp = Blueprint("tokens", __name__, url_prefix="/api/v1", description="Staff sign-in")


class Token(Schema):
    token = fields.String(required=True)
    participant_id = fields.String(required=True)
    role = fields.String(required=True)
    process_id = fields.String(allow_none=True)


def token_answer(actor: Actor) -> dict[str, Any]:
    """A bearer token and who it speaks for."""
    return {
        "token": voisinage().issue_token(actor),
        "participant_id": str(actor.participant_id),
        "role": actor.role.value,
        "process_id": str(actor.process_id) if actor.process_id else None,
    }


class Credentials(Strict):
    email = fields.String(required=True, validate=validate.Length(1, 254))
    password = fields.String(required=True, validate=validate.Length(1, 1000))


@blp.post("/auth/token")
@blp.arguments(Credentials)
@blp.response(201, Token)
def issue_token(body: dict[str, Any]) -> Any:
    """A bearer token for a staff member (12 h). Failed attempts are rate-limited (429)."""
    actor = voisinage().authenticate(body["email"], body["password"])
    return token_answer(actor)
