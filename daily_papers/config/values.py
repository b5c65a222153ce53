"""The small checks every value of the config goes through: its type, its range, its text.

Each takes the value and ``where`` (the key as the message names it) and returns the
value as the config holds it, or raises :class:`ConfigError` saying what was found.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any, cast
from urllib.parse import SplitResult, urlsplit

from daily_papers.config.keys import Section
from daily_papers.errors import DailyPapersError

REPOSITORY = re.compile(r"[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}")
"""A GitHub repository's ``owner/name``."""

MAX_NAME = 100
"""Characters in a keyword's name or phrase: its file names must fit every file system."""


class ConfigError(DailyPapersError):
    """The configuration cannot be used; the message says where and why."""


def _check_keys(mapping: dict[Any, Any], section: Section, prefix: str | None = None) -> None:
    """Refuse a key the section does not have, with the closest one it has as a hint."""
    prefix = section.prefix if prefix is None else prefix
    known = section.names
    for key in mapping:
        if key not in known:
            raise ConfigError(f"unknown key {prefix}{key}" + _hint(str(key), known, prefix))


def _hint(word: str, known: Any, prefix: str = "") -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {prefix}{close[0]}?)" if close else ""


def _mapping(value: Any, where: str, hint: str = "a mapping of keys to values") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected {hint}, got {_show(value)}")
    return value


def _phrases(raw: Any, where: str, *, allow_empty: bool) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: expected a list of text, got {_show(raw)}")
    if not raw and not allow_empty:
        raise ConfigError(f"{where}: the list is empty")
    return tuple(_phrase(value, where) for value in raw)


def _phrase(value: Any, where: str) -> str:
    text = " ".join(_plain(value, where).split())
    if not text:
        raise ConfigError(f"{where}: empty text")
    if len(text) > MAX_NAME:
        raise ConfigError(f"{where}: {text[:40]!r}... is {len(text)} characters long; keep it to {MAX_NAME}")
    if '"' in text:
        raise ConfigError(f"{where}: {text!r} contains a double quote, which arXiv queries cannot hold")
    return text


def _plain(value: Any, where: str) -> str:
    """Text for a heading, a name or a query: no control character (a terminal, a log or a
    workflow command would read it as one), no lone surrogate."""
    text = _text(value, where)
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t" for c in text):
        raise ConfigError(f"{where}: {text[:60]!r} holds a control character")
    return text


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected text, got {_show(value)} (quote it if it is meant as text)")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {_show(value)}")
    return value


def _label(value: Any) -> str:
    text = _text(value, "digest.label").strip()
    if not text or len(text) > 50 or any(ord(c) < 32 or c == "," for c in text):
        raise ConfigError(f"digest.label: {text!r} is not a GitHub label (1 to 50 characters, no comma)")
    return text


def _repository(value: Any) -> str:
    text = _text(value, "repository")
    if not REPOSITORY.fullmatch(text):
        raise ConfigError(f"repository: {text!r} is not a GitHub repository such as 'octocat/papers'")
    return text


def _path(value: Any, where: str) -> str:
    text = _text(value, where)
    if not text.strip():
        raise ConfigError(f"{where}: empty; give a path relative to the config file's folder")
    return text


def _http_url(url: str, where: str) -> SplitResult:
    """``url`` split, or :class:`ConfigError` unless it is an http(s) URL with a host and,
    if given, a port from 1 to 65535: what the request will need, found before it is sent."""
    problem = f"{where}: {url!r} is not an http(s) URL such as https://export.arxiv.org/api/query"
    if len(url) > 2000 or any(c.isspace() or ord(c) < 32 for c in url):
        raise ConfigError(problem)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise ConfigError(f"{problem} ({err})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(problem)
    if port == 0:
        raise ConfigError(f"{problem} (port 0)")
    return parts


def _number_key(section: Section, raw: dict[str, Any], name: str) -> float:
    """The number given for ``name`` in ``raw`` (else its default), within the key's range."""
    key = section[name]
    return _number(section.get(raw, name), section.prefix + name, cast(float, key.low), cast(float, key.high))


def _integer_key(section: Section, raw: dict[str, Any], name: str) -> int:
    """The whole number given for ``name`` in ``raw`` (else its default), within the key's range."""
    key = section[name]
    return _integer(section.get(raw, name), section.prefix + name, cast(float, key.low), cast(float, key.high))


def _number(value: Any, where: str, low: float, high: float) -> float:
    return float(_ranged(value, where, low, high, (int, float), "a number"))


def _integer(value: Any, where: str, low: float, high: float) -> int:
    return int(_ranged(value, where, low, high, (int,), "a whole number"))


def _ranged(
    value: Any, where: str, low: float, high: float, types: tuple[type, ...], kind: str
) -> int | float:
    if isinstance(value, bool) or not isinstance(value, types):
        raise ConfigError(f"{where}: expected {kind} from {low:g} to {high:g}, got {_show(value)}")
    number = cast("int | float", value)
    if not low <= number <= high:
        raise ConfigError(f"{where}: {number!r} is out of range; use {kind} from {low:g} to {high:g}")
    return number


def _show(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return f"{text if len(text) <= 60 else text[:57] + '...'} ({type(value).__name__})"
