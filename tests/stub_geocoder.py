"""A local stand-in for Nominatim (/search) and Photon (/api) that can be told how to misbehave."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MODES = ("ok", "empty", "429", "500", "slow", "garbage", "far", "drip", "redirect", "redirect-away",
         "huge", "huge-unsized", "deep")
# Where the stub says every query is: Tijuana, so answers are easy to tell from the overlay's.
STUB_POINT = (32.5, -117.0)
# Where a lying server ("far") says every query is: Sydney.
FAR_POINT = (-33.87, 151.21)
HUGE = 3_000_000  # bytes of a "huge" answer: three times the 1 MB limit


def nominatim_body(query: str, point: tuple[float, float] = STUB_POINT) -> list[dict[str, Any]]:
    """A Nominatim /search?format=json answer with one result."""
    lat, lon = point
    return [{"lat": str(lat), "lon": str(lon), "display_name": f"{query}, Baja California, México",
             "name": query, "type": "city", "addresstype": "city", "address": {"country_code": "mx"}}]


def photon_body(query: str, point: tuple[float, float] = STUB_POINT) -> dict[str, Any]:
    """A Photon /api GeoJSON answer with one feature."""
    lat, lon = point
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"name": query, "country": "México", "countrycode": "MX", "type": "city"}}]}


@dataclass
class StubGeocoder:
    """A threaded HTTP server on 127.0.0.1 (port 0); use as a context manager."""

    mode: str = "ok"
    delay: float = 3.0  # how long "slow" waits before answering, and "drip" keeps dripping
    requests: list[dict[str, Any]] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)  # bytes of body written per request (huge, drip)

    def __enter__(self) -> StubGeocoder:
        """Start serving in a daemon thread."""
        stub = self

        class Handler(BaseHTTPRequestHandler):
            """Answers per the stub's current mode."""

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                """Record the request, then answer."""
                parts = urlsplit(self.path)
                query = parse_qs(parts.query).get("q", [""])[0]
                stub.requests.append({"path": parts.path, "query": query, "time": time.monotonic(),
                                      "user_agent": self.headers.get("User-Agent")})
                if stub.mode == "slow":
                    time.sleep(stub.delay)
                if stub.mode in ("redirect", "redirect-away") and not parts.query.startswith("moved&"):
                    # Same host: the path again, marked; away: another loopback host (never contacted).
                    host = "127.0.0.2" if stub.mode == "redirect-away" else "127.0.0.1"
                    self._redirect(f"http://{host}:{self.server.server_address[1]}{parts.path}?moved&{parts.query}")
                elif stub.mode == "drip":
                    self._drip(json.dumps(nominatim_body(query) if parts.path == "/search" else photon_body(query)))
                elif stub.mode in ("huge", "huge-unsized"):
                    self._huge(sized=stub.mode == "huge")
                elif stub.mode == "deep":
                    self._send(200, b"[" * 100_000 + b"]" * 100_000)
                elif stub.mode in ("429", "500"):
                    self._send(int(stub.mode), b'{"error": "stub"}')
                elif stub.mode == "garbage":
                    self._send(200, b"<html>this is not json{")
                elif stub.mode == "empty":
                    self._send(200, b"[]" if parts.path == "/search" else b'{"features": []}')
                else:
                    point = FAR_POINT if stub.mode == "far" else STUB_POINT
                    body = nominatim_body(query, point) if parts.path == "/search" else photon_body(query, point)
                    self._send(200, json.dumps(body).encode())

            def _redirect(self, location: str) -> None:
                """A 302 to `location`."""
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _drip(self, body: str) -> None:
                """Headers at once, then the body one byte every 0.2 s (each read sees data, none times out)."""
                data, sent = body.encode(), 0
                stub.sent.append(0)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    started = time.monotonic()
                    while sent < len(data) and time.monotonic() - started < stub.delay:
                        self.wfile.write(data[sent : sent + 1])
                        self.wfile.flush()
                        sent += 1
                        stub.sent[-1] = sent
                        time.sleep(0.2)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _huge(self, sized: bool) -> None:
                """HUGE bytes of JSON-ish padding, with or without a Content-Length; counts what was sent."""
                stub.sent.append(0)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    if sized:
                        self.send_header("Content-Length", str(HUGE))
                    self.end_headers()
                    block = b" " * 65536
                    while stub.sent[-1] < HUGE:
                        self.wfile.write(block)
                        stub.sent[-1] += len(block)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def _send(self, status: int, body: bytes) -> None:
                """Write a JSON-typed response, ignoring a client that already gave up."""
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                """Keep test output quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False  # don't wait for a "slow" handler on shutdown
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    @property
    def domain(self) -> str:
        """host:port for geopy's `domain=`."""
        return f"127.0.0.1:{self.server.server_address[1]}"


def closed_port() -> int:
    """A local port with nothing listening (bound, then released), for connection-refused tests."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
