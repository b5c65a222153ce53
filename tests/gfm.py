"""Reading Markdown the way GitHub does (cmarkgfm), for tests that check what a reader sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options


def to_html(markdown: str) -> str:
    """GitHub's rendering, raw HTML allowed (GitHub then sanitises; tests check before that)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


@dataclass
class Cell:
    """One table cell as rendered: its visible text, the parts of it, and what it links to."""

    text: str = ""
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    """Text inside <summary> (the collapsed label), if any."""
    body: str = ""
    """Text inside <p> of a <details> cell, if any."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]]


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.cell: Cell | None = None
        self.row: list[Cell] | None = None
        self.in_head = False
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(Table([], []))
        elif tag == "thead":
            self.in_head = True
        elif tag == "tbody":
            self.in_head = False
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = Cell()
        elif self.cell is not None:
            self.cell.tags.append(tag)
            self.stack.append(tag)
            if tag == "a":
                self.cell.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            table = self.tables[-1]
            if self.in_head:
                table.headers = [c.text for c in self.row]
            else:
                table.rows.append(self.row)
            self.row = None
        elif self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.cell is None:
            return
        self.cell.text += data
        if "summary" in self.stack:
            self.cell.summary += data
        elif "p" in self.stack:
            self.cell.body += data


def tables(markdown: str) -> list[Table]:
    """Every table in the rendered Markdown, cells with their visible text."""
    parser = _Tables()
    parser.feed(to_html(markdown))
    return parser.tables
