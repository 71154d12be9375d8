"""The auditor's event log: when and what in the reader's language, filters by process and
by kind that combine and survive paging, exports (JSON, CSV, PROV-JSON) that work in the
signed-in browser, and ballots and participants still shown without their ids."""

from __future__ import annotations

import csv
import importlib
import inspect
import io
import json
import pkgutil
import re
from datetime import datetime
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from eventsourcing.domain import Aggregate, AggregateCreated
from eventsourcing.utils import get_topic
from flask_babel import force_locale
from pages_support import Site, join, page_text, sign_in

import domain
from domain.roles import Role
from projections.queries.audit import event_kind
from projections.tables import audit_chain
from web.pages.event_names import EVENT_NAMES
from web.pages.presentation import moment

PHASE_OPENED = "domain.process:Process.PhaseOpened"
BALLOT = "domain.ballot:Ballot"
ROW = re.compile(r"<tr>\s*<td class=\"num\"[^>]*>(\d+)</td>(.*?)</tr>", re.S)
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def domain_event_topics() -> set[str]:
    """The topic of every event class an aggregate of the domain records."""
    topics = set()
    for module_info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"domain.{module_info.name}")
        for aggregate in vars(module).values():
            if not (inspect.isclass(aggregate) and issubclass(aggregate, Aggregate)):
                continue
            if aggregate is Aggregate or aggregate.__module__ != module.__name__:
                continue
            nested = [
                value
                for value in vars(aggregate).values()
                if inspect.isclass(value) and issubclass(value, Aggregate.Event)
            ]
            # the classes recorded are the leaves (Event is their base), and the base
            # Created only when no event of its own creates the aggregate
            leaves = [c for c in nested if not any(o is not c and issubclass(o, c) for o in nested)]
            if len([c for c in leaves if issubclass(c, AggregateCreated)]) > 1:
                leaves.remove(aggregate.Created)
            topics.update(get_topic(c) for c in leaves)
    return topics


def test_every_event_of_the_domain_has_a_plain_name() -> None:
    topics = domain_event_topics()
    assert "domain.process:Process.PhaseOpened" in topics and len(topics) > 40
    kinds = {event_kind(t) for t in topics}
    assert kinds - set(EVENT_NAMES) == set(), "name these events in web/pages/event_names.py"
    assert set(EVENT_NAMES) - kinds == set(), "these names are of no event of the domain"


def auditor(site: Site, language: str) -> Any:
    client = site.client(language)
    sign_in(client, Role.AUDITOR)
    return client


def rows(html: str) -> list[tuple[int, str]]:
    return [(int(p), cells) for p, cells in ROW.findall(html)]


def chain(site: Site, *where: Any) -> list[dict[str, Any]]:
    """The audit chain's rows as stored (with every id), for checking the pages."""
    engine = site.app.extensions["views"].engine
    with engine.connect() as connection:
        query = sa.select(audit_chain).where(*where).order_by(audit_chain.c.position)
        return [dict(r) for r in connection.execute(query).mappings()]


def test_rows_say_when_and_what_in_french_and_dutch(site: Site) -> None:
    for language, phase_opened, ballot in (
        ("fr", "Une étape du processus a commencé", "Un bulletin a été déposé ou modifié"),
        ("nl", "Een fase van het traject is begonnen", "Er werd een stembiljet uitgebracht"),
    ):
        client = auditor(site, language)
        html = unescape(page_text(client.get(f"/audit/events?kind={PHASE_OPENED}")))
        found = rows(html)
        assert found and all(phase_opened in cells for _, cells in found), html[:3000]
        times = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', html)
        assert len(times) == len(found)
        with site.app.test_request_context(), force_locale(language):
            assert all(shown == moment(iso) for iso, shown in times)
        assert not ISO.search(re.sub(r'datetime="[^"]+"', "", html))  # no ISO text shown
        # the hash: short in the row, in full inside its details
        first = chain(site, audit_chain.c.position == found[0][0])[0]
        assert f"{first['hash'][:12]}…</summary>" in found[0][1]
        assert f'<span class="mono">{first["hash"]}</span>' in found[0][1]
        ballots = unescape(page_text(client.get(f"/audit/events?kind={BALLOT}")))
        assert ballot in ballots and len(rows(ballots)) == 50
    french = datetime.fromisoformat(times[0][0])
    with site.app.test_request_context(), force_locale("fr"):
        assert str(french.year) in moment(times[0][0])


def test_filters_narrow_the_rows_and_combine(site: Site) -> None:
    client = auditor(site, "en")
    everything = json.loads(client.get("/audit/events.json").data)["events"]
    by_process: dict[str, set[int]] = {}
    for demo_process in site.demo.processes.values():
        pid = str(demo_process.process_id)
        listed = json.loads(client.get(f"/audit/events.json?process={pid}").data)["events"]
        by_process[pid] = {e["position"] for e in listed}
        assert listed and len(listed) < len(everything)
        assert not [e for e in listed if e["topic"].startswith(("domain.ballot", "domain.part"))]
        assert {"A process was started"} <= {e["event"] for e in listed}
        assert any(e["item"] == pid for e in listed)
        # both filters: exactly this process's stage openings
        both = json.loads(client.get(f"/audit/events.json?process={pid}&kind={PHASE_OPENED}").data)
        expected = chain(
            site, audit_chain.c.originator_id == pid, audit_chain.c.topic == PHASE_OPENED
        )
        assert [e["position"] for e in both["events"]] == [r["position"] for r in expected]
        assert expected and both["filters"] == {"process": pid, "kind": PHASE_OPENED}
        page = page_text(client.get(f"/audit/events?process={pid}&kind={PHASE_OPENED}"))
        assert [p for p, _ in rows(page)] == [r["position"] for r in expected]
        assert "never listed by process" in page
    sets = list(by_process.values())
    assert len(sets) >= 2 and all(a.isdisjoint(b) for a in sets for b in sets if a is not b)
    kinds = json.loads(client.get(f"/audit/events.json?kind={PHASE_OPENED}").data)["events"]
    assert {e["topic"] for e in kinds} == {PHASE_OPENED}
    assert len(kinds) == len(chain(site, audit_chain.c.topic == PHASE_OPENED))
    for bad in ("process=nope", "kind=domain.ballot:Ballot.Cast", "kind=Nothing"):
        assert client.get(f"/audit/events?{bad}").status_code == 400
        assert client.get(f"/audit/events.csv?{bad}").status_code == 400


def test_paging_keeps_the_filters_both_ways(site: Site) -> None:
    client = auditor(site, "fr")
    wanted = [r["position"] for r in chain(site, audit_chain.c.topic.startswith("domain.ballot"))]
    assert len(wanted) > 50
    url, pages, seen = f"/audit/events?kind={BALLOT}", [], []
    while url:
        html = page_text(client.get(url))
        pages.append([p for p, _ in rows(html)])
        seen += pages[-1]
        later = re.search(r'href="([^"]+)">Événements suivants', html)
        url = unescape(later.group(1)) if later else ""
        if url:
            assert parse_qs(urlsplit(url).query)["kind"] == [BALLOT]
    assert seen == wanted and [len(p) for p in pages[:-1]] == [50] * (len(pages) - 1)
    earlier = re.search(r'href="([^"]+)">Événements précédents', html)
    assert earlier, "the last page leads back"
    back = unescape(earlier.group(1))
    assert parse_qs(urlsplit(back).query)["kind"] == [BALLOT]
    assert [p for p, _ in rows(page_text(client.get(back)))] == pages[-2]
    first = page_text(client.get(f"/audit/events?kind={BALLOT}"))
    assert "Événements précédents" not in first


def test_csv_is_the_json_and_prov_names_the_process(site: Site) -> None:
    client = auditor(site, "nl")
    query = f"?kind={PHASE_OPENED}"
    answer = client.get(f"/audit/events.csv{query}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8"))))
    document = json.loads(client.get(f"/audit/events.json{query}").data)
    events = document["events"]
    header = answer.data.decode("utf-8").splitlines()[0]
    assert header == "position,recorded_at,event,topic,item,version,hash"
    assert len(table) == len(events) > 0
    for line, event in zip(table, events, strict=True):
        assert {k: str(v) for k, v in event.items()} == line
    assert events[0]["event"] == "Een fase van het traject is begonnen"
    everything = list(csv.DictReader(io.StringIO(client.get("/audit/events.csv").data.decode())))
    assert len(everything) == len(chain(site))
    prov = client.get(f"/audit/processes/{site.pid}/trail.prov.json")
    assert prov.status_code == 200 and "attachment" in prov.headers["Content-Disposition"]
    trail = json.loads(prov.data)
    assert "prefix" in trail and str(site.pid) in json.dumps(trail)
    assert client.get(f"/audit/processes/{site.pid}/trail.prov.json").data == prov.data
    page = page_text(client.get(f"/audit/events?process={site.pid}"))
    assert f"/audit/processes/{site.pid}/trail.prov.json" in page
    assert "/audit/events.csv?process=" in page and "/audit/bundle" in page


EXPORTS = ("/audit/events", "/audit/events.json", "/audit/events.csv", "/audit/bundle")


@pytest.mark.parametrize("who", ["resident", "facilitator", "institution", "anonymous"])
def test_only_auditors_and_admins_export(site: Site, who: str) -> None:
    client = site.client("fr")
    if who == "resident":
        join(client, site)
    elif who != "anonymous":
        sign_in(client, Role.FACILITATOR if who == "facilitator" else Role.INSTITUTION)
    for path in (*EXPORTS, f"/audit/processes/{site.pid}/trail.prov.json"):
        answer = client.get(path)
        if who == "anonymous":
            assert answer.status_code == 303 and "/sign-in" in answer.headers["Location"], path
        else:
            assert answer.status_code == 403, (who, path)
    admin = site.client("fr")
    sign_in(admin, Role.ADMIN)
    assert admin.get(f"/audit/processes/{site.pid}/trail.prov.json").status_code == 200
    assert admin.get("/audit/events.csv").status_code == 200


def test_ballots_and_participants_keep_no_ids(site: Site) -> None:
    hidden = chain(
        site,
        audit_chain.c.topic.startswith("domain.ballot")
        | audit_chain.c.topic.startswith("domain.participant"),
    )
    ids = {r["originator_id"] for r in hidden}
    assert len(ids) > 60
    client = auditor(site, "fr")
    texts = [
        client.get("/audit/events.json").data.decode(),
        client.get("/audit/events.csv").data.decode(),
    ]
    after = 0
    while after is not None:
        html = page_text(client.get(f"/audit/events?after={after}"))
        texts.append(html)
        later = re.search(r'after=(\d+)">Événements suivants', html)
        after = int(later.group(1)) if later else None
    for text in texts:
        assert not [i for i in ids if i in text or f"{i[:8]}…" in text]
    events = json.loads(texts[0])["events"]
    shown = [e for e in events if e["topic"].startswith(("domain.ballot", "domain.participant"))]
    assert len(shown) == len(hidden)
    assert all(e["item"] is None and e["version"] is None for e in shown)
    assert {e["topic"] for e in shown if "ballot" in e["topic"]} == {BALLOT}
    assert {e["event"] for e in shown} == {
        "Un bulletin a été déposé ou modifié",
        "La fiche d'un participant a changé",
    }
