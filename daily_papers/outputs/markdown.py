"""The filters that turn arXiv's text into Markdown a reader on GitHub sees verbatim, and
the few links the tables build from a paper.

Everything from arXiv is data: no character of it may start an element, a link, an
entity or a new table cell. LaTeX between ``$`` is left for GitHub to typeset; GitHub
applies Markdown escapes before typesetting, so escaped math reaches it unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from daily_papers.paper import normalize_space, web_url

if TYPE_CHECKING:
    from daily_papers.paper import Paper

_ESCAPES = (
    # The backslash first and "&" before the entities: no replacement may see the output
    # of an earlier one.
    ("\\", "\\\\"),
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ("`", "\\`"),
    ("*", "\\*"),
    ("_", "\\_"),
    ("[", "\\["),
    ("]", "\\]"),
    ("|", "\\|"),
    ("~", "\\~"),
    ("#", "\\#"),
)
_WWW = re.compile(r"www\.", re.IGNORECASE)


def md(text: str | None) -> str:
    """Inline Markdown that displays ``text`` exactly, on one line, safe inside a table cell
    or a heading.

    Besides escaping Markdown and HTML syntax, it keeps GitHub from turning URLs in
    the text into links (``://`` and ``www.`` get an entity that displays the same).
    """
    if not text:
        return ""
    return _escape(text if _is_normal(text) else normalize_space(text))


_URL = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)
_URL_TRAILING = "?!.,:;*_~'\""
"""Punctuation that ends a sentence after a URL rather than the URL (GitHub's rule)."""


def md_links(text: str | None) -> str:
    """Like :func:`md`, but each http(s) URL in the text becomes a link to itself, as
    GitHub would make it: the reader sees the same text, and can click the URLs in an
    abstract or a comment. The link is written out here, not left to GitHub's guessing,
    so no other scheme and no markup from the data can become a link."""
    if not text:
        return ""
    text = text if _is_normal(text) else normalize_space(text)
    first = text.find("://") if ":" in text else -1
    if first < 0:  # most abstracts: no URL, and no need to look for one
        return _escape(text)
    parts = []
    done = 0
    for match in _URL.finditer(text, max(first - len("https"), 0)):  # no URL starts before its "://"
        url = _trim_url(match.group(0))
        if not web_url(url) or not _has_host(url):
            continue
        end = match.start() + len(url)
        before = _escape(text[done : match.start()])
        if _autolinks_alone(url, text, end):
            link = url
        else:
            link = f"[{_escape(url)}]({md_url(url)})"
            if before.endswith("!"):  # "![" would make the link an image
                before = before[:-1] + "\\!"
        parts += [before, link]
        done = end
    if not parts:
        return _escape(text)
    parts.append(_escape(text[done:]))
    return "".join(parts)


def _has_host(url: str) -> bool:
    """True when ``url`` names a host; ``http://[`` and the like name none."""
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:
        return False


_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?][A-Za-z0-9./:?=%+-]*)?", re.ASCII)
_PLAIN_AFTER = re.compile(r"[.,:?!]*(?:\s|$)")


def _autolinks_alone(url: str, text: str, end: int) -> bool:
    """True when GitHub turns ``url`` written as is into this very link: it has nothing to
    escape, its host has a dot, and only whitespace or sentence punctuation follows it (at
    ``end`` in ``text``, looked at in place: a copy of the rest per URL would make many
    URLs cost quadratic time). Such URLs are left as they are, so the output reads like
    the text arXiv sent."""
    return bool(_PLAIN_URL.fullmatch(url) and _PLAIN_AFTER.match(text, end))


def _trim_url(url: str) -> str:
    """Drop trailing punctuation and a closing parenthesis that has no opening one in the URL.

    The parentheses are counted once and the end moves back by index: counting or cutting
    at each step would make a URL followed by a run of ``)`` cost quadratic time.
    """
    end = len(url)
    unmatched = url.count(")") - url.count("(")
    while end:
        last = url[end - 1]
        if last in _URL_TRAILING:
            end -= 1
        elif last == ")" and unmatched > 0:
            unmatched -= 1
            end -= 1
        else:
            break
    return url[:end]


def _escape(escaped: str) -> str:
    """Markdown and HTML syntax escaped, URL autolinks defused; no whitespace change.
    Chained ``str.replace`` calls: this runs on every abstract, and they are the fastest."""
    if not escaped:
        return ""
    for char, replacement in _ESCAPES:
        if char in escaped:
            escaped = escaped.replace(char, replacement)
    if ":" in escaped and "://" in escaped:  # one character is found many times faster than three
        escaped = escaped.replace("://", "&#58;//")
    if "www." in escaped.lower():
        escaped = _WWW.sub(lambda m: m.group(0)[:3] + "&#46;", escaped)
    return escaped


def _is_normal(text: str) -> bool:
    """True when :func:`normalize_space` would return ``text`` unchanged, found faster than
    by calling it: in ASCII text by looking for each other whitespace character, else
    knowing that every whitespace character but the ASCII space is unprintable."""
    if text[0] == " " or text[-1] == " " or "  " in text:
        return False
    if text.isascii():
        return not ("\n" in text or "\t" in text or "\r" in text or "\x0b" in text or "\x0c" in text
                    or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text)
    return text.isprintable()


URL_SAFE = ":/?#@!$&'*+,;=%-._~"
"""What stays as is in a URL written out: everything else is percent-encoded."""
_SAFE_URL = re.compile(r"[\w:/?#@!$&'*+,;=%.~-]*", re.ASCII)


def md_url(url: str) -> str:
    """A URL as a Markdown link destination: characters that could end the link or the
    table cell early (spaces, brackets, parentheses, ``|``, backslashes) are percent-encoded,
    and ``&`` is written as an entity, since Markdown decodes entities in a destination."""
    written = url if _SAFE_URL.fullmatch(url) else quote(url, safe=URL_SAFE)
    return written.replace("&", "&amp;") if "&" in written else written


def shorten(text: str | None, length: int) -> str:
    """The first ``length`` characters of the text (whitespace normalised), for a summary."""
    return normalize_space(text or "")[:length]


def pdf_url(paper: Paper) -> str:
    """The paper's PDF: arXiv's link when it gave a web one, else built from the id."""
    return web_url(paper.pdf_url) or f"https://arxiv.org/pdf/{paper.versioned_id}"


CODE_HOSTS = {
    "github.com": "GitHub",
    "www.github.com": "GitHub",
    "gitlab.com": "GitLab",
    "www.gitlab.com": "GitLab",
    "huggingface.co": "Hugging Face",
    "www.huggingface.co": "Hugging Face",
    "hf.co": "Hugging Face",
}
"""The hosts a code link may point to, and the name its link shows."""

_CODE_CANDIDATE = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|hf\.co)/[^\s<>\"'`|\\\[\](){}]+",
    re.IGNORECASE,
)

def code_url(paper: Paper) -> str | None:
    """The first GitHub, GitLab or Hugging Face address in the comment, else in the abstract.

    The match is checked again as a URL: http(s), one of :data:`CODE_HOSTS` exactly (no
    user name or port that could hide another host), and a path below the host's root.
    """
    for text in (paper.comment, paper.abstract):
        for match in _CODE_CANDIDATE.finditer(text or ""):
            url = _trim_url(match.group(0))
            try:
                parts = urlsplit(url)
                port = parts.port
            except ValueError:
                continue
            if (
                parts.scheme.lower() in ("http", "https")
                and (parts.hostname or "") in CODE_HOSTS
                and parts.username is None
                and port is None
                and parts.path.strip("/")
            ):
                return url
    return None


def code_host(url: str) -> str:
    """The name a code link shows: ``GitHub``, ``GitLab`` or ``Hugging Face``."""
    return CODE_HOSTS.get(urlsplit(url).hostname or "", "Code")


def github_anchors(headings: Iterable[str]) -> list[str]:
    """The fragment GitHub gives each heading of a page, in page order.

    GitHub lower-cases the heading's text, drops every character that is not a letter, a
    mark, a number, a connector (``_``), ``-`` or a space, turns each space into ``-``, and
    numbers repeats: the second ``intro`` is ``intro-1``, the third ``intro-2``.
    """
    seen: dict[str, int] = {}
    anchors = []
    for heading in headings:
        base = "".join(c for c in heading.lower() if c in "- " or _is_word(c)).replace(" ", "-")
        count = seen.get(base, 0)
        seen[base] = count + 1
        anchors.append(f"{base}-{count}" if count else base)
    return anchors


def _is_word(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LMN" or category == "Pc"
