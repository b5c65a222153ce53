"""One HTTP GET with one hard wall-clock deadline and a size cap, and nothing else.

A socket timeout only bounds each silence: a server that keeps talking (endless
``100 Continue`` lines, endless chunked trailers, a body a byte at a time) holds
``http.client`` forever. Here every read ``http.client`` makes goes through
:class:`_DeadlineReader`, which sets the socket timeout to the time left and fails once
the deadline has passed, so the name lookup, connect, TLS handshake, status line,
interim answers, headers, body and trailers all share one deadline.

Redirects are not followed: each hop is a request of its own that the caller paces
(:mod:`daily_papers.sources.tries`). Nothing here knows about Atom or arXiv.
"""

from __future__ import annotations

import functools
import http.client
import io
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from daily_papers.printable import printable

MAX_BODY = 32 * 1024 * 1024
"""Bytes an answer may have: a real 2000-paper page of the API is about 5 MB."""

_READ_SIZE = 1 << 16


class HttpFailure(Exception):
    """The request brought no whole answer; the message says why, in printable text."""


@dataclass(frozen=True)
class Response:
    """A whole answer: its status, reason phrase (printable), headers and body."""

    url: str
    status: int
    reason: str
    headers: Message
    body: bytes
    """Empty for an answer other than 2xx whose body could not be read whole."""


def get(url: str, *, timeout: float, headers: Mapping[str, str] | None = None, max_bytes: int = MAX_BODY,
        on_send: Callable[[], None] | None = None) -> Response:
    """GET ``url`` (http or https) within ``timeout`` seconds in all; raises :class:`HttpFailure`.

    ``on_send`` is called once connected, just before the request leaves: a pacer marks
    the start there, so a slow name lookup or connect does not shrink the next gap.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a broken IPv6 address or port
        raise HttpFailure(f"not a web address: {printable(url)}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HttpFailure(f"not a web address: {printable(url)}")
    deadline = time.monotonic() + timeout
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    connection = _Connection(parts.hostname, port, deadline, tls=parts.scheme == "https", on_send=on_send)
    reader: _DeadlineReader | None = None
    try:
        connection.request("GET", target, headers={"Connection": "close", **(headers or {})})
        reader = connection.reader
        response = connection.getresponse()
        reason = printable(response.reason or "")
        if 200 <= response.status < 300:
            body = _read_body(response, max_bytes, timeout)
        else:
            body = _read_quietly(response, max_bytes, timeout)
        return Response(url, response.status, reason, response.headers, body)
    except HttpFailure:
        raise
    except TimeoutError:
        got = reader.received if reader else 0
        if got:
            raise HttpFailure(f"no whole status and headers within {timeout:g} s ({got} bytes so far)") from None
        raise HttpFailure(f"no answer within {timeout:g} s") from None
    except http.client.IncompleteRead as err:
        raise HttpFailure(f"answer cut short after {len(err.partial)} bytes") from None
    except (http.client.HTTPException, OSError, ValueError) as err:
        raise HttpFailure(f"connection failed: {printable(str(err) or type(err).__name__)}") from None
    finally:
        connection.close()
        if connection.raw is not None:
            connection.raw.close()


def _read_body(response: http.client.HTTPResponse, max_bytes: int, timeout: float) -> bytes:
    """The whole body, refused once it passes ``max_bytes`` (before reading, when its
    ``Content-Length`` says so) or when it ends before its ``Content-Length``."""
    expected = response.length
    if expected is not None and expected > max_bytes:
        raise HttpFailure(f"answer of {expected} bytes refused: more than the {max_bytes} allowed")
    chunks: list[bytes] = []
    received = 0
    try:
        while chunk := response.read1(_READ_SIZE):
            chunks.append(chunk)
            received += len(chunk)
            if received > max_bytes:
                raise HttpFailure(f"answer refused after {received} bytes: more than the {max_bytes} allowed")
    except TimeoutError:
        raise HttpFailure(f"answer still arriving after {timeout:g} s ({received} bytes so far)") from None
    except http.client.IncompleteRead as err:
        got = received + len(err.partial)
        raise HttpFailure(f"answer cut short: {got} of {expected} bytes" if expected is not None else
                          f"answer cut short after {got} bytes") from None
    if expected is not None and received < expected:
        raise HttpFailure(f"answer cut short: {received} of {expected} bytes")
    return b"".join(chunks)


def _read_quietly(response: http.client.HTTPResponse, max_bytes: int, timeout: float) -> bytes:
    """An error answer's body, or nothing: its status says what matters."""
    try:
        return _read_body(response, max_bytes, timeout)
    except (HttpFailure, http.client.HTTPException, OSError):
        return b""


class _Connection(http.client.HTTPConnection):
    """An HTTP(S) connection whose every phase, from the name lookup on, ends by ``deadline``."""

    def __init__(self, host: str, port: int | None, deadline: float, *, tls: bool,
                 on_send: Callable[[], None] | None):
        super().__init__(host, port or (443 if tls else 80))
        self.deadline = deadline
        self.tls = tls
        self.on_send = on_send
        self.reader: _DeadlineReader | None = None
        self.raw: socket.socket | None = None
        """The socket itself: closed by :func:`get` once the answer is read, not when
        ``http.client`` drops its end (the body may still be arriving then)."""

    def send(self, data: bytes) -> None:  # type: ignore[override]  # only bytes are sent here
        if self.sock is None:
            self.connect()
        if self.on_send is not None:
            self.on_send()
            self.on_send = None
        super().send(data)

    def connect(self) -> None:
        sock = _open(self.host, self.port, self.deadline)
        try:
            if self.tls:
                sock.settimeout(_left(self.deadline))  # the handshake as one call, bounded as a whole
                sock = _tls_context().wrap_socket(sock, server_hostname=self.host)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except BaseException:
            sock.close()
            raise
        self.raw = sock
        self.reader = _DeadlineReader(sock, self.deadline)
        self.sock = _DeadlineSocket(sock, self.deadline, self.reader)


class _DeadlineSocket:
    """The socket as ``http.client`` sees it: sends and reads end by the deadline."""

    def __init__(self, sock: socket.socket, deadline: float, reader: _DeadlineReader):
        self._sock = sock
        self._deadline = deadline
        self._reader = reader

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(_left(self._deadline))  # since Python 3.5 a bound for the whole call
        self._sock.sendall(data)

    def makefile(self, mode: str) -> io.BufferedReader:
        if mode != "rb":  # http.client reads answers only
            raise ValueError(f"only 'rb' is served, not {mode!r}")
        return io.BufferedReader(self._reader)

    def close(self) -> None:
        """Nothing: :func:`get` closes the socket when it is done with the answer."""


class _DeadlineReader(io.RawIOBase):
    """Raw reads of the socket, each with the time left as its timeout; counts bytes."""

    def __init__(self, sock: socket.socket, deadline: float):
        self._sock = sock
        self._deadline = deadline
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]  # any writable buffer
        self._sock.settimeout(_left(self._deadline))
        count = self._sock.recv_into(buffer)
        self.received += count
        return count


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """The system's CA certificates, loaded once a run."""
    return ssl.create_default_context()


def _left(deadline: float) -> float:
    """Seconds to the deadline; :class:`TimeoutError` once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    return left


def _open(host: str, port: int, deadline: float) -> socket.socket:
    """A connected socket to ``host``, the name lookup included in the deadline."""
    error: OSError = OSError(f"no address for {host}")
    for family, kind, proto, _, address in _resolve(host, port, deadline):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(_left(deadline))
            sock.connect(address)
            return sock
        except OSError as err:
            sock.close()
            if isinstance(err, TimeoutError):
                raise
            error = err
    raise error


def _resolve(host: str, port: int, deadline: float) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` within the deadline: the resolver has no timeout of its own to
    give, so it runs in a daemon thread that a deadline leaves behind. An address needs
    no lookup and gets no thread."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    found: list[Any] = []
    done = threading.Event()

    def look_up() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as err:
            found.append(err)
        finally:
            done.set()

    threading.Thread(target=look_up, name=f"resolve {host}", daemon=True).start()
    if not done.wait(_left(deadline)):
        raise TimeoutError(f"no address for {host} in time")
    if isinstance(found[0], OSError):
        raise found[0]
    addresses: list[tuple[Any, ...]] = found[0]
    return addresses
