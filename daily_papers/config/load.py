"""Reading ``config.yaml``: safe YAML with duplicate keys refused and nesting bounded,
then validated (:func:`~daily_papers.config.settings.validate`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from daily_papers.config.model import Config
from daily_papers.config.settings import validate
from daily_papers.config.values import ConfigError


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read, parse and validate the config file at ``path``.

    ``environ`` (default ``os.environ``) may override the arXiv endpoint through
    ``DAILY_PAPERS_ARXIV_URL``.
    """
    environ = os.environ if environ is None else environ
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read config file {path}: {err}") from None
    data = parse_yaml(text, path)
    try:
        return validate(data, path.resolve(), environ)
    except ConfigError as err:
        raise ConfigError(f"{path}: {err}") from None


def parse_yaml(text: str, path: Path) -> Any:
    """Safe YAML (no Python tags) with duplicate keys refused; errors carry line and column."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        problem = err.problem or err.context or "invalid YAML"
        raise ConfigError(f"{path}: YAML error at {where}: {problem}") from None
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: YAML error: {err}") from None
    except ValueError as err:  # an integer of more digits than Python converts
        raise ConfigError(f"{path}: YAML error: {str(err).split(';')[0]}") from None


MAX_DEPTH = 32
"""How deeply a config's lists and mappings may nest: a real one needs four levels."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (YAML would keep the last),
    a key that is not plain text (``? [a, b]``), and nesting deeper than :data:`MAX_DEPTH`
    (PyYAML builds it by recursion)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be plain text, not a list or mapping", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
