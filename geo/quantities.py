"""The one place that turns a reported count ("almost 7,500", "dozens") into a numeric range.

Every range here is a reading aid for drawing and comparing, not a claim about the event:
the article's own words are always shown beside it.

| qualifier        | value  | range (low .. high)      | why                                          |
| ---------------- | ------ | ------------------------ | -------------------------------------------- |
| "" (bare number) | needed | value .. value           | the figure as written                        |
| "almost"         | needed | 90% of value .. value-1  | just under the figure: it was not reached    |
| "nearly"         | needed | 90% of value .. value-1  | same as "almost"                             |
| "about"/"around" | needed | 90% .. 110% of value     | either side of the figure                    |
| "roughly", "approximately", "some" | needed | 90% .. 110% | as "about"                         |
| "at least"       | needed | value .. (no upper end)  | open above: drawn as one ring, no upper end  |
| "more than"      | needed | value+1 .. (no upper end)| open above: drawn as one ring, no upper end  |
| "over"           | needed | value+1 .. 150% of value | as "more than"                               |
| "up to"          | needed | 50% .. 100% of value     | a ceiling; half of it is only a drawing floor|
| "dozens"         | none   | 24 .. 99                 | two dozen up to where "hundreds" begins      |
| "several hundred"| none   | 300 .. 900               | "several" read as three to nine              |
| "hundreds"       | none   | 200 .. 999               | at least two hundred, under a thousand       |
| "several thousand"| none  | 3,000 .. 9,000           | as "several hundred"                         |
| "thousands"      | none   | 2,000 .. 9,999           | as "hundreds"                                |
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo.i18n import Message
from geo.model import Count


class QuantityError(ValueError):
    """A qualifier this module does not know, or a value that does not fit its qualifier (args[0], a Message)."""


@dataclass(frozen=True)
class Rule:
    """How one qualifier turns into a range: by factors of the value, or fixed bounds."""

    low: float  # a factor of the value, or a fixed bound when the qualifier takes no value
    high: float
    needs_value: bool = True
    open_high: bool = False  # the article sets no upper bound; `high` is only where drawing stops
    exclusive_low: bool = False  # "more than 500" starts at 501
    exclusive_high: bool = False  # "almost 7,500" stops at 7,499: it says the figure was not reached
    of: bool = False  # English says "dozens of people" but "several hundred people"


# Keys are lower case; a count's qualifier is matched case-insensitively.
RULES: dict[str, Rule] = {
    "": Rule(1.0, 1.0),
    "almost": Rule(0.9, 1.0, exclusive_high=True),
    "nearly": Rule(0.9, 1.0, exclusive_high=True),
    "about": Rule(0.9, 1.1),
    "around": Rule(0.9, 1.1),
    "roughly": Rule(0.9, 1.1),
    "approximately": Rule(0.9, 1.1),
    "some": Rule(0.9, 1.1),
    "at least": Rule(1.0, 1.5, open_high=True),
    "more than": Rule(1.0, 1.5, open_high=True, exclusive_low=True),
    "over": Rule(1.0, 1.5, open_high=True, exclusive_low=True),
    "up to": Rule(0.5, 1.0),
    "dozens": Rule(24, 99, needs_value=False, of=True),
    "several hundred": Rule(300, 900, needs_value=False),
    "hundreds": Rule(200, 999, needs_value=False, of=True),
    "several thousand": Rule(3000, 9000, needs_value=False),
    "thousands": Rule(2000, 9999, needs_value=False, of=True),
}
QUALIFIERS: tuple[str, ...] = tuple(RULES)


def rule(qualifier: str) -> Rule:
    """The rule for a qualifier; QuantityError names the known ones when it is unknown."""
    try:
        return RULES[qualifier.strip().lower()]
    except KeyError:
        known = ", ".join(repr(q) for q in QUALIFIERS)
        raise QuantityError(Message("unknown qualifier {qualifier} (known: {known})", qualifier=repr(qualifier),
                                    known=known)) from None


def quantity_range(qualifier: str, value: int | None) -> tuple[int, int]:
    """The (low, high) range, inclusive, for a qualifier and the figure written beside it."""
    found = rule(qualifier)
    if not found.needs_value:
        if value is not None:
            raise QuantityError(Message("{qualifier} is a vague word: leave value empty, not {value}",
                                        qualifier=repr(qualifier), value=value))
        return int(found.low), int(found.high)
    if value is None:
        raise QuantityError(Message("qualifier {qualifier} needs the value the article gives", qualifier=repr(qualifier)))
    if value < 0:
        raise QuantityError(Message("a count cannot be negative ({value})", value=value))
    low = math.ceil(value * found.low) + (1 if found.exclusive_low else 0)
    return low, max(low, math.floor(value * found.high) - (1 if found.exclusive_high else 0))


def rule_reading(qualifier: str) -> str:
    """How a qualifier is read, in words: "90%–100% of the figure", "24–99" (a geo.i18n.Message)."""
    found = rule(qualifier)
    if not found.needs_value:
        return f"{found.low:,.0f}–{found.high:,.0f}"
    if found.open_high:
        if found.exclusive_low:
            return Message("from just above the figure up, with no upper end")
        return Message("from the figure up, with no upper end")
    if found.low == found.high:
        return Message("the figure as written")
    if found.exclusive_high:
        return Message("{low} of the figure up to just below it", low=f"{found.low:.0%}")
    return Message("{low}–{high} of the figure", low=f"{found.low:.0%}", high=f"{found.high:.0%}")


def count_range(count: Count) -> tuple[int, int]:
    """The (low, high) range, inclusive, of a reported count."""
    return quantity_range(count.qualifier, count.value)


def words(count: Count) -> str:
    """The count as the article puts it, in order: "almost 7,500 migrants", "dozens of people"."""
    found = rule(count.qualifier)
    of = "of" if found.of and count.what else ""
    return " ".join(part for part in (count.qualifier, _figure(count.value), of, count.what) if part)


def describe(count: Count) -> str:
    """The count in words with its range, e.g. "almost 7,500 migrants (6,750–7,499)"; an open-ended
    count says it has no upper end ("at least 500 migrants (500 or more)"). A geo.i18n.Message: the
    article's words stay as written in any language, the rest is translated where it is shown."""
    low, high = count_range(count)
    if low == high:
        return words(count)
    if rule(count.qualifier).open_high:
        return Message("{words} ({low} or more)", words=words(count), low=f"{low:,}")
    return f"{words(count)} ({low:,}–{high:,})"


def _figure(value: int | None) -> str:
    """The value with thousands separators, or nothing for vague words."""
    return "" if value is None else f"{value:,}"
