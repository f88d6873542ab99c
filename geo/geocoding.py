"""The provider chain: cache → offline gazetteer → opt-in online provider (geopy's Nominatim/Photon).

An online provider is a trust boundary. Its requests are bounded (geo.bounded_http: 2 s in all,
1 MB, no redirect to another host) and its answers checked: one more than MAX_KM_OUTSIDE km
outside the place's countries (geo.countries) is refused with the reason, and the offline
gazetteer answers instead. Cached answers expire (geo.cache) and are checked again when read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from geopy.exc import (GeocoderParseError, GeocoderRateLimited, GeocoderServiceError, GeocoderTimedOut,
                       GeocoderUnavailable, GeopyError)
from geopy.geocoders import Nominatim, Photon
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geo.bounded_http import DEADLINE, BoundedAdapter
from geo.cache import JsonCache
from geo.gazetteer import CURATED, Gazetteer, normalize
from geo.i18n import Message, _
from geo.servers import PROVIDERS

if TYPE_CHECKING:  # pydantic costs ~90 ms to import; `geo geocode` never needs it
    from geo.model import Place, Story

logger = logging.getLogger(__name__)

USER_AGENT = "story-map/0.1 (classroom news maps)"
OSM_CITATION = "© OpenStreetMap contributors"
DEFAULT_DOMAINS = {"nominatim": "nominatim.openstreetmap.org", "photon": "photon.komoot.io"}
MAX_TIMEOUT = DEADLINE  # seconds for a whole request; the UI must never wait longer for one call
ONLINE_LIMIT = 5  # candidates asked for, so the UI can show what else the provider found
MAX_KM_OUTSIDE = 500  # an answer farther than this outside the place's countries is refused

# Not reached, refused, reset, not HTTP, too slow: one phrase and no detail, so a notice never
# tells an open port from a closed one.
NO_ANSWER = Message("could not be reached or did not answer in time")
# What a failure means, worded for the UI; checked in order, so subclasses come first.
_FAILURES: tuple[tuple[type[BaseException], str], ...] = (
    (GeocoderParseError, _("sent an answer that is not valid JSON ({detail})")),
    (GeocoderRateLimited, _("refused the request as too many (HTTP 429) ({detail})")),
    (GeocoderServiceError, _("answered with an error ({detail})")),
    (GeopyError, _("failed ({detail})")),
)
# Failures that will most likely repeat: after one, the provider is left alone for the session.
_SESSION_FATAL = (GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable, OSError)
# Map provider place types onto the story's kinds; anything else keeps the provider's own word.
_KINDS = {
    "country": "country", "city": "city", "town": "city", "village": "city", "hamlet": "city",
    "municipality": "city", "suburb": "neighbourhood", "neighbourhood": "neighbourhood",
    "quarter": "neighbourhood", "district": "neighbourhood", "border_control": "border crossing",
    "state": "region", "region": "region", "continent": "region",
}


class RateLimit:
    """At most one call per `min_interval` seconds across every thread that shares this object."""

    def __init__(self, min_interval: float = 1.0, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        """One lock and the time of the last call; no retries (geopy's RateLimiter retries 429s)."""
        self.min_interval = min_interval
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._last: float | None = None

    def wait(self) -> None:
        """Block until a call is allowed, then claim the slot."""
        with self._lock:
            now = self._clock()
            if self._last is not None and now - self._last < self.min_interval:
                self._sleep(self.min_interval - (now - self._last))
                now = self._clock()
            self._last = now


# Nominatim's usage policy: 1 request/second for the whole application, i.e. this process.
PROCESS_RATE_LIMIT = RateLimit(1.0)


def make_provider(name: str, domain: str | None = None, scheme: str = "https",
                  timeout: float = MAX_TIMEOUT) -> Geocoder:
    """A geocoder by name for the CLI/UI: 'offline', or geopy's Nominatim/Photon at `domain`."""
    if name == "offline":
        return Gazetteer()
    if name not in DEFAULT_DOMAINS:
        raise ValueError(f"unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}")
    # geopy's adapters time out per socket read and follow any redirect; this one does neither.
    options = dict(domain=domain or DEFAULT_DOMAINS[name], scheme=scheme,
                   timeout=min(timeout, MAX_TIMEOUT), user_agent=USER_AGENT,
                   adapter_factory=BoundedAdapter)
    return Nominatim(**options) if name == "nominatim" else Photon(**options)


def provider_name(geocoder: Geocoder) -> str:
    """'nominatim', 'photon', or the class name for any other geocoder."""
    return type(geocoder).__name__.lower()


def describe_failure(error: BaseException) -> str:
    """A short one-line human phrase for a provider failure."""
    # geopy's rate-limit error is also an OSError (IOError): only a plain socket error is "no answer".
    if isinstance(error, (GeocoderTimedOut, GeocoderUnavailable)) or (
            isinstance(error, OSError) and not isinstance(error, GeopyError)):
        return NO_ANSWER
    detail = " ".join(str(error).split())
    detail = detail if len(detail) <= 80 else detail[:77] + "..."
    for kind, phrase in _FAILURES:
        if isinstance(error, kind):
            return Message(phrase, detail=detail)
    return Message("failed ({detail})", detail=f"{type(error).__name__}: {detail}")


def _online_raw(provider: str, raw: dict[str, Any]) -> dict[str, Any]:
    """kind, country code and name from a Nominatim result or a Photon GeoJSON feature."""
    if provider == "photon":
        props = raw.get("properties", {})
        kind, code, name = props.get("type") or props.get("osm_value"), props.get("countrycode"), props.get("name")
    else:
        kind = raw.get("addresstype") or raw.get("type")
        code, name = raw.get("address", {}).get("country_code"), raw.get("name") or raw.get("display_name")
    return {"kind": _KINDS.get(kind, kind), "country_code": code.upper() if code else None, "matched": name}


def online_location(provider: str, found: list[Location]) -> Location:
    """The provider's first answer as a contract Location, the rest as alternatives."""
    first, rest = found[0], found[1:]
    alternatives = [{"name": other.address, "lat": other.latitude, "lon": other.longitude,
                     "country_code": _online_raw(provider, other.raw)["country_code"],
                     "population": None, "why": f"ranked lower by {provider}"} for other in rest]
    raw = {"source": provider, "population": None, "citation": OSM_CITATION,
           "alternatives": alternatives, "reason": f"{provider}'s best match", "fallback": None,
           **_online_raw(provider, first.raw), "provider_raw": first.raw}
    return Location(first.address, Point(first.latitude, first.longitude), raw)


def _with_raw(location: Location, **changes: Any) -> Location:
    """A copy of `location` with some raw keys changed (Locations are treated as immutable)."""
    return Location(location.address, location.point, {**location.raw, **changes})


class GeocodingChain:
    """cache → offline → online: curated overlay rows always win; other names go online if one is given."""

    def __init__(self, offline: Gazetteer, online: Geocoder | None = None, *,
                 cache: JsonCache | None = None, rate_limit: RateLimit = PROCESS_RATE_LIMIT,
                 timeout: float = MAX_TIMEOUT) -> None:
        """The geocoders are passed in; nothing here builds one or touches the network yet."""
        self.offline, self.online = offline, online
        self.cache = cache if cache is not None else (JsonCache() if online is not None else None)
        self.rate_limit = rate_limit
        self.timeout = min(timeout, MAX_TIMEOUT)
        self.down: str | None = None  # why the online provider is off for this session

    @property
    def provider(self) -> str:
        """The online provider's name, with its host when it is not the public default."""
        if self.online is None:
            return "offline"
        name = provider_name(self.online)
        domain = getattr(self.online, "domain", "")
        return name if domain == DEFAULT_DOMAINS.get(name) else f"{name}@{domain}"

    def cache_key(self, query: str, country_codes: Iterable[str] | None) -> str:
        """provider + normalized query (+ context countries, since they change Nominatim's answer)."""
        codes = ",".join(sorted(code.upper() for code in country_codes or ()))
        return f"{self.provider}|{normalize(query)}|{codes}"

    def geocode(self, query: str, *, country_codes: Iterable[str] | None = None) -> Location | None:
        """One best Location (raw per the contract) or None; never raises for provider failures."""
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or ())
        offline = self.offline.geocode(query, country_codes=codes or None)
        if self.online is None or (offline is not None and offline.raw["source"] in CURATED):
            return offline
        # The place's countries; with none given, the country the offline gazetteer puts it in.
        expected = codes or ([offline.raw["country_code"]] if offline is not None and offline.raw["country_code"] else [])
        key = self.cache_key(query, codes)
        cached = self._cached(key)
        if cached is not None and self._refusal(cached, expected) is None:
            return cached
        answer, failure = self._ask_online(query, codes)
        if answer is not None:
            failure = self._refusal(answer, expected) or ""
        if answer is not None and not failure:
            if self.cache is not None:
                self.cache.put(key, {"address": answer.address, "lat": answer.latitude,
                                     "lon": answer.longitude, "raw": answer.raw})
            return answer
        fallback = Message("{provider} {failure}; using the offline gazetteer instead.", provider=self.provider,
                           failure=failure)
        logger.warning("geocoding %r: %s", query, fallback)
        return _with_raw(offline, fallback=fallback) if offline is not None else None

    def _cached(self, key: str) -> Location | None:
        """A cached answer, or None if there is none, it expired, or it is malformed."""
        cached = self.cache.get(key) if self.cache is not None else None
        try:
            return Location(cached["address"], Point(cached["lat"], cached["lon"]),
                            {**cached["raw"], "source": f"cache:{cached['raw']['source']}"})
        except (KeyError, TypeError, ValueError):  # None, or a file someone edited
            return None

    def _refusal(self, answer: Location, expected: list[str]) -> str | None:
        """Why an online answer is refused (far outside the expected countries), or None."""
        if not expected:
            return None
        from geo.countries import far_outside  # reads the outlines on first use: online only

        try:
            reason = far_outside(expected, answer.latitude, answer.longitude, MAX_KM_OUTSIDE)
        except Exception as error:  # noqa: BLE001 (missing assets, unreadable data: fail closed)
            return Message("sent an answer that could not be checked ({detail})", detail=f"{type(error).__name__}: {error}")
        if not reason:
            return None
        return Message("answered {reason}: refused, as more than {km} km outside", reason=reason, km=MAX_KM_OUTSIDE)

    def _ask_online(self, query: str, codes: list[str]) -> tuple[Location | None, str]:
        """(answer, '') or (None, why not) from the online provider; every failure is caught here."""
        if self.down is not None:
            return None, Message("is off for this session: {reason}", reason=self.down)
        assert self.online is not None
        name = provider_name(self.online)
        options: dict[str, Any] = {"exactly_one": False, "timeout": self.timeout, "limit": ONLINE_LIMIT}
        if name == "nominatim":
            options.update(addressdetails=True, country_codes=codes or None)
        self.rate_limit.wait()
        try:
            found = self.online.geocode(query, **options)
        # A provider is a trust boundary: odd JSON shapes raise KeyError/TypeError etc. inside geopy.
        except (GeopyError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
            if isinstance(error, _SESSION_FATAL):
                self.down = describe_failure(error)
            return None, describe_failure(error)
        if not found:
            return None, Message("found no match for {query}", query=repr(query))
        try:
            return online_location(name, found), ""
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            return None, describe_failure(error)


def make_chain(provider: Geocoder | None = None, *, cache: JsonCache | None = None,
               offline: Gazetteer | None = None) -> GeocodingChain:
    """A chain for a geocoder from make_provider: a Gazetteer alone, or the offline one plus `provider`.

    `offline` is the gazetteer to ask first, e.g. one holding a story's own points (geo.pins).
    """
    if provider is None or isinstance(provider, Gazetteer):
        return GeocodingChain(offline or provider or Gazetteer())
    return GeocodingChain(offline or Gazetteer(), provider, cache=cache)


def story_countries(story: Story) -> list[str]:
    """The story's own countries (its places' country hints), the gazetteer's ranking context."""
    return sorted({place.country for place in story.places if place.country})


def locate_place(chain: GeocodingChain, place: Place, context: list[str]) -> Location | None:
    """One place geocoded: its own country hint ranks first; the story's countries are the wider context."""
    return chain.geocode(place.query, country_codes=[place.country] if place.country else context)


def locate_places(story: Story, provider: Geocoder | None = None, *,
                  chain: GeocodingChain | None = None) -> tuple[dict[str, Location], list[str]]:
    """Every place of the story geocoded (place id → Location), and notes on fallbacks and misses."""
    chain = chain or make_chain(provider)
    context = story_countries(story)
    found: dict[str, Location] = {}
    notes: list[str] = []
    for place in story.places:
        location = locate_place(chain, place, context)
        if location is None:
            notes.append(Message("{place}: no position found for {query}; it is left off the map.", place=place.name,
                                 query=repr(place.query)))
            continue
        found[place.id] = location
        if location.raw.get("fallback"):
            notes.append(Message("{place}: {note}", place=place.name, note=location.raw["fallback"]))
    return found, notes
