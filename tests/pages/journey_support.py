"""A journey through the pages in Chromium: every page state it reaches is saved as a
screenshot in test-artifacts/journeys/ and checked by axe-core (every impact). The
viewport alternates between a phone (390 px, where nothing may run off the right) and
a desktop (1280 px) from one state to the next, starting with the phone or the desktop
as `first` says: two journeys started differently see every state at both widths.

Without JavaScript axe-core cannot run in the page, so the same HTML, its scripts taken
out (what a browser without JavaScript shows), is loaded into a page of the same origin
that runs axe-core."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from browser_support import ARTIFACTS, DESKTOP, PHONE, violations

SHOTS = ARTIFACTS / "journeys"
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


@dataclass
class Journey:
    """One role's walk through the pages, in one language, with or without JavaScript."""

    page: Any
    name: str
    language: str
    javascript: bool
    checker: Any = None  # a JavaScript page for axe-core when `page` has none
    first: int = PHONE
    states: int = 0
    found: dict[str, list[str]] = field(default_factory=dict)

    @property
    def mode(self) -> str:
        return "js" if self.javascript else "no-js"

    def state(self, label: str) -> None:
        """Look at the page as it is now: both widths, screenshots, axe-core."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.states += 1
        stem = f"{self.name}-{self.language}-{self.mode}-{self.states:02d}-{label}"
        other = DESKTOP if self.first == PHONE else PHONE
        width = self.first if self.states % 2 else other
        self.page.set_viewport_size({"width": width, "height": 844 if width == PHONE else 900})
        self.page.screenshot(path=str(SHOTS / f"{stem}-{width}.png"), full_page=True)
        if width == PHONE:
            overflow = self.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                self.found.setdefault(stem, []).append(f"{overflow} px beyond a phone's width")
        found = violations(self._axe_page())
        if found:
            self.found.setdefault(stem, []).extend(found)

    def _axe_page(self) -> Any:
        if self.javascript:
            return self.page
        html = self.page.content()
        base = re.match(r"https?://[^/]+", self.page.url)
        assert base, self.page.url
        self.checker.goto(f"{base.group(0)}/language/{self.language}")  # same origin
        html = SCRIPT.sub("", html).replace("<head>", f'<head><base href="{self.page.url}">', 1)
        self.checker.set_viewport_size(self.page.viewport_size)
        self.checker.set_content(html, wait_until="load")
        return self.checker

    def report(self) -> None:
        """Fail with every problem found on the way (none may be left)."""
        print(f"\n[journeys] {self.name} {self.language} {self.mode}: {self.states} page states")
        assert not self.found, self.found
