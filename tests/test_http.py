"""One request against servers that never stop talking, talk too much or say odd things:
every phase ends by one deadline, no answer is read past the size cap, and what the
server says reaches the caller only in printable form.

Each request runs in a thread the test waits for a bounded time, so a request that
would hang fails the test instead of hanging it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from standin import ArxivStandin, Fault, papers

from daily_papers.printable import printable
from daily_papers.sources import http

TIMEOUT = 0.3
GENEROUS = 10 * TIMEOUT
"""A request must be over within this: the deadline plus scheduling noise, far from a hang."""
LONG = GENEROUS / 2
"""The timeout of a test about something else than the deadline (a busy machine is slow)."""


@pytest.fixture
def server():
    with ArxivStandin(hang_seconds=5) as standin:
        standin.add("q", papers("2505", 30))
        yield standin


def url(standin: ArxivStandin) -> str:
    return standin.url + "?search_query=q&max_results=100"


def bounded(call: Callable[[], object]) -> tuple[object, float]:
    """``call()``'s result or exception and the seconds it took; fails past :data:`GENEROUS`."""
    outcome: list[object] = []
    started = time.monotonic()

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as err:
            outcome.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(GENEROUS)
    assert not thread.is_alive(), f"still running after {GENEROUS} s"
    return outcome[0], time.monotonic() - started


def failure(standin: ArxivStandin, timeout: float = TIMEOUT, **options) -> tuple[str, float]:
    result, seconds = bounded(lambda: http.get(url(standin), timeout=timeout, **options))
    assert isinstance(result, http.HttpFailure), result
    return str(result), seconds


def test_a_good_answer(server):
    response, _ = bounded(lambda: http.get(url(server), timeout=TIMEOUT, headers={"User-Agent": "me"}))
    assert isinstance(response, http.Response)
    assert (response.status, response.reason) == (200, "OK")
    assert response.body.count(b"<entry>") == 30
    assert server.requests[0].headers["User-Agent"] == "me"


@pytest.mark.parametrize(("fault", "reason"), [
    (Fault("hang"), "no answer within 0.3 s"),
    (Fault("continue"), "no whole status and headers within 0.3 s"),
    (Fault("trailers"), "answer still arriving after 0.3 s"),
    (Fault("trickle", size=1, seconds=0.001), "answer still arriving after 0.3 s"),
])
def test_one_deadline_covers_every_phase(server, fault, reason):
    """Silence, endless interim answers, endless trailers, a body a byte at a time: each
    read is quick, only the whole is too long."""
    server.fail(fault)
    message, seconds = failure(server)
    assert message.startswith(reason), message
    assert TIMEOUT <= seconds < GENEROUS


def test_an_endless_body_is_refused_at_the_cap(server):
    server.fail(Fault("endless"))
    cap = 1 << 20
    message, seconds = failure(server, LONG, max_bytes=cap)
    assert message.startswith("answer refused after ") and f"more than the {cap} allowed" in message
    assert seconds < LONG / 2  # refused as soon as it passed the cap, not at the deadline
    time.sleep(0.05)  # the stand-in notices the hang-up
    assert cap < server.streamed < cap + (8 << 20)  # the cap plus what the sockets' buffers hold


def test_the_default_cap_is_above_a_real_page_and_holds(server):
    assert http.MAX_BODY >= 6 * 5_000_000
    server.fail(Fault("endless"))
    message, _ = failure(server, LONG)
    assert f"more than the {http.MAX_BODY} allowed" in message
    time.sleep(0.05)
    assert server.streamed < http.MAX_BODY + (8 << 20)


def test_a_content_length_past_the_cap_is_refused_before_reading(server):
    server.fail(Fault("huge"))
    message, seconds = failure(server, LONG)
    assert message == f"answer of 1000000000 bytes refused: more than the {http.MAX_BODY} allowed"
    assert seconds < LONG / 2
    time.sleep(0.05)
    assert server.streamed < 8 << 20


def test_a_cut_body_is_a_failure(server):
    server.fail(Fault("truncate"))
    message, _ = failure(server, LONG)
    assert message.startswith("answer cut short: ")


def test_redirects_are_not_followed(server):
    server.fail(Fault("redirect", status=301))
    response, _ = bounded(lambda: http.get(url(server), timeout=TIMEOUT))
    assert isinstance(response, http.Response)
    assert (response.status, response.headers["Location"]) == (301, "/api/query?search_query=q&max_results=100")
    assert len(server.requests) == 1


def test_a_reason_phrase_arrives_printable(server):
    server.fail(Fault("reason", status=404, message="Gone\r::warning::x \x1b[2J\x85\x9b"))
    response, _ = bounded(lambda: http.get(url(server), timeout=TIMEOUT))
    assert isinstance(response, http.Response)
    assert response.reason == "Gone\\x0d::warning::x \\x1b[2J\\x85\\x9b"


def test_a_broken_status_line_is_a_printable_failure(server):
    server.fail(Fault("status_line", message="HTTP/1.1 abc\r::warning::x \x1b]0;pwned\x07"))
    message, _ = failure(server)
    assert message == "connection failed: HTTP/1.1 abc\\x0d::warning::x \\x1b]0;pwned\\x07\\x0d\\x0a"


@pytest.mark.parametrize("address", ["ftp://127.0.0.1/x", "file:///etc/passwd", "http://", "http://h:99999/",
                                     "javascript:alert(1)\r::warning::x", "http://[::1/x", "http://[zz]:80/"])
def test_only_web_addresses_are_asked(address):
    with pytest.raises(http.HttpFailure, match="not a web address") as refused:
        http.get(address, timeout=TIMEOUT)
    assert "\r" not in str(refused.value)


def test_a_closed_port_fails_at_once():
    with ArxivStandin() as standin:
        closed = standin.url
    with pytest.raises(http.HttpFailure, match="connection failed"):
        http.get(closed, timeout=TIMEOUT)


def test_the_sources_import_only_config_paper_and_their_own_modules():
    code = "import sys, daily_papers.sources; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(result.stdout.split())
    ours = {m for m in loaded if m.startswith("daily_papers") and not m.startswith("daily_papers.config.")}
    sources = {f"daily_papers.sources.{m}" for m in ("api", "breaker", "client", "http", "job", "pacing", "query", "retry", "retry_after", "tries")}
    assert ours == {"daily_papers", "daily_papers.config", "daily_papers.errors", "daily_papers.paper",
                    "daily_papers.printable", "daily_papers.sources", *sources}
    assert not loaded & {"arxiv", "feedparser", "requests", "lxml", "urllib.request"}


def test_on_send_is_called_once_connected_and_before_the_request_leaves(server):
    seen: list[int] = []
    response, _ = bounded(lambda: http.get(url(server), timeout=TIMEOUT, on_send=lambda: seen.append(
        len(server.requests))))
    assert isinstance(response, http.Response) and seen == [0] and len(server.requests) == 1
    closed = ArxivStandin().start()
    closed.stop()
    with pytest.raises(http.HttpFailure):
        http.get(closed.url, timeout=TIMEOUT, on_send=lambda: seen.append(-1))
    assert seen == [0]


HEADS = ["", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
         "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 404 x\r\n"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(HEADS), st.text(st.characters(max_codepoint=255), max_size=300))
def test_any_answer_is_a_response_or_a_printable_failure(server, head, rest):
    server.fail(Fault("garbage", message=head + rest))
    result, _ = bounded(lambda: http.get(url(server), timeout=TIMEOUT))
    assert isinstance(result, (http.Response, http.HttpFailure)), repr(result)
    text = result.reason if isinstance(result, http.Response) else str(result)
    assert printable(text) == text
