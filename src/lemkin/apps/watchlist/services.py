"""What other apps may ask of the watchlist (views of other apps call these, never the models)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lemkin.apps.accounts.access import visible

from .models import Country


@dataclass(frozen=True)
class Summary:
    countries: int
    exercise: int
    shown: list[Country] = field(default_factory=list)


def summary_for(person: Any, limit: int = 25) -> Summary:
    """The watchlist as ``person`` may see it: counts and the first countries (counts never include hidden rows)."""
    countries = visible(Country.objects.all(), person)
    return Summary(
        countries=countries.count(),
        exercise=countries.filter(is_exercise=True).count(),
        shown=list(countries.select_related("compartment")[:limit]),
    )
