"""geo.distance: geodesic legs and the article's claims set beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.distance import KM_PER_MILE, check_claim, leg
from geo.story import load_story
from geo.model import Distance

# GeoNames positions (Tijuana 3981609, Mexicali 3996069); Central America and Honduras are the overlay's points.
TIJUANA = (32.50271, -117.00371)
MEXICALI = (32.62781, -115.45446)
CENTRAL_AMERICA = (13.37, -86.2)
HONDURAS = (15.0, -86.5)
SEED = Path(__file__).resolve().parents[1] / "data" / "story.yaml"


def test_tijuana_mexicali_is_about_146_km() -> None:
    """The straight line is about 146 km (91 miles), either way round."""
    there = leg(TIJUANA, MEXICALI)
    assert there.km == pytest.approx(146, abs=1)
    assert there.miles == pytest.approx(there.km / KM_PER_MILE)
    assert leg(MEXICALI, TIJUANA).km == pytest.approx(there.km)


def test_the_180_km_claim_is_worded_honestly() -> None:
    """The article's 180 km stands beside the 146 km line as a longer, road-like figure."""
    claim = Distance(start="tijuana", end="mexicali", quote="180km to the east", stated_km=180)
    check = check_claim(claim, leg(TIJUANA, MEXICALI).km)
    assert check.verdict == "longer" and check.stated_km == 180
    assert check.text == (
        "The article says 180 km; the straight line is 146 km. "
        "The article's figure is longer, as a road route would be."
    )


def test_the_more_than_4000_km_claim_keeps_its_words() -> None:
    """'More than 4,000 km (2,500 miles)' is quoted with its qualifier and miles."""
    claim = Distance(
        start="central_america", end="tijuana", quote="more than 4,000km (2,500 miles)",
        stated_km=4000, stated_miles=2500, qualifier="more than",
    )
    check = check_claim(claim, leg(CENTRAL_AMERICA, TIJUANA).km)
    assert check.verdict == "longer" and check.ratio is not None and check.ratio > 1
    assert check.text.startswith("The article says more than 4,000 km (2,500 miles); the straight line is 3,7")
    assert check.text.endswith("longer, as a road route would be.")


@pytest.mark.parametrize(
    ("stated_km", "stated_miles", "geodesic_km", "verdict", "words"),
    [
        (None, None, 146.0, "unstated", "The article gives no figure; the straight line is 146 km."),
        (150, None, 146.0, "matches", "agree within 5%"),
        (100, None, 146.0, "shorter", "shorter than the straight line, which no route can be"),
        (None, 100, 146.0, "longer", "The article says 100 miles;"),
    ],
)
def test_other_verdicts(
    stated_km: float | None, stated_miles: float | None, geodesic_km: float, verdict: str, words: str
) -> None:
    """Unstated, matching, impossible-short and miles-only figures each get their own words."""
    claim = Distance(start="a", end="b", stated_km=stated_km, stated_miles=stated_miles)
    check = check_claim(claim, geodesic_km)
    assert check.verdict == verdict and words in check.text


def test_the_seed_answers_give_the_straight_lines_of_this_maps_points() -> None:
    """The answers' "on this map's points" figures are the geodesics between the gazetteer's points."""
    answers = {step.id: " ".join(q.answer for q in step.questions) for step in load_story(SEED).steps}
    assert f"about {leg(TIJUANA, MEXICALI).km:,.0f} km (geodesic)" in answers["waiting"]
    assert f"about {round(leg(HONDURAS, TIJUANA).km, -1):,.0f} km (geodesic)" in answers["journey"]
