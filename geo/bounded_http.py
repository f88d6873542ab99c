"""A geopy adapter whose every request is bounded: one wall-clock deadline, a body limit, same-host redirects.

geopy's adapters pass `timeout` to each socket read, so a server that drips one byte a second
never times out; they follow redirects to any host and read any body whole. Here the request
runs in a worker thread that the caller waits for at most `deadline` seconds (DNS, connect,
headers and body included); at the deadline the socket is shut down, which ends the worker.
The body is read in chunks up to `max_body` bytes and no compression is asked for, so what
arrives is what is held. Proxies are not used: a proxy is another host.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderParseError, GeocoderServiceError, GeocoderUnavailable

DEADLINE = 2.0  # seconds for a whole request: the UI must never wait longer for one provider call
MAX_BODY = 1_000_000  # bytes; a geocoding answer is a few kB
MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)


class NoAnswer(GeocoderUnavailable):
    """No usable HTTP answer in time: refused, unreachable, reset, not HTTP, or too slow.

    One message for all of them, so a notice never tells an open port from a closed one.
    """

    def __init__(self, deadline: float) -> None:
        """The same words whatever went wrong."""
        super().__init__(f"no HTTP answer within {deadline:g} s")


class BoundedAdapter(BaseSyncAdapter):
    """geopy's sync adapter contract over http.client, with a total deadline and a body limit."""

    def __init__(self, *, proxies: Any = None, ssl_context: Any = None, deadline: float = DEADLINE,
                 max_body: int = MAX_BODY) -> None:
        """Keep the limits; `proxies` is accepted for geopy's factory call and ignored."""
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.ssl_context, self.deadline, self.max_body = ssl_context, deadline, max_body

    def get_json(self, url: str, *, timeout: float | None, headers: dict[str, str]) -> Any:
        """The answer parsed as JSON; GeocoderParseError if it is not (deep nesting included)."""
        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise GeocoderParseError("the answer is not valid JSON") from None

    def get_text(self, url: str, *, timeout: float | None, headers: dict[str, str]) -> str:
        """The answer's text within min(timeout, deadline) seconds, or a geopy error saying why not."""
        limit = min(timeout or self.deadline, self.deadline)
        request = _Request(self, url, headers, time.monotonic() + limit)
        worker = threading.Thread(target=request.run, name="geocoder-request", daemon=True)
        worker.start()
        worker.join(limit)
        if worker.is_alive():
            request.abandon()  # unblocks the worker's read; it ends on its own
            raise NoAnswer(limit)
        if request.error is not None:
            raise request.error
        return request.text


class _Request:
    """One GET with its redirects, run in a worker thread; keeps the result or the error."""

    def __init__(self, adapter: BoundedAdapter, url: str, headers: dict[str, str], deadline: float) -> None:
        """Nothing is sent until run()."""
        self.adapter, self.url, self.headers, self.deadline = adapter, url, headers, deadline
        self.text = ""
        self.error: BaseException | None = None
        self._connection: http.client.HTTPConnection | None = None
        self._response: http.client.HTTPResponse | None = None
        # The raw socket: after getresponse() the connection lets go of it (the response's file
        # keeps it open), so shutting it down is the one way to stop a read from another thread.
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._abandoned = False

    def run(self) -> None:
        """Fetch, mapping every transport failure to NoAnswer."""
        try:
            self.text = self._fetch()
        except (GeocoderServiceError, AdapterHTTPError) as error:
            self.error = error
        except (OSError, http.client.HTTPException, ValueError):
            self.error = NoAnswer(self.adapter.deadline)
        finally:
            self._close()

    def abandon(self) -> None:
        """Shut the socket down so a read blocked in the worker returns at once."""
        with self._lock:
            self._abandoned = True
            _shut(self._sock)

    def _remaining(self) -> float:
        """Seconds left before the deadline; NoAnswer once it has passed or the caller gave up."""
        left = self.deadline - time.monotonic()
        if left <= 0 or self._abandoned:
            raise NoAnswer(self.adapter.deadline)
        return left

    def _connect(self, url: str) -> http.client.HTTPConnection:
        """An open connection for `url` (http or https only), registered so abandon() can close it."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise GeocoderServiceError(f"refused a {parts.scheme or 'relative'} URL; only http(s) is used")
        if parts.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=self._remaining(), context=self.adapter.ssl_context)
        else:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self._remaining())
        with self._lock:
            self._close()
            self._connection = connection
        connection.connect()
        with self._lock:  # abandon() may have run while connect() had no socket to shut down
            self._sock = connection.sock
            if self._abandoned:
                raise NoAnswer(self.adapter.deadline)
        return connection

    def _close(self) -> None:
        """Close the current response, connection and socket, if any (the fd is freed now, not at GC)."""
        if self._response is not None:
            self._response.close()
        if self._connection is not None:
            self._connection.close()
        _shut(self._sock)

    def _fetch(self) -> str:
        """GET the URL, following up to MAX_REDIRECTS redirects on the same host; the body as text."""
        url = self.url
        for _ in range(MAX_REDIRECTS + 1):
            connection = self._connect(url)
            parts = urlsplit(url)
            target = parts.path or "/"
            connection.request("GET", f"{target}?{parts.query}" if parts.query else target,
                               headers={**self.headers, "Accept-Encoding": "identity", "Connection": "close"})
            response = self._response = connection.getresponse()
            if response.status in _REDIRECTS:
                url = self._redirect(url, response.getheader("Location") or "")
                continue
            body = self._body(response)
            text = _decode(body, response.headers.get_content_charset() or "utf-8")
            if response.status >= 400:
                raise AdapterHTTPError(f"Non-successful status code {response.status}", status_code=response.status,
                                       headers={k.lower(): v for k, v in response.getheaders()}, text=text)
            return text
        raise GeocoderServiceError(f"more than {MAX_REDIRECTS} redirects; not followed")

    def _redirect(self, url: str, location: str) -> str:
        """The URL a redirect points to, if it stays on the same host; GeocoderServiceError otherwise."""
        target = urljoin(url, location)
        host, new_host = urlsplit(url).hostname, urlsplit(target).hostname
        if not location or new_host != host:
            raise GeocoderServiceError(f"redirected to another host ({new_host or 'none'}); not followed")
        return target

    def _body(self, response: http.client.HTTPResponse) -> bytes:
        """At most max_body bytes of the body, read chunk by chunk against the deadline."""
        limit = self.adapter.max_body
        declared = response.getheader("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > limit:
            raise GeocoderServiceError(f"the answer is {int(declared):,} bytes; the limit is {limit:,}")
        chunks, size = [], 0
        while True:
            self._remaining()
            chunk = response.read1(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                raise GeocoderServiceError(f"the answer is over the limit of {limit:,} bytes")
            chunks.append(chunk)


def _shut(sock: socket.socket | None) -> None:
    """Shut a socket down both ways (a blocked recv returns at once), ignoring one already closed."""
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _decode(body: bytes, charset: str) -> str:
    """The body as text; GeocoderParseError for an unknown charset or bytes that do not decode."""
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise GeocoderParseError("the answer's bytes do not decode as text") from None
