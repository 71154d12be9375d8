"""Helpers of the page tests: the demo loaded through the application's commands,
signing in and reading CSRF tokens (the app itself: app_support.build_app on a SQLite
file)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from app_support import settle
from builders import World
from flask import Flask
from flask.testing import FlaskClient

from application import Actor, Voisinage
from application.demo import DEMO_PASSWORD, DEMO_STAFF, Demo
from domain.roles import Role

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Site:
    """An app with the demo process, and invitation codes not used yet."""

    app: Flask
    demo: Demo
    codes: list[str] = field(default_factory=list)

    @property
    def pid(self) -> UUID:
        return self.demo.process_id

    @property
    def voisinage(self) -> Voisinage:
        return self.app.extensions["voisinage"]

    @property
    def world(self) -> World:
        """The tests' process builder (tests/builders.py), acting as the demo's staff."""
        return World(self.voisinage, staff=self.demo.staff)

    def client(self, language: str = "en") -> FlaskClient:
        """A test client whose browser prefers `language`."""
        client = self.app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    def code(self) -> str:
        """An invitation code nobody used yet (more are issued when needed)."""
        if not self.codes:
            self.codes = self.voisinage.issue_invitations(
                self.demo.staff[Role.FACILITATOR], self.pid, 10
            )
        return self.codes.pop()


def csrf_of(response: Any) -> str:
    """The CSRF token of the first form of a page."""
    match = CSRF.search(response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def page_text(response: Any) -> str:
    """The page's HTML as text."""
    return str(response.get_data(as_text=True))


def sign_in(client: FlaskClient, role: Role) -> None:
    """Sign a demo staff member in through the form."""
    form = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": DEMO_STAFF[role], "password": DEMO_PASSWORD, "csrf_token": csrf_of(form)},
    )
    assert response.status_code == 303, page_text(response)


def join(client: FlaskClient, site: Site, name: str = "") -> str:
    """Join the demo process with a spare code through the form; returns the code."""
    code = site.code()
    form = client.get(f"/p/{site.pid}/join")
    response = client.post(
        f"/p/{site.pid}/join", data={"code": code, "name": name, "csrf_token": csrf_of(form)}
    )
    assert response.status_code == 303, page_text(response)
    return code


def act_as(client: FlaskClient, actor: Actor) -> None:
    """Put an existing participant in the client's session (e.g. a demo resident)."""
    with client.session_transaction() as session:
        session["actor"] = {
            "p": str(actor.participant_id),
            "r": actor.role.value,
            "x": str(actor.process_id) if actor.process_id else None,
        }


def open_workshop(site: Site) -> tuple[UUID, UUID]:
    """A second process in the contributions phase with an open workshop: (pid, wid)."""
    world = site.world
    pid = world.process(title={"fr": "Atelier test", "nl": "Testworkshop", "en": "Test workshop"})
    site.voisinage.add_axis(
        world.facilitator, pid, {"fr": "Propreté", "nl": "Netheid", "en": "Cleanliness"}
    )
    world.advance(pid, "contributions")
    wid = world.workshop(pid, place="Salle")
    settle(site.app)
    return pid, wid
