"""Reading and strictly validating ``config.yaml``.

Every mistake is found here, before any request is sent or any file written, and is
reported with the key it concerns, the value found and, for a misspelt key, the
closest known one. The keys themselves, with their defaults and ranges, are one table:
:mod:`daily_papers.config.keys`.
"""

from daily_papers.config.keys import (
    ARXIV,
    COLUMNS,
    DEFAULT_ARXIV_URL,
    DEFAULT_COLUMNS,
    DEFAULT_FEED_URL,
    DIGEST,
    FIELD_PREFIXES,
    KEYWORD,
    REQUIRED,
    SECTIONS,
    SORT_KEYS,
    SOURCES,
    TOP,
    Column,
    Field,
    Key,
    Section,
    SortKey,
    Source,
    reference,
)
from daily_papers.config.load import MAX_DEPTH, load_config, parse_yaml
from daily_papers.config.model import ArxivSettings, Config, DigestSettings, Keyword, SiteSettings, slugify
from daily_papers.config.settings import ARXIV_HOSTS, ARXIV_URL_ENV, FEED_URL_ENV, MIN_ARXIV_DELAY, validate
from daily_papers.config.values import MAX_NAME, REPOSITORY, ConfigError

__all__ = [
    "ARXIV",
    "ARXIV_HOSTS",
    "ARXIV_URL_ENV",
    "COLUMNS",
    "DEFAULT_ARXIV_URL",
    "DEFAULT_COLUMNS",
    "DEFAULT_FEED_URL",
    "DIGEST",
    "FEED_URL_ENV",
    "FIELD_PREFIXES",
    "KEYWORD",
    "MAX_DEPTH",
    "MAX_NAME",
    "MIN_ARXIV_DELAY",
    "REPOSITORY",
    "REQUIRED",
    "SECTIONS",
    "SORT_KEYS",
    "SOURCES",
    "TOP",
    "ArxivSettings",
    "Column",
    "Config",
    "ConfigError",
    "DigestSettings",
    "Field",
    "Key",
    "Keyword",
    "Section",
    "SiteSettings",
    "SortKey",
    "Source",
    "load_config",
    "parse_yaml",
    "reference",
    "slugify",
    "validate",
]
