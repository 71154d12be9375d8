"""Sessions that end: an opaque cookie, revocation on sign-out, idle expiry for staff."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import time

import sqlalchemy as sa
from pages_support import csrf_of, join, page_text, sign_in

from domain.roles import Role
from web.server_sessions import web_sessions


def cookie_of(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def decodings(value: str) -> list[bytes]:
    """Whatever a curious person could make of the cookie's bytes."""
    out = [value.encode()]
    for part in value.replace(".", " ").split():
        padded = part + "=" * (-len(part) % 4)
        with contextlib.suppress(ValueError):
            out.append(base64.urlsafe_b64decode(padded))
    return out


def test_cookie_holds_only_an_opaque_id(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{site.pid}/facilitate")
    assert page.status_code == 200
    csrf = csrf_of(page)
    facilitator = site.demo.staff[Role.FACILITATOR]
    value = cookie_of(client)
    secrets = [str(facilitator.participant_id), facilitator.participant_id.hex, "facilitator", csrf]
    readable = [s for s in secrets for d in decodings(value) if s.encode() in d]
    assert not readable, readable
    assert len(value) == 43  # 256 random bits, base64url, nothing else


def test_sign_out_ends_the_session_and_a_replay_records_nothing(site):
    client = site.client()
    sign_in(client, Role.FACILITATOR)
    page = client.get(f"/p/{site.pid}/facilitate")
    assert page.status_code == 200
    captured, csrf = cookie_of(client), csrf_of(page)
    out = client.post("/sign-out", data={"csrf_token": csrf})
    assert out.status_code == 303

    replay = site.client()
    replay.set_cookie("session", captured)
    before = site.voisinage.head_position()
    again = replay.get(f"/p/{site.pid}/facilitate")
    assert again.status_code == 303 and "/sign-in" in again.headers["Location"]
    issued = replay.post(f"/p/{site.pid}/invitations", data={"count": "2", "csrf_token": csrf})
    assert issued.status_code in (303, 400, 403)
    assert "/facilitate" not in issued.headers.get("Location", "")
    assert site.voisinage.head_position() == before, "the replay recorded events"
    # the stored row is gone: nothing on the server answers to the old id
    engine = site.app.extensions["views"].engine
    with engine.connect() as connection:
        stored = connection.execute(
            sa.select(sa.func.count())
            .select_from(web_sessions)
            .where(web_sessions.c.digest == hashlib.sha256(captured.encode()).hexdigest())
        ).scalar()
    assert stored == 0


def test_a_new_sign_in_gets_a_new_id(site):
    client = site.client()
    client.get("/sign-in")
    anonymous = cookie_of(client)
    sign_in(client, Role.AUDITOR)
    assert cookie_of(client) != anonymous
    stale = site.client()
    stale.set_cookie("session", anonymous)
    assert stale.get("/audit/events").status_code == 303  # the pre-sign-in id opens nothing


def _age(site, cookie: str, seconds: float) -> None:
    engine = site.app.extensions["views"].engine
    with engine.begin() as connection:
        connection.execute(
            web_sessions.update()
            .where(web_sessions.c.digest == hashlib.sha256(cookie.encode()).hexdigest())
            .values(last_seen=time.time() - seconds)
        )


def test_staff_sessions_expire_when_idle_residents_stay(site):
    staff = site.client()
    sign_in(staff, Role.FACILITATOR)
    assert staff.get(f"/p/{site.pid}/facilitate").status_code == 200
    _age(site, cookie_of(staff), 29 * 60)
    assert staff.get(f"/p/{site.pid}/facilitate").status_code == 200  # 29 min: still on
    _age(site, cookie_of(staff), 31 * 60)
    expired = staff.get(f"/p/{site.pid}/facilitate")
    assert expired.status_code == 303 and "/sign-in" in expired.headers["Location"]

    resident = site.client()
    join(resident, site)
    _age(site, cookie_of(resident), 31 * 60)
    page = resident.get(f"/p/{site.pid}/receipt")
    assert page.status_code == 200, page_text(page)
