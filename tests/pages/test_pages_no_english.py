"""No French or Dutch page shows English: neither a sentence of the catalogue's source
language (a msgid left untranslated on the page) nor the English wording of a domain
refusal.

Every page reachable with the demo is rendered through the Flask test client, for each
role (a visitor, a resident of each demo process, each staff role), by following the
page's own links from where that role starts (at most two pages of each shape, ids and
query values aside), and the refusals a form can meet are submitted. The text a person
reads (and what a screen reader or a confirmation dialog says) is compared with every
msgid whose French or Dutch differs from it, and with the English of every refusal the
domain and the application can raise; strings of fewer than three words or sixteen
characters are left out (names, codes, units).
"""

from __future__ import annotations

import ast
import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from pages_support import Site, act_as, csrf_of, sign_in

from domain.roles import Role

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "nl")
STAFF = (Role.FACILITATOR, Role.INSTITUTION, Role.AUDITOR, Role.ADMIN)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
#: What a person reads beside the text: labels for screen readers, hints, dialogs.
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-confirm")
#: Links not to follow: files to download, the language switch, leaving.
NOT_PAGES = re.compile(
    r"^/(static|language|api)/|\.(json|csv|pdf|pb|txt|png|svg)$|/checkpoint$|/sign-out|"
    r"/export|/download|/bundle"
)
PER_SHAPE = 2
MIN_CHARS, MIN_WORDS = 16, 3
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _pieces(english: str) -> Iterator[str]:
    """The parts of an English string a page could show as they are: between its
    placeholders, at least three words and sixteen characters."""
    for piece in PLACEHOLDER.split(english):
        piece = _words(piece).strip(" :;,.(")
        if len(piece) >= MIN_CHARS and len(piece.split()) >= MIN_WORDS:
            yield piece


def _catalogue(language: str) -> dict[str, str]:
    """Each showable piece of a msgid that `language` translates differently -> msgid."""
    path = ROOT / "web/translations" / language / "LC_MESSAGES/messages.po"
    with path.open("rb") as file:
        catalog = read_po(file, locale=language)
    pieces: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(s == i for s, i in zip(strings, ids, strict=False)):
            continue  # the same in both languages (a name, a unit)
        translated = " ".join(_words(s) for s in strings)
        for english in ids:
            for piece in _pieces(english):
                if piece not in translated:
                    pieces[piece] = english
    return pieces


def _domain_english() -> dict[str, str]:
    """The literal parts of every refusal raised in domain/ and application/."""
    pieces: dict[str, str] = {}
    for folder in ("domain", "application"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                    continue
                if not node.exc.args:
                    continue
                first = node.exc.args[0]
                parts: Iterable[ast.expr] = (
                    first.values if isinstance(first, ast.JoinedStr) else [first]
                )
                for part in parts:
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        for piece in _pieces(part.value):
                            pieces[piece] = f"{path.relative_to(ROOT)}: {part.value}"
    return pieces


class _Reader(HTMLParser):
    """The text of a page as people read it, and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.text.append(f" {values[name]} ")
        if tag in ("input", "button") and values.get("type") in ("submit", "button"):
            self.text.append(f" {values.get('value') or ''} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1
        if tag in ("p", "li", "div", "td", "th", "h1", "h2", "h3", "label", "option", "dt"):
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def _shape(url: str) -> str:
    """The page's kind: its path with ids left out (the process's kept: each process is in
    its own phase) and its query's names."""
    parts = urlsplit(url)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    process, rest = "", parts.path
    found = re.match(r"^/p/[0-9a-f-]{36}", parts.path)
    if found:
        process, rest = found.group(0), parts.path[found.end() :]
    return process + UUID.sub("{id}", rest) + "?" + "&".join(keys)


def _crawl(client: FlaskClient, starts: list[str], limit: int = 160) -> dict[str, str]:
    """Visible text of each page reachable from `starts` by following links."""
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue = deque(starts)
    texts: dict[str, str] = {}
    while queue and len(texts) < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or NOT_PAGES.search(path) or shapes[_shape(url)] >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[_shape(url)] += 1
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.append(urljoin(url, response.location))
            continue
        if "text/html" not in (response.content_type or ""):
            continue
        reader = _read(response.get_data(as_text=True))
        texts[url] = _words(" ".join(reader.text))
        for link in reader.links:
            target = urljoin(url, link.split("#")[0])
            parts = urlsplit(target)
            if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return texts


#: The research demo and an open questionnaire, added once to the module's demo.
RESEARCH: dict[str, str] = {}


@pytest.fixture(scope="module")
def site(site: Site) -> Site:
    """The demo with its research record, a two-wave questionnaire (results, free texts)
    and a questionnaire with an open wave, so that their pages and refusals are read."""
    from app_support import settle

    from application.demo_research import load_research_demo

    app, fac = site.voisinage, site.demo.staff[Role.FACILITATOR]
    RESEARCH["closed"] = str(load_research_demo(app, site.demo).questionnaire_id)
    qid = app.create_questionnaire(
        fac,
        site.pid,
        title={"fr": "Le quartier demain", "nl": "De wijk morgen"},
        intro={"fr": "Deux questions.", "nl": "Twee vragen."},
        audience=["residents"],
        anonymous=False,
    )
    app.add_question(fac, qid, kind="scale5", text={"fr": "Confiance ?", "nl": "Vertrouwen?"})
    app.add_question(fac, qid, kind="text", text={"fr": "Un mot ?", "nl": "Een woord?"})
    app.open_wave(fac, qid, label={"fr": "Avant", "nl": "Voor"}, sent_to=40)
    RESEARCH["open"] = str(qid)
    building = app.create_questionnaire(
        fac,
        site.pid,
        title={"fr": "En chantier", "nl": "In opbouw"},
        intro={"fr": "Pas encore envoyé.", "nl": "Nog niet verstuurd."},
        audience=["residents"],
        anonymous=True,
    )
    RESEARCH["building"] = str(building)
    settle(site.app)
    return site


def _research_pages(site: Site) -> list[str]:
    """Where the research record and the questionnaires are read, built and answered."""
    pid = site.pid
    return [
        f"/p/{pid}/research",
        f"/p/{pid}/questionnaires",
        *(f"/q/{RESEARCH[k]}" for k in ("closed", "open")),
        *(f"/q/{RESEARCH[k]}/results" for k in ("closed", "open")),
        *(f"/q/{RESEARCH[k]}/build" for k in ("open", "building")),
    ]


def _research_refusals(site: Site, refused: object, role: Role) -> None:
    """The questionnaire, answer and research-record forms' refusals."""
    assert callable(refused)
    pid, opened, building = site.pid, RESEARCH["open"], RESEARCH["building"]
    if role is Role.RESIDENT:
        for answers in ({"q1": "9"}, {"q1": "deux"}, {}, {"q2": "x" * 5001}):
            refused(f"/q/{opened}", f"/q/{opened}/answers", {"wave": "1", **answers})
        refused(f"/q/{opened}", f"/q/{opened}/answers", {"wave": "2", "q1": "3"})
        return
    research = f"/p/{pid}/research"
    for method in (
        {"method": "nonsense", "description_fr": "Des entretiens", "start": "2026-01-01"},
        {"method": "interviews", "description_fr": "Des entretiens", "start": "hier"},
        {
            "method": "interviews",
            "description_fr": "Des entretiens",
            "start": "2026-05-01",
            "end": "2026-04-01",
        },
    ):
        refused(research, f"{research}/methods", {"end": "2026-02-01", **method})
    refused(research, f"{research}/indicators", {"name_fr": "Confiance", "direction": "up"})
    refused(research, f"{research}/effects", {"axis_id": str(site.demo.axis_ids[0])})
    refused(research, f"{research}/effects", {"effects_people_fr": "Se sentir écouté"})
    refused(f"/p/{pid}/questionnaires", f"/p/{pid}/questionnaires", {"title_fr": "Un titre"})
    build = f"/q/{building}/build"
    refused(build, f"{build}/questions", {"kind": "dice", "text_fr": "Combien ?"})
    refused(
        build, f"{build}/questions", {"kind": "single", "text_fr": "Oui ?", "options_fr": "Oui"}
    )
    refused(build, f"{build}/waves", {"label_fr": "Avant"})
    refused(
        f"/q/{opened}/build", f"/q/{opened}/build/questions", {"kind": "text", "text_fr": "Et ?"}
    )
    refused(f"/q/{opened}/build", f"/q/{opened}/build/waves", {"label_fr": "Après"})
    refused(f"/q/{opened}/build", f"/q/{opened}/build/waves", {"action": "close", "wave": "7"})
    refused(
        f"/q/{opened}/results",
        f"/q/{opened}/contributions",
        {"response_id": "nope", "question_id": "q2"},
    )


def _refusals(site: Site, client: FlaskClient, role: Role) -> dict[str, str]:
    """Pages after refused forms: each form's own field error and the wrong-phase ones."""
    texts: dict[str, str] = {}
    main = site.pid

    def refused(page_url: str, action: str, data: dict[str, str]) -> None:
        page = client.get(page_url)
        answer = client.post(action, data={**data, "csrf_token": csrf_of(page)})
        if answer.status_code in (302, 303):
            answer = client.get(answer.location)
        texts[f"POST {action} #{len(texts)}"] = _words(
            " ".join(_read(answer.get_data(as_text=True)).text)
        )

    if role is Role.FACILITATOR:
        refused("/processes/new", "/processes/new", {"title_fr": " ", "method": "approval"})
        refused(
            "/processes/new",
            "/processes/new",
            {"title_fr": "Un titre", "method": "dots", "shortlist_size": "3"},
        )
        refused(
            "/processes/new",
            "/processes/new",
            {"title_fr": "Un titre", "method": "approval", "shortlist_size": "0"},
        )
        cid, axis = site.demo.contribution_ids[0], site.demo.axis_ids[0]
        refused(
            f"/p/{main}/moderation",
            f"/p/{main}/contributions/{cid}/moderate",
            {"action": "tag", "axis_id": str(axis)},
        )
        refused(f"/p/{main}/facilitate", f"/p/{main}/phase", {"to": "contributions"})
        contributions = site.demo.processes["contributions"]
        wid = contributions.open_workshop_id
        refused(
            f"/p/{contributions.process_id}/workshops/{wid}/capture",
            f"/p/{contributions.process_id}/workshops/{wid}/capture",
            {"kind": "idea", "text": " ", "language": "fr"},
        )
        refused(
            f"/p/{contributions.process_id}/workshops/{wid}/capture",
            f"/p/{contributions.process_id}/workshops/{wid}/capture",
            {"kind": "idea", "text": "Un banc", "language": "fr", "resident_code": "ZZZZ"},
        )
    if role is Role.RESIDENT:
        refused(f"/p/{main}/ballot", f"/p/{main}/ballot", {})
    if role in (Role.FACILITATOR, Role.RESIDENT):
        _research_refusals(site, refused, role)
    return texts


@pytest.fixture(scope="module")
def english() -> dict[str, dict[str, str]]:
    domain = _domain_english()
    return {language: {**_catalogue(language), **domain} for language in LANGUAGES}


def _role_pages(site: Site, language: str) -> Iterator[tuple[str, dict[str, str]]]:
    visitor = site.client(language)
    starts = ["/", "/sign-in", *_research_pages(site)]
    starts += [f"/p/{p.process_id}" for p in site.demo.processes.values()]
    yield "visitor", _crawl(visitor, starts)
    for phase, process in site.demo.processes.items():
        if not process.residents:
            continue
        client = site.client(language)
        act_as(client, process.residents[0])
        starts = [f"/p/{process.process_id}"]
        if process.process_id == site.pid:
            starts += _research_pages(site)
        pages = _crawl(client, starts, limit=60)
        if phase == "voting":
            pages.update(_refusals(site, client, Role.RESIDENT))
        yield f"resident ({phase})", pages
    for role in STAFF:
        client = site.client(language)
        sign_in(client, role)
        starts = ["/", *_research_pages(site)]
        pages = _crawl(
            client, starts + [f"/p/{p.process_id}" for p in site.demo.processes.values()]
        )
        pages.update(_refusals(site, client, role))
        yield role.value, pages


def _shown(pieces: dict[str, str], text: str) -> Iterator[str]:
    """The pieces that `text` shows as whole words."""
    for piece in pieces:
        if piece in text and re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text):
            yield piece


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_french_or_dutch_page_shows_english(site, english, language):
    pieces = english[language]
    assert len(pieces) > 300  # the catalogue and the refusals were read
    found: dict[str, set[str]] = {}
    visited = 0
    for who, pages in _role_pages(site, language):
        visited += len(pages)
        for url, text in pages.items():
            for piece in _shown(pieces, text):
                found.setdefault(f"{piece!r} ({pieces[piece]})", set()).add(f"{who}: {url}")
    print(f"[{language}] {visited} page states read")
    assert visited > 300
    assert not found, "\n".join(f"{k}\n    {sorted(v)[:3]}" for k, v in sorted(found.items()))


def test_the_same_reading_finds_the_english_of_english_pages(site, english):
    """The check can fail: on English pages it finds the catalogue's sentences, and the
    domain's own wording where staff see it as a detail."""
    pieces = english["fr"]
    client = site.client("en")
    sign_in(client, Role.FACILITATOR)
    pages = _crawl(client, ["/"], limit=20)
    pages.update(_refusals(site, client, Role.FACILITATOR))
    found = {piece for text in pages.values() for piece in _shown(pieces, text)}
    assert len(found) > 50
    assert "shortlist_size must be from 1 to 100" in found  # a refusal's detail
