"""Organisations as participants: registering them, naming their representatives, and
reading them. Their contact person's data is sealed like any personal data and never
returned (an admin erases it: crypto-shredding); what representatives give in an
organisation's name is recorded through the workshop and questionnaire routes
(``on_behalf_of_organisation``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from application import Actor
from application.authorisation import may
from web.api.auth import optional_actor, requires, views, voisinage
from web.api.reading import one
from web.api.schemas import Created, Done, Strict, text

blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1",
    description="Organisations taking part in a process, and their representatives",
)


class Contact(Strict):
    name = text(200, metadata={"description": "the contact person (sealed personal data)"})
    email = fields.Email(validate=validate.Length(max=200))
    phone = text(200)


class NewOrganisation(Strict):
    name = text(200, required=True)
    sector = text(100, required=True, metadata={"description": "culture, housing, health..."})
    commune = text(100, required=True, metadata={"description": "the Brussels commune"})
    contact = fields.Nested(
        Contact,
        load_default=None,
        allow_none=True,
        metadata={"description": "sealed with the organisation's own key, never returned"},
    )


class NewRepresentative(Strict):
    participant_id = fields.UUID(
        load_default=None, metadata={"description": "a resident of the process"}
    )
    code = fields.String(
        load_default=None,
        validate=validate.Length(1, 40),
        metadata={"description": "or the code on their invitation card"},
    )


class ContactErasure(Strict):
    confirm = fields.Boolean(
        required=True,
        metadata={"description": "must be true: the contact person's data is destroyed for good"},
    )


class OrganisationOut(Schema):
    organisation_id = fields.String(required=True)
    process_id = fields.String(required=True)
    name = fields.String()
    sector = fields.String()
    commune = fields.String()
    representative_count = fields.Integer()
    contact_status = fields.String(
        allow_none=True,
        metadata={"description": "the contact person: none, sealed or erased (never its data)"},
    )
    registered_at = fields.String()
    representatives = fields.List(
        fields.String(),
        metadata={"description": "pseudonymous participant ids (facilitators only)"},
    )


def _private() -> bool:
    return may(optional_actor(), "register an organisation")


@blp.post("/processes/<uuid:pid>/organisations")
@requires("register an organisation")
@blp.arguments(NewOrganisation)
@blp.response(201, Created)
def register_organisation(body: dict[str, Any], pid: UUID, *, actor: Actor) -> Any:
    """Register an organisation (name, sector, commune; the contact person is sealed)."""
    contact = {k: v for k, v in (body["contact"] or {}).items() if v is not None}
    organisation_id = voisinage().register_organisation(
        actor,
        pid,
        name=body["name"],
        sector=body["sector"],
        commune=body["commune"],
        contact=contact or None,
    )
    return {"id": str(organisation_id)}


@blp.get("/processes/<uuid:pid>/organisations")
@blp.response(200, OrganisationOut(many=True))
def list_organisations(pid: UUID) -> Any:
    """The organisations of a process, by name (representatives' ids for facilitators)."""
    one(lambda: views().process(pid), pid, "process")
    return views().organisations(pid, include_private=_private())


@blp.get("/organisations/<uuid:oid>")
@blp.response(200, OrganisationOut)
def show_organisation(oid: UUID) -> Any:
    """One organisation: its public fields and how many represent it."""
    private = _private()
    return one(lambda: views().organisation(oid, include_private=private), oid, "organisation")


@blp.post("/organisations/<uuid:oid>/representatives")
@requires("register an organisation")
@blp.arguments(NewRepresentative)
@blp.response(201, Created)
def add_representative(body: dict[str, Any], oid: UUID, *, actor: Actor) -> Any:
    """Name a resident of the process (by id or invitation code) as a representative:
    they may then answer and contribute in the organisation's name."""
    participant = voisinage().add_representative(
        actor, oid, body["participant_id"], code=body["code"]
    )
    return {"id": str(participant)}


@blp.post("/organisations/<uuid:oid>/contact/erasure")
@requires("erase an organisation's contact")
@blp.arguments(ContactErasure)
@blp.response(200, Done)
def erase_contact(body: dict[str, Any], oid: UUID, *, actor: Actor) -> Any:
    """Erase the organisation's contact person (crypto-shredding) after ``confirm: true``;
    the organisation and what was given in its name stay."""
    voisinage().erase_organisation_contact(actor, oid, confirm=body["confirm"])
    return {"ok": True}
