"""A stand-in for arXiv's announcement feed (``rss.arxiv.org/atom/<cats>``) on 127.0.0.1,
in the shape arXiv's feed service writes, plus the API's ``id_list`` lookups; every
other API request is the API stand-in's (:class:`standin.ArxivStandin`).

    with FeedStandin() as arxiv:
        arxiv.announce(Listing(Entry("2505.00001v1", "Reward models", categories=["cs.LG"])))
        ... DAILY_PAPERS_FEED_URL=arxiv.feed_url, DAILY_PAPERS_ARXIV_URL=arxiv.url ...
        arxiv.feed_requests, arxiv.lookups  # what was asked

Like the service: one item per paper whatever the categories asked, typed ``new`` or
``cross`` (``replace`` or ``replace-cross``) by whether its primary category was asked,
ordered new, cross, replace, replace-cross, at most 2000; a category it does not know
gets a feed titled ``Feed error for query`` with HTTP 400; an empty day is an empty feed
(the service's ``skipDays`` says Saturday and Sunday).
"""

from __future__ import annotations

import time as time_module
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from standin import ArxivStandin, Entry, Request, _send, atom_feed

ET = ZoneInfo("America/New_York")
CAP = 2000
ORDER = ("new", "cross", "replace", "replace-cross")


@dataclass
class Listing:
    """One paper in the day's announcement: ``new`` (a new submission) or ``replace`` (a
    new version); the feed tells cross-lists from them by the categories asked."""

    entry: Entry
    kind: str = "new"


class FeedStandin(ArxivStandin):
    """The API stand-in with the feed and ``id_list`` added on the same port."""

    def __init__(self, *args, day: date = date(2025, 5, 27), **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        self.listings: list[Listing] = []
        self.catalogue: dict[str, Entry] = {}
        """Paper id (no version) -> its newest version: what ``id_list`` answers."""
        self.stale: dict[str, list[Listing]] = {}
        """Category -> the listings it serves instead of today's (yesterday's, say)."""
        self.refused: set[str] = set()
        """Category names the service does not know."""
        self.feed_requests: list[Request] = []
        self.lookups: list[list[str]] = []
        """The ids of each ``id_list`` request."""

    @property
    def feed_url(self) -> str:
        return self.url.replace("/api/query", "/atom/")

    def announce(self, *listings: Listing) -> None:
        """Add to the day's announcement (and to what ``id_list`` knows)."""
        self.listings += listings
        for listing in listings:
            self.know(listing.entry)

    def know(self, *entries: Entry) -> None:
        for entry in entries:
            self.catalogue[entry.arxiv_id.rsplit("v", 1)[0]] = entry

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if self.latency and (parts.path.startswith("/atom/") or "id_list" in params):
            time_module.sleep(self.latency)
        if parts.path.startswith("/atom/"):
            return self._feed(handler, unquote(parts.path[len("/atom/"):]), params)
        if "id_list" in params:
            return self._id_list(handler, params)
        return super()._handle(handler)

    def _record(self, handler: BaseHTTPRequestHandler, query: str, params: dict[str, str]) -> Request:
        request = Request(self.clock(), query, params, dict(handler.headers.items()))
        with self._lock:
            self.requests.append(request)
        return request

    def _id_list(self, handler: BaseHTTPRequestHandler, params: dict[str, str]) -> None:
        ids = [i for i in params["id_list"].split(",") if i]
        self._record(handler, "id_list", params)
        self.lookups.append(ids)
        fault = self._next_fault("id_list")
        if fault is not None and self._fault(handler, fault):
            return None
        found = [self.catalogue[i] for i in ids if i in self.catalogue]
        wanted = int(params.get("max_results", 10))
        return _send(handler, 200, atom_feed(found[:wanted], total=len(found), per_page=wanted))

    def _feed(self, handler: BaseHTTPRequestHandler, query: str, params: dict[str, str]) -> None:
        self.feed_requests.append(self._record(handler, f"feed:{query}", params))
        fault = self._next_fault(f"feed:{query}")
        asked = query.split("+")
        if fault is not None and fault.kind == "empty":
            return _send(handler, 200, self.atom(asked, []))
        if fault is not None and self._fault(handler, fault):
            return None
        wrong = [c for c in asked if c in self.refused or not c]
        if wrong:
            return _send(handler, 400, self.error(query, wrong[0]))
        return _send(handler, 200, self.atom(asked, self.items(asked)))

    def items(self, asked: list[str]) -> list[tuple[str, Entry]]:
        """What the service lists for these categories: typed, ordered, capped."""
        chosen: dict[str, tuple[str, Entry]] = {}
        for category in asked:
            for listing in self.stale.get(category, self.listings):
                entry = listing.entry
                if not any(_covers(category, c) for c in entry.categories) or entry.arxiv_id in chosen:
                    continue
                primary = any(_covers(c, entry.categories[0]) for c in asked)
                kind = listing.kind.split("-")[0]
                typed = kind if primary else ("cross" if kind == "new" else "replace-cross")
                chosen[entry.arxiv_id] = (typed, entry)
        return sorted(chosen.values(), key=lambda item: ORDER.index(item[0]))[:CAP]

    def atom(self, asked: list[str], items: list[tuple[str, Entry]]) -> bytes:
        midnight = datetime.combine(self.day, time(0), ET).isoformat()
        built = datetime.combine(self.day, time(0), ET).astimezone(timezone.utc).isoformat()
        link = f"http://rss.arxiv.org/atom/{'+'.join(asked)}"
        parts = [
            "<?xml version='1.0' encoding='UTF-8'?>",
            ('<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
             'xmlns="http://www.w3.org/2005/Atom" xml:lang="en-us">'),
            f"  <id>{escape(link)}</id>",
            f"  <title>{escape(', '.join(asked))} updates on arXiv.org</title>",
            f"  <updated>{built}</updated>",
            f'  <link href={quoteattr(link)} rel="self" type="application/atom+xml"/>',
            f"  <subtitle>{escape(', '.join(asked))} updates on the arXiv.org e-print archive.</subtitle>",
            "  <skipDays><day>Saturday</day><day>Sunday</day></skipDays>",
        ]
        for kind, entry in items:
            plain = entry.arxiv_id.rsplit("v", 1)[0]
            parts += [
                "  <entry>",
                f"    <id>oai:arXiv.org:{escape(entry.arxiv_id)}</id>",
                f"    <title>{escape(entry.title)}</title>",
                f"    <updated>{midnight}</updated>",
                f'    <link href="https://arxiv.org/abs/{escape(plain)}" rel="alternate" type="text/html"/>',
                (f"    <summary>arXiv:{escape(entry.arxiv_id)} Announce Type: {kind} \nAbstract: "
                 f"{escape(entry.summary)}</summary>"),
                *(f"    <category term={quoteattr(c)}/>" for c in entry.categories),
                f"    <published>{midnight}</published>",
                f"    <arxiv:announce_type>{kind}</arxiv:announce_type>",
                "    <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>",
                f"    <dc:creator>{escape(', '.join(entry.authors))}</dc:creator>",
            ]
            if entry.journal_ref:
                parts.append(f"    <arxiv:journal_reference>{escape(entry.journal_ref)}</arxiv:journal_reference>")
            if entry.doi:
                parts.append(f"    <arxiv:DOI>{escape(entry.doi)}</arxiv:DOI>")
            parts.append("  </entry>")
        parts.append("</feed>\n")
        return "\n".join(parts).encode("utf-8")

    def error(self, query: str, wrong: str) -> bytes:
        """What the service sends for a category it does not know."""
        return (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-us">\n'
            f"  <id>http://rss.arxiv.org/atom/{escape(query)}</id>\n"
            f"  <title>Feed error for query: http://rss.arxiv.org/atom/{escape(query)}</title>\n"
            "  <updated>2025-05-27T04:00:00+00:00</updated>\n"
            f"  <subtitle>Bad subject class '{escape(wrong)}'. Valid subject classes are listed in the "
            "category taxonomy.</subtitle>\n"
            "</feed>\n"
        ).encode()

    def _fault(self, handler: BaseHTTPRequestHandler, fault) -> bool:  # type: ignore[no-untyped-def]
        """Apply the fault kinds a feed or lookup meets; True when the request is answered."""
        if fault.kind in ("429", "503", "500"):
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            _send(handler, int(fault.kind), b"Rate exceeded.", headers, content_type="text/plain")
            return True
        if fault.kind == "truncate":
            body = self.atom(["cs.LG"], [("new", e) for e in list(self.catalogue.values())[:5]])
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.close_connection = True
            return True
        if fault.kind == "cut":
            body = self.atom(["cs.LG"], [("new", e) for e in list(self.catalogue.values())[:5]])
            _send(handler, 200, body[: len(body) // 2])
            return True
        if fault.kind == "hang":
            self._stopping.wait(self.hang_seconds if fault.seconds is None else fault.seconds)
            handler.close_connection = True
            return True
        if fault.kind == "html":
            _send(handler, 200, b"<html><head><title>Sign in</title></head><body>Sign in.</body></html>",
                  content_type="text/html")
            return True
        if fault.kind == "raw":
            _send(handler, 200, fault.message.encode("utf-8"))
            return True
        raise ValueError(f"unknown fault {fault.kind!r}")


def _covers(wanted: str, category: str) -> bool:
    return category == wanted or category.startswith(wanted + ".")
