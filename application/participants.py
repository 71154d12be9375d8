"""Staff accounts, invitations, residents joining, tokens and erasure."""

from __future__ import annotations

import os
import secrets as random_source
from dataclasses import dataclass
from uuid import UUID

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from application.actors import Actor
from application.authorisation import authorise
from application.base import VoisinageBase, retrying
from application.invitations import holder_of, invitation_of, register_holder
from application.keys import KeyErased
from domain.errors import (
    AlreadyExists,
    InvalidInput,
    InvalidInvitation,
    NotAuthenticated,
    NotFound,
)
from domain.identities import staff_id
from domain.invitation import Invitation
from domain.participant import Participant
from domain.process import Process
from domain.roles import STAFF_ROLES, Role
from domain.text import clean_text

#: Invitation codes: 12 characters from an alphabet without look-alikes (~60 bits),
#: printed as XXXX-XXXX-XXXX for people who copy them from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TOKEN_MAX_AGE = {"staff": 12 * 3600, "resident": 365 * 24 * 3600}
MAX_INVITATIONS_PER_CALL = 1000


@dataclass(frozen=True)
class Entry:
    """Who an invitation code signed in, and whether they had joined before."""

    actor: Actor
    returning: bool


def _password_hasher() -> PasswordHasher:
    """argon2id with the library's defaults (RFC 9106 low-memory profile).

    VOISINAGE_TEST_CHEAP_PASSWORD_HASHING=1 selects argon2's cheapest parameters: for
    the test suite only, where every fixture signs staff in (0.9 s a hash and a check
    otherwise). Each hash records its parameters, so a store keeps verifying either way.
    """
    if os.environ.get("VOISINAGE_TEST_CHEAP_PASSWORD_HASHING") == "1":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


_hasher = _password_hasher()


def normalise_email(email: str) -> str:
    """Trimmed and lower-cased."""
    return email.strip().lower()


class ParticipantCommands(VoisinageBase):
    """Who takes part, and how they prove it."""

    # --- staff ----------------------------------------------------------------------------

    def _email_digest(self, email: str) -> str:
        return self.secrets.digest("email", normalise_email(email))

    def register_staff(
        self, actor: Actor, *, email: str, password: str, role: str, name: str
    ) -> UUID:
        """An admin creates a staff account."""
        authorise(actor, "register staff")
        return self._register_staff(email=email, password=password, role=role, name=name)

    def bootstrap_staff(self, *, email: str, password: str, role: str, name: str) -> UUID:
        """Create a staff account with no one signed in: the operator's first admin
        (`voisinage users create`), the demo and tests. Never reachable from the web."""
        return self._register_staff(email=email, password=password, role=role, name=name)

    @retrying
    def _register_staff(self, *, email: str, password: str, role: str, name: str) -> UUID:
        try:
            role_value = Role(role)
        except ValueError:
            raise InvalidInput(f"unknown role '{role}'", field="role") from None
        if role_value not in STAFF_ROLES:
            raise InvalidInput("residents join with an invitation code", field="role")
        email = clean_text(email, field="email", min_length=3, max_length=254)
        if "@" not in email:
            raise InvalidInput("email must be an e-mail address", field="email")
        if not isinstance(password, str) or len(password) < 10:
            raise InvalidInput("password must have at least 10 characters", field="password")
        participant_id = staff_id(self._email_digest(email))
        if self.exists(participant_id):
            raise AlreadyExists("a staff account with this e-mail already exists", field="email")
        self.keys.create(participant_id)
        sealed = self.keys.seal(
            participant_id,
            {
                "name": clean_text(name, field="name", max_length=200),
                "email": normalise_email(email),
                "password_hash": _hasher.hash(password),
            },
        )
        participant = Participant.register(
            participant_id=participant_id, role=role_value, process_id=None, sealed_personal=sealed
        )
        self.save(participant)
        return participant_id

    def authenticate(self, email: str, password: str) -> Actor:
        """Check a staff member's e-mail and password (argon2id); same error for both."""
        refused = NotAuthenticated("unknown e-mail or wrong password")
        try:
            participant = self.participant(staff_id(self._email_digest(email)))
            personal = self.keys.unseal(participant.id, participant.sealed_personal or "")
            _hasher.verify(personal["password_hash"], password)
        except (NotFound, KeyErased, VerificationError, InvalidHashError, ValueError):
            raise refused from None
        if participant.erased:
            raise refused
        return Actor(participant.id, participant.role, None)

    # --- tokens ---------------------------------------------------------------------------

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secrets.secret_key, salt="voisinage-api-token")

    def issue_token(self, actor: Actor) -> str:
        """A signed bearer token for the API."""
        return self._serializer().dumps(
            {
                "p": str(actor.participant_id),
                "r": actor.role.value,
                "x": str(actor.process_id) if actor.process_id else None,
            }
        )

    def actor_from_token(self, token: str) -> Actor:
        """The actor behind a bearer token, or NotAuthenticated."""
        serializer = self._serializer()
        try:
            data = serializer.loads(token, max_age=TOKEN_MAX_AGE["resident"])
            actor = Actor(
                UUID(data["p"]), Role(data["r"]), UUID(data["x"]) if data.get("x") else None
            )
            if actor.is_staff:
                serializer.loads(token, max_age=TOKEN_MAX_AGE["staff"])
        except SignatureExpired:
            raise NotAuthenticated("the token has expired: sign in again") from None
        except (BadSignature, KeyError, ValueError, TypeError):
            raise NotAuthenticated("the token is not valid") from None
        return self.current_actor(actor)

    # --- invitations and joining ----------------------------------------------------------

    @retrying
    def issue_invitations(self, actor: Actor, process_id: UUID, count: int) -> list[str]:
        """Issue `count` single-use invitation codes; only their keyed digests are stored."""
        authorise(actor, "issue invitations")
        process = self.load(process_id, Process, "process")
        process.require("issue invitations")
        if (
            isinstance(count, bool)
            or not isinstance(count, int)
            or not 1 <= count <= (MAX_INVITATIONS_PER_CALL)
        ):
            raise InvalidInput(
                f"count must be between 1 and {MAX_INVITATIONS_PER_CALL}",
                field="count",
                code="rules.range",
                params={"min": 1, "max": MAX_INVITATIONS_PER_CALL},
            )
        codes = [
            "".join(random_source.choice(CODE_ALPHABET) for _ in range(12)) for _ in range(count)
        ]
        invitations = [
            Invitation(
                process_id=process_id,
                code_digest=self.secrets.digest(f"invitation/{process_id}", code),
                issued_by=actor.participant_id,
            )
            for code in codes
        ]
        self.save(*invitations)
        return [f"{c[:4]}-{c[4:8]}-{c[8:]}" for c in codes]

    def invitation_unused(self, process_id: UUID, code: str) -> bool:
        """Whether `code` is one of the process's invitations that nobody joined with yet
        (records nothing; the demo shows its spare codes again with it)."""
        try:
            invitation = invitation_of(self, process_id, code, field="code")
        except InvalidInvitation:
            return False
        return invitation.participant_id is None

    def join(self, process_id: UUID, code: str, name: str | None = None) -> Actor:
        """Sign in with an invitation code (see `enter_with_code`); the actor only."""
        return self.enter_with_code(process_id, code, name).actor

    @retrying
    def enter_with_code(self, process_id: UUID, code: str, name: str | None = None) -> Entry:
        """Sign in with the code printed on an invitation card.

        The first time, the code registers one new resident (and `name`, if given);
        afterwards the same code signs the same resident in again, in any phase, and
        records nothing: a resident who signed out or changed phone keeps their vote,
        receipt and ideas. One participant per code, always.
        """
        process = self.load(process_id, Process, "process")
        invitation = invitation_of(self, process_id, code, field="code")
        if invitation.participant_id is not None:
            returning = holder_of(self, invitation, field="code")
            return Entry(Actor(returning, Role.RESIDENT, process_id), returning=True)
        process.require("join")
        participant = register_holder(self, invitation, name)
        self.save(invitation, participant)
        return Entry(Actor(participant.id, Role.RESIDENT, process_id), returning=False)
