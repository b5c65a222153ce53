"""A small arXiv API stand-in for the tests: real HTTP on 127.0.0.1, Atom built from
fixtures, and faults on demand.

    with ArxivStandin() as arxiv:
        arxiv.add('ti:"Reward Model" OR abs:"Reward Model"', entries)
        arxiv.fail(Fault("429", retry_after="2"))
        ... DAILY_PAPERS_ARXIV_URL=arxiv.url ...
        arxiv.requests  # what was asked, when
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

ATOM_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query</title>
  <id>http://arxiv.org/api/stand-in</id>
  <updated>2025-05-27T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{start}</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{per_page}</opensearch:itemsPerPage>
"""


@dataclass
class Entry:
    """One paper as the stand-in serves it (independent of the package's own Paper)."""

    arxiv_id: str
    """With version: ``2505.20241v1`` or ``hep-th/0601001v2``."""
    title: str
    summary: str = "An abstract."
    updated: datetime = datetime(2025, 5, 26, 17, 59, 46, tzinfo=timezone.utc)
    published: datetime | None = None
    authors: list[str] = field(default_factory=lambda: ["Ada Lovelace", "Alan Turing"])
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    categories: list[str] = field(default_factory=lambda: ["cs.LG", "cs.AI"])
    scheme: str = "https"
    updated_text: str | None = None
    """Sent as ``<updated>`` instead of ``updated`` (a date that is not one, say)."""
    published_text: str | None = None
    id_text: str | None = None
    """Sent as ``<id>`` instead of the abstract page's URL."""

    def xml(self) -> str:
        published = self.published or self.updated
        base = f"{self.scheme}://arxiv.org"
        parts = [
            "  <entry>",
            f"    <id>{escape(_given(self.id_text, f'{base}/abs/{self.arxiv_id}'))}</id>",
            f"    <updated>{escape(_given(self.updated_text, _ts(self.updated)))}</updated>",
            f"    <published>{escape(_given(self.published_text, _ts(published)))}</published>",
            f"    <title>{escape(self.title)}</title>",
            f"    <summary>{escape(self.summary)}</summary>",
        ]
        parts += [f"    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in self.authors]
        if self.doi:
            parts.append(f'    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">{escape(self.doi)}</arxiv:doi>')
            parts.append(f'    <link title="doi" href="https://doi.org/{escape(self.doi)}" rel="related"/>')
        if self.comment is not None:
            parts.append(
                f'    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">{escape(self.comment)}</arxiv:comment>'
            )
        if self.journal_ref:
            parts.append(
                '    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">'
                f"{escape(self.journal_ref)}</arxiv:journal_ref>"
            )
        parts += [
            f'    <link href="{base}/abs/{self.arxiv_id}" rel="alternate" type="text/html"/>',
            f'    <link title="pdf" href="{base}/pdf/{self.arxiv_id}" rel="related" type="application/pdf"/>',
            f'    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term={quoteattr(self.categories[0])}'
            ' scheme="http://arxiv.org/schemas/atom"/>',
        ]
        parts += [f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>' for c in self.categories]
        parts.append("  </entry>")
        return "\n".join(parts)


def _given(text: str | None, default: str) -> str:
    return default if text is None else text


def _ts(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(entries: list[Entry], total: int | None = None, start: int = 0, per_page: int | None = None) -> bytes:
    """A search answer shaped like the live service's."""
    total = len(entries) if total is None else total
    head = ATOM_HEAD.format(total=total, start=start, per_page=len(entries) if per_page is None else per_page)
    return (head + "".join(e.xml() + "\n" for e in entries) + "</feed>\n").encode("utf-8")


def error_feed(message: str) -> bytes:
    """What the live service sends with HTTP 400 for a malformed query."""
    return (
        ATOM_HEAD.format(total=1, start=0, per_page=1)
        + "  <entry>\n    <id>http://arxiv.org/api/errors#incorrect_id_format</id>\n"
        + "    <title>Error</title>\n"
        + f"    <summary>{escape(message)}</summary>\n"
        + "    <updated>2025-05-27T00:00:00-04:00</updated>\n"
        + '    <link href="http://arxiv.org/api/errors#incorrect_id_format" rel="alternate" type="text/html"/>\n'
        + "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n"
    ).encode("utf-8")


def papers(prefix: str, count: int, *, newest: datetime | None = None, step: timedelta = timedelta(hours=1),
           **fields) -> list[Entry]:
    """``count`` entries newest first, ids ``<prefix>.<n>v1``, an hour apart."""
    newest = newest or datetime(2025, 5, 26, 18, 0, tzinfo=timezone.utc)
    return [
        Entry(f"{prefix}.{count - i:05d}v1", f"{prefix} paper {count - i}", updated=newest - i * step, **fields)
        for i in range(count)
    ]


@dataclass
class Fault:
    """What to do to one request instead of answering it well.

    kinds: ``429`` / ``503`` (optional ``retry_after``), ``reset``, ``hang`` (silence for
    ``seconds``, default the stand-in's ``hang_seconds``, or until it stops), ``truncate``
    (a cut body with the full Content-Length), ``empty`` (HTTP 200, no entries),
    ``short`` (a well-formed page with half the promised entries), ``400`` (error feed),
    ``trickle`` (the body in pieces of ``size`` bytes, ``seconds`` apart), ``html`` (HTTP
    200 with a web page, as a captive portal or proxy sends).

    Servers that never stop talking: ``continue`` (``100 Continue`` lines without end),
    ``trailers`` (a whole chunked body, then trailer lines without end), ``endless`` (a
    body without length or end), ``huge`` (a ``Content-Length`` of 1 GB, then an endless
    body); the bytes they sent are counted in :attr:`ArxivStandin.streamed`.
    ``redirect`` (HTTP ``status``, default 302, to ``location``, default the request's
    own path), ``reason`` (HTTP ``status`` with ``message`` as its reason phrase and the
    good body), ``status_line`` (``message`` as the whole status line), ``garbage``
    (``message``, latin-1, as the whole answer).
    """

    kind: str
    retry_after: str | None = None
    message: str = "incorrect id format for abc"
    seconds: float | None = None
    status: int | None = None
    location: str | None = None
    size: int = 64


@dataclass
class Request:
    """One request the stand-in received."""

    started: float
    """``time.monotonic()`` when the request line arrived."""
    query: str
    params: dict[str, str]
    headers: dict[str, str]
    path: str = ""
    """The request target's path (without the query)."""


class ArxivStandin:
    """The stand-in server; start it with ``with`` (or :meth:`start`/:meth:`stop`)."""

    def __init__(self, latency: float = 0.0, hang_seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        """``clock`` stamps :attr:`Request.started` (a test's fake clock, say)."""
        self.latency = latency
        self.hang_seconds = hang_seconds
        self.clock = clock
        self.results: dict[str, list[Entry]] = {}
        self.raw: dict[str, bytes] = {}
        self.faults: dict[str | None, deque[Fault]] = {}
        self.requests: list[Request] = []
        self.always: Fault | None = None
        """Applied to every request that has no queued fault (an arXiv that is broken all day)."""
        self.streamed = 0
        """Bytes the endless kinds of fault managed to send."""
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the stand-in first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/query"

    def add(self, query: str, entries: list[Entry]) -> None:
        """Serve ``entries`` (newest first) for ``search_query == query``."""
        self.results[query] = list(entries)

    def add_raw(self, query: str, body: bytes) -> None:
        """Answer ``search_query == query`` with exactly these bytes (a recorded answer)."""
        self.raw[query] = body

    def fail(self, *faults: Fault, query: str | None = None) -> None:
        """Apply these faults, one per request, to the next requests (for ``query`` only, if given)."""
        with self._lock:
            self.faults.setdefault(query, deque()).extend(faults)

    def requests_for(self, query: str) -> list[Request]:
        return [r for r in self.requests if r.query == query]

    def start(self) -> ArxivStandin:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                standin._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> ArxivStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_fault(self, query: str) -> Fault | None:
        with self._lock:
            for key in (query, None):
                queue = self.faults.get(key)
                if queue:
                    return queue.popleft()
        return self.always

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        started = self.clock()
        params = {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
        query = params.get("search_query", "")
        with self._lock:
            self.requests.append(Request(started, query, params, dict(handler.headers.items()),
                                         urlsplit(handler.path).path))
        fault = self._next_fault(query)
        if self.latency:
            time.sleep(self.latency)
        entries = self.results.get(query, [])
        start = int(params.get("start", 0))
        wanted = int(params.get("max_results", 10))
        page = entries[start : start + wanted]
        body = self.raw.get(query) or atom_feed(page, total=len(entries), start=start, per_page=wanted)
        if fault is None:
            return _send(handler, 200, body)
        kind = fault.kind
        if kind in ("429", "503"):
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return _send(handler, int(kind), b"Rate exceeded.", headers, content_type="text/plain")
        if kind == "400":
            return _send(handler, 400, error_feed(fault.message))
        if kind == "empty":
            return _send(handler, 200, atom_feed([], total=0, start=start, per_page=wanted))
        if kind == "short":
            return _send(handler, 200, atom_feed(page[: len(page) // 2], total=len(entries), start=start,
                                                  per_page=wanted))
        if kind == "truncate":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return None
        if kind == "reset":
            sock = handler.connection
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
            handler.close_connection = True
            return None
        if kind == "hang":
            self._stopping.wait(self.hang_seconds if fault.seconds is None else fault.seconds)
            handler.close_connection = True
            return None
        if kind == "trickle":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.flush()
            pause = 0.05 if fault.seconds is None else fault.seconds
            for offset in range(0, len(body), fault.size):
                if self._stopping.wait(pause):
                    break
                try:
                    handler.wfile.write(body[offset : offset + fault.size])
                    handler.wfile.flush()
                except OSError:  # the client gave up
                    break
            handler.close_connection = True
            return None
        if kind in ("continue", "trailers", "endless", "huge"):
            handler.close_connection = True
            return self._stream(handler, kind, body, 0.002 if fault.seconds is None else fault.seconds)
        if kind == "redirect":
            location = fault.location or handler.path
            return _send(handler, fault.status or 302, b"", {"Location": location}, content_type="text/plain")
        if kind == "reason":
            handler.send_response(fault.status or 200, fault.message)
            handler.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return None
        if kind == "garbage":
            handler.wfile.write(fault.message.encode("latin-1"))
            handler.close_connection = True
            return None
        if kind == "status_line":
            handler.wfile.write(fault.message.encode("latin-1") + b"\r\nContent-Length: 0\r\n\r\n")
            handler.close_connection = True
            return None
        if kind == "html":
            page = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please sign in.</body></html>\n"
            return _send(handler, 200, page, content_type="text/html; charset=utf-8")
        raise ValueError(f"unknown fault {kind!r}")

    def _stream(self, handler: BaseHTTPRequestHandler, kind: str, body: bytes, pause: float) -> None:
        """Talk until the client hangs up (or the stand-in stops), never holding more than a
        piece in memory; small socket buffers keep :attr:`streamed` close to what was read."""
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 16)
        if kind == "continue":
            start, piece = b"", b"HTTP/1.1 100 Continue\r\n\r\n"
        elif kind == "trailers":
            start = (b"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\nTransfer-Encoding: chunked\r\n\r\n"
                     + b"%x\r\n" % len(body) + body + b"\r\n0\r\n")
            piece = b"X-Trailer: more\r\n"
        else:
            length = b"Content-Length: 1000000000\r\n" if kind == "huge" else b""
            start = b"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\n" + length + b"\r\n"
            piece, pause = b"<!-- " + b"x" * 65_000 + b" -->\n", 0.0
        try:
            handler.wfile.write(start)
            while not self._stopping.is_set():
                handler.wfile.write(piece)
                with self._lock:
                    self.streamed += len(piece)
                if pause:
                    self._stopping.wait(pause)
        except OSError:  # the client hung up: what this is for
            pass


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None,
          content_type: str = "application/atom+xml; charset=utf-8") -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)
