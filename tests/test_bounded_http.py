"""geo.bounded_http against stub servers on 127.0.0.1: total deadline, body limit, redirects, one notice."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from geopy.exc import GeocoderParseError, GeocoderServiceError

from geo.bounded_http import BoundedAdapter, NoAnswer
from geo.cache import JsonCache
from geo.gazetteer import Gazetteer
from geo.geocoding import NO_ANSWER, GeocodingChain, RateLimit, make_provider
from stub_geocoder import STUB_POINT, StubGeocoder, closed_port

DEADLINE = 1.0  # shorter than the real 2 s, to keep the suite quick
HANG_GUARD = DEADLINE + 1.0  # a request must end within about its deadline, whatever the server does


@pytest.fixture(scope="module", autouse=True)
def _warm_gazetteer() -> None:
    """Build the session's GeoNames index before anything is timed (the first lookup builds it)."""
    Gazetteer().geocode("Mexicali")


def adapter(**limits: float) -> BoundedAdapter:
    """An adapter with the test deadline."""
    return BoundedAdapter(deadline=limits.pop("deadline", DEADLINE), **limits)


def get(stub: StubGeocoder, bounded: BoundedAdapter | None = None) -> tuple[object, float]:
    """(JSON or the exception raised, seconds taken) for a /search request to the stub."""
    started = time.monotonic()
    try:
        result: object = (bounded or adapter()).get_json(f"http://{stub.domain}/search?q=Tijuana&format=json",
                                                         timeout=DEADLINE, headers={})
    except Exception as error:  # noqa: BLE001 (the test inspects it)
        result = error
    return result, time.monotonic() - started


def test_a_slow_drip_is_cut_at_the_total_deadline() -> None:
    """One byte every 0.2 s never trips a per-read timeout; the wall-clock deadline ends it."""
    with StubGeocoder("drip", delay=10) as stub:
        result, elapsed = get(stub)
        assert isinstance(result, NoAnswer)
        assert DEADLINE - 0.1 <= elapsed < HANG_GUARD
        time.sleep(1.0)  # the server notices the shut connection on its next writes
        dripped = stub.sent[0]
        time.sleep(1.0)
        assert stub.sent[0] == dripped  # it stopped dripping: nobody is left reading


@pytest.mark.parametrize("mode", ["huge", "huge-unsized"])
def test_a_huge_body_is_refused_without_reading_it_whole(mode: str) -> None:
    with StubGeocoder(mode) as stub:
        result, elapsed = get(stub)
    assert isinstance(result, GeocoderServiceError) and "1,000,000" in str(result)
    assert elapsed < HANG_GUARD


def test_a_small_body_limit_applies_to_ordinary_answers() -> None:
    with StubGeocoder("ok") as stub:
        result, _ = get(stub, adapter(max_body=10))
    assert isinstance(result, GeocoderServiceError)


def test_a_redirect_to_another_host_is_not_followed() -> None:
    with StubGeocoder("redirect-away") as stub:
        result, _ = get(stub)
    assert isinstance(result, GeocoderServiceError)
    assert "redirected to another host (127.0.0.2); not followed" in str(result)
    assert len(stub.requests) == 1


def test_a_redirect_on_the_same_host_is_followed() -> None:
    with StubGeocoder("redirect") as stub:
        result, _ = get(stub)
    assert isinstance(result, list) and (float(result[0]["lat"]), float(result[0]["lon"])) == STUB_POINT
    assert len(stub.requests) == 2


def test_deeply_nested_json_is_a_parse_error_not_a_crash() -> None:
    with StubGeocoder("deep") as stub:
        result, _ = get(stub)
    assert isinstance(result, GeocoderParseError)


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(GeocoderServiceError, match="only http"):
        adapter().get_text("file:///etc/passwd", timeout=DEADLINE, headers={})


@contextmanager
def tcp_server(behaviour: str) -> Iterator[int]:
    """A raw TCP port on 127.0.0.1 that is silent, or greets like a non-HTTP service, then closes."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except OSError:
                continue
            if behaviour == "banner":
                client.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
                client.close()
            else:
                threading.Timer(5, client.close).start()  # silent: hold the connection open

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        server.close()


def notice(port: int, tmp_path: Path) -> str:
    """The fallback a reader would see for a provider at 127.0.0.1:port, with the port taken out."""
    chain = GeocodingChain(Gazetteer(), make_provider("photon", domain=f"127.0.0.1:{port}", scheme="http",
                                                      timeout=DEADLINE),
                           cache=JsonCache(tmp_path / f"{port}.json"), rate_limit=RateLimit(0), timeout=DEADLINE)
    started = time.monotonic()
    fallback = chain.geocode("Mexicali").raw["fallback"]
    assert time.monotonic() - started < HANG_GUARD
    return fallback.replace(str(port), "PORT")


def test_the_notice_does_not_tell_open_ports_from_closed_ones(tmp_path: Path) -> None:
    """Closed, silent and non-HTTP ports read the same: the notice is no port scanner."""
    with tcp_server("silent") as silent, tcp_server("banner") as banner:
        notices = {notice(port, tmp_path) for port in (closed_port(), silent, banner)}
    assert len(notices) == 1, notices
    assert NO_ANSWER in notices.pop()
