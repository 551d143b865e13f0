"""A light HTTP/1.1 client for the benchmarks' simulated phones: one per phone, with its own
cookies and its own kept-alive connections, over plain asyncio streams.

Why not httpx: the load generator shares this 2-core machine with the server it measures, and
every millisecond of the generator's CPU is one the server does not get. httpx cost the
generator about 1.2 ms of CPU per request (measured: bench/room.py at 1,000 phones, 14,166
requests, four worker processes using 55% of a core), more than Tandem's server spends
answering most of them; this client costs a tenth of that. It speaks only what the phones need
from a server on 127.0.0.1: GET and POST (a form), Content-Length or chunked bodies, gzip,
cookies set by the server (each sent back on every request, whatever its path: a phone here
visits one room), no redirects followed, and https only to loopback behind the benchmark's own
nginx (`bench/room.py --processes`), whose throwaway self-signed certificate is not checked.

Like a browser it keeps a connection open after a request and uses it again; one idle longer
than `keepalive` seconds is closed first (the server's own keep-alive is 5 s), and a request
that finds its kept-alive connection closed by the server before any reply is sent again once
on a new connection. A request cancelled midway (a long poll the phone gives up) closes its
connection, as a browser leaving a page does.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import json
import ssl
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit


class TransportError(Exception):
    """The connection failed: refused, reset, or closed before a whole reply."""


class Timeout(TransportError):
    """No whole reply within the client's timeout."""


@dataclass
class Reply:
    status_code: int
    headers: dict[str, str]  # names in lower case; a repeated header keeps its last value
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = field(default_factory=time.monotonic)

    def close(self) -> None:
        self.writer.close()


class Client:
    """One phone's client: `await client.request("GET", "/j/CODE")`."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 60.0,
        reuse_connections: bool = True,
        keepalive: float = 2.0,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or parts.hostname is None:
            raise ValueError(f"http or https to a host, not {base_url!r}")
        if parts.scheme == "https" and not _loopback_address(parts.hostname):
            raise ValueError(f"https only to a loopback IP address (the run's proxy): {base_url!r}")
        self.host = parts.hostname
        self.tls = _unchecked_tls() if parts.scheme == "https" else None
        self.port = parts.port or (443 if self.tls else 80)
        self.authority = parts.netloc
        self.timeout = timeout
        self.reuse_connections = reuse_connections
        self.keepalive = keepalive
        self.cookies: dict[str, str] = {}
        self._idle: list[_Connection] = []

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        data: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        if params:
            path = f"{path}?{urlencode(params)}"
        body = urlencode(data, doseq=True).encode() if data is not None else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.authority}",
            "Accept-Encoding: gzip",
        ]
        if data is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if not self.reuse_connections:
            lines.append("Connection: close")
        lines.extend(f"{name}: {value}" for name, value in (headers or {}).items())
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        try:
            return await asyncio.wait_for(self._exchange(message), self.timeout)
        except TimeoutError as error:
            raise Timeout(f"no reply in {self.timeout} s") from error

    async def _exchange(self, message: bytes) -> Reply:
        connection, reused = await self._connection()
        while True:
            try:
                connection.writer.write(message)
                reply, keep = await self._read(connection.reader)
            except asyncio.CancelledError:
                connection.close()
                raise
            except (OSError, ValueError, zlib.error, asyncio.IncompleteReadError) as error:
                connection.close()
                if reused and _closed_before_replying(error):
                    # The server closed the kept-alive connection as we used it: a browser
                    # sends the request again on a new one.
                    connection, reused = await self._open(), False
                    continue
                raise TransportError(str(error) or type(error).__name__) from error
            self._done_with(connection, keep)
            return reply

    async def _connection(self) -> tuple[_Connection, bool]:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()
            if now - connection.idle_since < self.keepalive:
                return connection, True
            connection.close()
        return await self._open(), False

    async def _open(self) -> _Connection:
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port, ssl=self.tls)
        except OSError as error:
            raise TransportError(str(error) or type(error).__name__) from error
        return _Connection(reader, writer)

    def _done_with(self, connection: _Connection, keep: bool) -> None:
        if keep and self.reuse_connections:
            connection.idle_since = time.monotonic()
            self._idle.append(connection)
        else:
            connection.close()

    async def _read(self, reader: asyncio.StreamReader) -> tuple[Reply, bool]:
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name = name.strip().lower()
            value = value.strip()
            if name == "set-cookie":
                cookie, _, _attributes = value.partition(";")
                cookie_name, _, cookie_value = cookie.partition("=")
                self.cookies[cookie_name.strip()] = cookie_value.strip()
            headers[name] = value
        keep = headers.get("connection", "").lower() != "close"
        if headers.get("transfer-encoding", "").lower() == "chunked":
            content = await _chunked(reader)
        elif "content-length" in headers:
            content = await reader.readexactly(int(headers["content-length"]))
        elif status in (204, 304) or 100 <= status < 200:
            content = b""
        else:  # the body runs to the end of the connection
            content, keep = await reader.read(), False
        if headers.get("content-encoding") == "gzip":
            content = zlib.decompress(content, wbits=31)
        return Reply(status, headers, content), keep

    async def aclose(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()


def _loopback_address(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it could resolve anywhere


@functools.cache
def _unchecked_tls() -> ssl.SSLContext:
    """One context for every phone of a process (each its own would cost memory and time): TLS
    as a phone speaks it, without checking the benchmark's own throwaway certificate."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _closed_before_replying(error: Exception) -> bool:
    """Whether the connection failed before the server had sent a byte of its reply (so the
    request can be sent again without risk of its being taken twice)."""
    if isinstance(error, asyncio.IncompleteReadError):
        return not error.partial
    return isinstance(error, ConnectionResetError | BrokenPipeError)


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # the last chunk's line (no trailers expected)
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
