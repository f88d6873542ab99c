"""The geocoders a reader may choose: the offline gazetteer, plus servers named in configuration.

A reader never types a host: the app offers this fixed list. Servers come from two places, the
app's secrets (it passes `st.secrets.get("geocoders", {})`, so geo/ needs no streamlit) and the
STORY_MAP_GEOCODERS environment variable. Either names each server by a label:

    # .streamlit/secrets.toml
    [geocoders]
    osm = "nominatim"                                  # the public server (its usage policy applies)
    local = "photon:http://127.0.0.1:2322"             # or a table: {provider = "photon", url = "..."}

    STORY_MAP_GEOCODERS="osm=nominatim, local=photon:http://127.0.0.1:2322"

A bare provider name ("nominatim", "photon") means its public server. The URL is scheme, host
and port only: no path, query or user:password. Entries that cannot be used are reported, not
guessed at.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

GEOCODERS_ENV = "STORY_MAP_GEOCODERS"
ONLINE = ("nominatim", "photon")
PROVIDERS = ("offline", *ONLINE)  # here, not in geo.geocoding, so `geo check` need not import geopy


@dataclass(frozen=True)
class Server:
    """One choosable geocoder: make_provider(provider, domain=domain, scheme=scheme) builds it."""

    label: str
    provider: str  # "offline", "nominatim" or "photon"
    domain: str | None = None  # host[:port]; None for the provider's public server
    scheme: str = "https"


OFFLINE = Server("offline", "offline")


def parse_server(label: str, spec: Any) -> Server:
    """A server from "provider", "provider:URL" or {provider, url}; ValueError says what is wrong."""
    if isinstance(spec, Mapping):
        provider, url = spec.get("provider"), spec.get("url")
    elif isinstance(spec, str):
        provider, _, url = spec.strip().partition(":")
    else:
        raise ValueError(f"geocoder {label!r}: expected \"provider\" or \"provider:URL\", found {type(spec).__name__}")
    if provider not in ONLINE:
        raise ValueError(f"geocoder {label!r}: unknown provider {provider!r}; choose {' or '.join(ONLINE)}")
    if not url:
        return Server(label, provider)
    parts = urlsplit(str(url).strip())
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        raise ValueError(f"geocoder {label!r}: the port in {url!r} is not a number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"geocoder {label!r}: {url!r} must be http(s)://host[:port]")
    if parts.username or parts.password or parts.path.strip("/") or parts.query or parts.fragment:
        raise ValueError(f"geocoder {label!r}: {url!r} may hold only scheme, host and port")
    return Server(label, provider, parts.netloc, parts.scheme)


def _entries(text: str) -> list[tuple[str, str]]:
    """(label, spec) pairs from "label=spec, spec, ..." (a bare spec is labelled by its provider)."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        label, _, spec = item.partition("=") if "=" in item else (item.split(":")[0], "", item)
        pairs.append((label.strip(), spec.strip()))
    return pairs


def allowed_servers(secrets: Mapping[str, Any] | None = None,
                    environ: Mapping[str, str] | None = None) -> tuple[dict[str, Server], list[str]]:
    """label → Server (offline first), and a message for each configured entry that was left out."""
    environ = os.environ if environ is None else environ
    servers, problems = {OFFLINE.label: OFFLINE}, []
    configured = [*(secrets or {}).items(), *_entries(environ.get(GEOCODERS_ENV, ""))]
    for label, spec in configured:
        label = str(label)
        if label in servers:
            problems.append(f"geocoder {label!r} is named twice; the first one is kept")
            continue
        try:
            servers[label] = parse_server(label, spec)
        except ValueError as error:
            problems.append(str(error))
    return servers, problems
