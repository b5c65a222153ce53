"""The ``keywords`` list, and the lists a keyword shares with the top level: its columns
and its arXiv categories."""

from __future__ import annotations

from typing import Any, cast

from daily_papers.config.keys import COLUMNS, FIELD_PREFIXES, KEYWORD, Column, Field
from daily_papers.config.model import Keyword
from daily_papers.config.values import ConfigError, _check_keys, _hint, _mapping, _phrase, _phrases, _show


def _keywords(raw: Any, shared: tuple[str, ...] = (), source: str = "api") -> tuple[Keyword, ...]:
    if raw is None:
        raise ConfigError("keywords: missing; list at least one keyword")
    if not isinstance(raw, list):
        raise ConfigError(f"keywords: expected a list of keywords, got {_show(raw)}")
    if not raw:
        raise ConfigError("keywords: the list is empty; list at least one keyword")
    keywords = [_keyword(item, i, shared) for i, item in enumerate(raw, start=1)]
    if source == "feed":
        for kw in keywords:
            if not kw.categories:
                raise ConfigError(f"keyword {kw.name!r}: no categories; with 'source: feed' every keyword needs "
                                  "its own 'categories:' or the top-level 'categories:' list (such as [cs.LG])")
    seen_names: dict[str, str] = {}
    seen_slugs: dict[str, str] = {}
    for kw in keywords:
        if not kw.slug:
            raise ConfigError(f"keywords: {kw.name!r} has no letters or digits to name its files by")
        folded = kw.name.casefold()
        if folded in seen_names:
            raise ConfigError(f"keywords: {kw.name!r} is listed twice (also as {seen_names[folded]!r})")
        if kw.slug in seen_slugs:
            raise ConfigError(
                f"keywords: {kw.name!r} and {seen_slugs[kw.slug]!r} would share the file name {kw.slug!r}"
            )
        seen_names[folded] = kw.name
        seen_slugs[kw.slug] = kw.name
    return tuple(keywords)


def _keyword(item: Any, index: int, shared: tuple[str, ...] = ()) -> Keyword:
    where = f"keywords[{index}]"
    if isinstance(item, str):
        item = {"name": item}
    spec = _mapping(item, where, hint="a name, or a mapping with 'name'")
    _check_keys(spec, KEYWORD, f"{where}.")
    if "name" not in spec:
        raise ConfigError(f"{where}: missing 'name'")
    name = _phrase(spec["name"], f"{where}.name")
    where = f"keyword {name!r}"
    phrases = _phrases(spec.get("phrases", [name]), f"{where}: phrases", allow_empty=False)
    fields = _phrases(KEYWORD.get(spec, "fields"), f"{where}: fields", allow_empty=False)
    for field_name in fields:
        if field_name not in FIELD_PREFIXES:
            raise ConfigError(
                f"{where}: fields: {field_name!r} is not one of {', '.join(FIELD_PREFIXES)}"
                + _hint(field_name, FIELD_PREFIXES)
            )
    categories = _categories(spec["categories"], f"{where}: categories") if "categories" in spec else shared
    exclude = _phrases(KEYWORD.get(spec, "exclude"), f"{where}: exclude", allow_empty=True)
    columns = _columns(spec["columns"], f"{where}: columns") if "columns" in spec else None
    return Keyword(name=name, phrases=phrases, fields=cast("tuple[Field, ...]", fields), categories=categories,
                   exclude=exclude, columns=columns)


def _columns(raw: Any, where: str) -> tuple[Column, ...]:
    columns = _phrases(raw, where, allow_empty=False)
    for name in columns:
        if name not in COLUMNS:
            raise ConfigError(f"{where}: {name!r} is not one of {', '.join(COLUMNS)}" + _hint(name, COLUMNS))
    if "title" not in columns:
        raise ConfigError(f"{where}: the 'title' column is required (it links each paper)")
    if len(set(columns)) != len(columns):
        raise ConfigError(f"{where}: a column is listed twice")
    return cast("tuple[Column, ...]", columns)


def _categories(raw: Any, where: str) -> tuple[str, ...]:
    """arXiv category or archive names, each checked against :mod:`daily_papers.categories`
    (imported here, when a config names some: ``import daily_papers.sources`` stays light)."""
    from daily_papers.categories import problem

    categories = _phrases(raw, where, allow_empty=True)
    for cat in categories:
        found = problem(cat)
        if found:
            raise ConfigError(f"{where}: {found}")
    return tuple(dict.fromkeys(categories))
