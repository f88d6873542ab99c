"""geo.quantities: the article's counts turned into documented ranges."""

from __future__ import annotations

import pytest

from geo.model import Count
from geo.quantities import QUALIFIERS, RULES, QuantityError, count_range, describe, quantity_range, rule, rule_reading


def count(qualifier: str, value: int | None, what: str = "migrants") -> Count:
    """A count with a placeholder quote and place."""
    return Count(quote="q", place="tijuana", what=what, value=value, qualifier=qualifier)


@pytest.mark.parametrize(
    ("qualifier", "value", "expected"),
    [
        ("almost", 7500, (6750, 7499)),  # "almost" says the figure was not reached
        ("nearly", 500, (450, 499)),
        ("at least", 500, (500, 750)),
        ("more than", 4000, (4001, 6000)),
        ("about", 100, (90, 110)),
        ("", 500, (500, 500)),
        ("dozens", None, (24, 99)),
        ("several hundred", None, (300, 900)),
        ("hundreds", None, (200, 999)),
        ("Several Hundred", None, (300, 900)),  # matched case-insensitively
    ],
)
def test_ranges(qualifier: str, value: int | None, expected: tuple[int, int]) -> None:
    """Each qualifier gives its documented inclusive range."""
    assert quantity_range(qualifier, value) == expected
    assert count_range(count(qualifier, value)) == expected


def test_every_rule_gives_an_ordered_range() -> None:
    """low <= high for every qualifier, with or without a value as it needs."""
    for qualifier in QUALIFIERS:
        low, high = quantity_range(qualifier, 1000 if rule(qualifier).needs_value else None)
        assert 0 <= low <= high


@pytest.mark.parametrize(
    ("qualifier", "value", "words"),
    [
        ("scores", 20, "unknown qualifier 'scores'"),
        ("almost", None, "needs the value"),
        ("dozens", 36, "vague word"),
        ("", -1, "negative"),
    ],
)
def test_bad_counts_raise(qualifier: str, value: int | None, words: str) -> None:
    """Unknown qualifiers and values that do not fit raise QuantityError, a ValueError."""
    with pytest.raises(QuantityError, match=words):
        quantity_range(qualifier, value)
    assert issubclass(QuantityError, ValueError)


def test_describe() -> None:
    """The count in the article's words with its range; open ranges say so."""
    assert describe(count("almost", 7500)) == "almost 7,500 migrants (6,750–7,499)"
    assert describe(count("dozens", None, "people")) == "dozens of people (24–99)"
    assert describe(count("at least", 500)) == "at least 500 migrants (500 or more)"
    assert describe(count("several hundred", None, "people")) == "several hundred people (300–900)"
    assert describe(count("", 12)) == "12 migrants"


def test_each_qualifier_is_read_out_in_words_for_the_about_page() -> None:
    """The About page's table of ranges comes from the same rules that draw the rings."""
    assert rule_reading("almost") == "90% of the figure up to just below it"
    assert rule_reading("dozens") == "24–99"
    assert rule_reading("at least") == "from the figure up, with no upper end"
    assert rule_reading("more than").startswith("from just above the figure up")
    assert rule_reading("") == "the figure as written"
    assert all(rule_reading(q) for q in RULES)
