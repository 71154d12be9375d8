"""Rules for the free text that residents and staff write."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from domain.errors import InvalidText, UnsafeText

#: Languages of the interface; content may be in any language code.
INTERFACE_LANGUAGES = ("fr", "nl", "en")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


#: Control characters refused anywhere in a text: C0 (but tab, line feed, carriage
#: return), DEL and C1. NUL cannot even be stored in PostgreSQL text.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Lone UTF-16 surrogates: JSON can carry them ("\\ud800"), UTF-8 cannot encode them.
_SURROGATES = re.compile("[\ud800-\udfff]")
#: Bidirectional embedding, override and isolate controls: they reorder what is shown
#: (U+202A-U+202E, U+2066-U+2069). The marks LRM, RLM and ALM stay allowed.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Characters that show nothing although they are not white space.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible_length(text: str) -> int:
    """How many characters of `text` show something: white space, format characters
    (zero-width space and joiners, word joiner, BOM, soft hyphen, direction marks)
    and blank-looking fillers do not count."""
    return sum(
        1
        for char in text
        if not char.isspace()
        and char not in _BLANK_LOOKING
        and unicodedata.category(char) not in ("Cf", "Cc", "Zs", "Zl", "Zp")
    )


def require_safe_text(text: str, *, field: str) -> None:
    """Raise UnsafeText if `text` cannot be stored or shown safely.

    Refused: control characters other than tab and newlines, lone surrogates, bidi
    embedding/override/isolate controls. The error names the first one found.
    """
    for pattern, what in (
        (_CONTROLS, "a control character"),
        (_SURROGATES, "a lone surrogate"),
        (_BIDI_CONTROLS, "a text direction control"),
    ):
        found = pattern.search(text)
        if found is not None:
            code = f"U+{ord(found.group()):04X}"
            raise UnsafeText(
                f"{field} contains {what} ({code}) at position {found.start() + 1}: remove it",
                field=field,
                character=code,
            )


#: What no database text column can hold: NUL (PostgreSQL) and lone surrogates (UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: object) -> object:
    """`value` with NUL and lone surrogates in any of its texts replaced by U+FFFD.

    For events recorded before the text rules refused them: a read model shows them
    as "�" instead of failing to store them. `value` itself is returned when nothing
    in it needs a change (almost always: one quick look, no copy); otherwise mappings
    and lists are copied.
    """
    return _cleaned(value) if _unstorable(value) else value


def _unstorable_text(text: str) -> bool:
    if text.isascii():
        return "\x00" in text
    return _UNSTORABLE.search(text) is not None


def _unstorable(value: object) -> bool:
    """Whether any text in `value` needs a change (a loop, not a call per value: a read
    model rebuild asks this of every row)."""
    kind = type(value)
    if kind is str:
        return _unstorable_text(value)  # type: ignore[arg-type]
    if kind is dict:
        for key, item in value.items():  # type: ignore[attr-defined]
            if type(key) is str:
                if "\x00" in key or (not key.isascii() and _UNSTORABLE.search(key)):
                    return True
            elif _unstorable(key):
                return True
            if type(item) is str:
                if "\x00" in item or (not item.isascii() and _UNSTORABLE.search(item)):
                    return True
            elif item is not None and type(item) not in (int, float, bool) and _unstorable(item):
                return True
        return False
    if kind is list or kind is tuple:
        return any(_unstorable(item) for item in value)  # type: ignore[attr-defined]
    if isinstance(value, str | dict | list | tuple):  # subclasses
        return _unstorable(_generic(value))
    return False


def _generic(value: object) -> object:
    """A str, dict, list or tuple subclass as its base type (rare: enums, named tuples)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return dict(value)
    return list(value)  # type: ignore[call-overload]


def _cleaned(value: object) -> object:
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(v) for v in value]
    return value


def clean_text(value: object, *, field: str, min_length: int = 1, max_length: int) -> str:
    """Return `value` stripped of surrounding white space, or raise InvalidText.

    Unsafe characters are refused (`require_safe_text`); `min_length` counts visible
    characters, so a text made only of invisible ones is empty. The text is otherwise
    stored exactly as given: escaping is the job of the pages.
    """
    if not isinstance(value, str):
        raise InvalidText(f"{field} must be text", field=field, code="text.empty")
    require_safe_text(value, field=field)
    text = value.strip()
    visible = visible_length(text)
    if visible == 0 and min_length > 0:
        raise InvalidText(
            f"{field} is empty once invisible characters are removed",
            field=field,
            code="text.empty",
        )
    if visible < min_length:
        raise InvalidText(
            f"{field} must have at least {min_length} characters",
            field=field,
            code="text.too_short",
            params={"min": min_length},
        )
    if len(text) > max_length:
        raise InvalidText(
            f"{field} must have at most {max_length} characters",
            field=field,
            code="text.too_long",
            params={"max": max_length, "length": len(text)},
        )
    return text


def clean_language(value: object, *, field: str = "language") -> str:
    """Return a lower-case ISO 639 code (fr, nl, en, ar, tr, ...) or raise InvalidText."""
    if not isinstance(value, str) or not _LANGUAGE_CODE.match(value.strip().lower()):
        raise InvalidText(
            f"{field} must be an ISO 639 language code such as fr or nl",
            field=field,
            code="text.language",
        )
    return value.strip().lower()


def clean_localised(
    value: object, *, field: str, min_length: int = 1, max_length: int
) -> dict[str, str]:
    """Validate text given per interface language ({"fr": ..., "nl": ...}).

    At least one of fr, nl, en is required; other keys are refused.
    """
    if not isinstance(value, Mapping) or not value:
        raise InvalidText(
            f"{field} needs a text in at least one of fr, nl, en", field=field, code="text.empty"
        )
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
