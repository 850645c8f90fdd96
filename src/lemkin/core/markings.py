"""Classification markings: levels, compartments, the exercise flag, and the banner rule.

A page's banner is the combination of the markings of everything it *displays*: the highest level, the union
of the compartments (controls), and EXERCISE when any part is exercise material. Top and bottom banners are the
same string. Portion marks are the short form, e.g. ``(S//KESTREL)``. These are handling labels that help people
treat material correctly; accreditation of a deployment is its operator's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum


class Level(IntEnum):
    """Classification levels, ordered: a person may see material at or below their clearance."""

    UNCLASSIFIED = 0
    CONFIDENTIAL = 1
    SECRET = 2
    TOP_SECRET = 3

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")

    @property
    def abbreviation(self) -> str:
        return {0: "U", 1: "C", 2: "S", 3: "TS"}[self.value]


EXERCISE = "EXERCISE"
_COMPARTMENT = re.compile(r"^[A-Z][A-Z0-9-]{1,31}$")


class MarkingError(ValueError):
    """A marking string or compartment name that cannot be parsed."""


@dataclass(frozen=True, order=True)
class Marking:
    """One marking: a level, zero or more compartments, and whether the material is exercise material."""

    level: Level = Level.UNCLASSIFIED
    compartments: frozenset[str] = field(default_factory=frozenset)
    exercise: bool = False

    def __post_init__(self) -> None:
        for name in self.compartments:
            if not _COMPARTMENT.match(name):
                raise MarkingError(
                    f"compartment {name!r}: use 2-32 capital letters, digits or hyphens, starting with a letter"
                )

    @property
    def banner(self) -> str:
        """The banner line, e.g. ``SECRET//KESTREL`` or ``EXERCISE — UNCLASSIFIED``."""
        text = "//".join([self.level.label, *sorted(self.compartments)])
        return f"{EXERCISE} — {text}" if self.exercise else text

    @property
    def portion(self) -> str:
        """The portion mark for one paragraph or field, e.g. ``(S//KESTREL)`` or ``(X-U)`` for exercise."""
        text = "//".join([self.level.abbreviation, *sorted(self.compartments)])
        return f"(X-{text})" if self.exercise else f"({text})"

    def dominates(self, other: Marking) -> bool:
        """True when material marked ``other`` may be shown under this marking's ceiling."""
        return self.level >= other.level and other.compartments <= self.compartments


def combine(markings: Iterable[Marking]) -> Marking:
    """The banner rule: highest level, union of compartments, EXERCISE if any portion is exercise.

    An empty page (nothing displayed) is UNCLASSIFIED.
    """
    level = Level.UNCLASSIFIED
    compartments: set[str] = set()
    exercise = False
    for marking in markings:
        level = max(level, marking.level)
        compartments |= marking.compartments
        exercise = exercise or marking.exercise
    return Marking(level, frozenset(compartments), exercise)


def parse(text: str) -> Marking:
    """Parse a banner (``SECRET//KESTREL``, ``EXERCISE — CONFIDENTIAL``) back into a marking."""
    raw = text.strip()
    exercise = raw.startswith(f"{EXERCISE} — ")
    if exercise:
        raw = raw[len(EXERCISE) + 3 :]
    head, *rest = raw.split("//")
    try:
        level = Level[head.strip().replace(" ", "_")]
    except KeyError:
        levels = ", ".join(level.label for level in Level)
        raise MarkingError(f"marking {text!r}: level {head!r} is not one of {levels}") from None
    return Marking(level, frozenset(part.strip() for part in rest), exercise)
