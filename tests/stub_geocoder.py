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

MODES = ("ok", "empty", "429", "500", "slow", "garbage")
# Where the stub says every query is: Tijuana, so answers are easy to tell from the overlay's.
STUB_POINT = (32.5, -117.0)


def nominatim_body(query: str) -> list[dict[str, Any]]:
    """A Nominatim /search?format=json answer with one result."""
    lat, lon = STUB_POINT
    return [{"lat": str(lat), "lon": str(lon), "display_name": f"{query}, Baja California, México",
             "name": query, "type": "city", "addresstype": "city", "address": {"country_code": "mx"}}]


def photon_body(query: str) -> dict[str, Any]:
    """A Photon /api GeoJSON answer with one feature."""
    lat, lon = STUB_POINT
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"name": query, "country": "México", "countrycode": "MX", "type": "city"}}]}


@dataclass
class StubGeocoder:
    """A threaded HTTP server on 127.0.0.1 (port 0); use as a context manager."""

    mode: str = "ok"
    delay: float = 3.0  # how long "slow" waits before answering
    requests: list[dict[str, Any]] = field(default_factory=list)

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
                if stub.mode in ("429", "500"):
                    self._send(int(stub.mode), b'{"error": "stub"}')
                elif stub.mode == "garbage":
                    self._send(200, b"<html>this is not json{")
                elif stub.mode == "empty":
                    self._send(200, b"[]" if parts.path == "/search" else b'{"features": []}')
                else:
                    body = nominatim_body(query) if parts.path == "/search" else photon_body(query)
                    self._send(200, json.dumps(body).encode())

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
