"""Rules for the free text that residents and staff write."""

from __future__ import annotations

import re
from collections.abc import Mapping

from domain.errors import InvalidText

#: Languages of the interface; content may be in any language code.
INTERFACE_LANGUAGES = ("fr", "nl", "en")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def clean_text(value: object, *, field: str, min_length: int = 1, max_length: int) -> str:
    """Return `value` stripped of surrounding white space, or raise InvalidText.

    The text is otherwise stored exactly as given: escaping is the job of the pages.
    """
    if not isinstance(value, str):
        raise InvalidText(f"{field} must be text", field=field)
    text = value.strip()
    if len(text) < min_length:
        raise InvalidText(f"{field} must have at least {min_length} characters", field=field)
    if len(text) > max_length:
        raise InvalidText(f"{field} must have at most {max_length} characters", field=field)
    return text


def clean_language(value: object, *, field: str = "language") -> str:
    """Return a lower-case ISO 639 code (fr, nl, en, ar, tr, ...) or raise InvalidText."""
    if not isinstance(value, str) or not _LANGUAGE_CODE.match(value.strip().lower()):
        raise InvalidText(f"{field} must be an ISO 639 language code such as fr or nl", field=field)
    return value.strip().lower()


def clean_localised(
    value: object, *, field: str, min_length: int = 1, max_length: int
) -> dict[str, str]:
    """Validate text given per interface language ({"fr": ..., "nl": ...}).

    At least one of fr, nl, en is required; other keys are refused.
    """
    if not isinstance(value, Mapping) or not value:
        raise InvalidText(f"{field} needs a text in at least one of fr, nl, en", field=field)
    result: dict[str, str] = {}
    for language, text in value.items():
        if language not in INTERFACE_LANGUAGES:
            raise InvalidText(
                f"{field} has unknown language '{language}' (use fr, nl or en)", field=field
            )
        result[language] = clean_text(
            text, field=f"{field}.{language}", min_length=min_length, max_length=max_length
        )
    return result


def in_language(texts: Mapping[str, str], language: str) -> str:
    """Pick the text in `language`, falling back to fr, nl, en in that order."""
    for candidate in (language, *INTERFACE_LANGUAGES):
        if candidate in texts:
            return texts[candidate]
    return next(iter(texts.values()), "")


def clean_reason(value: object) -> str:
    """A moderation or answer reason: 3 to 1000 characters."""
    return clean_text(value, field="reason", min_length=3, max_length=1000)
