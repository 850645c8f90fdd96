"""The tier ladder of the Atrocities Watchlist, tier proposals from a risk run, and trends per review period.

The chapter speaks of countries of "moderate concern" on the Atrocities Watchlist, for which the committee tasks
crisis prevention plans, and of countries with a "high and rising" level of risk, for which it requests
heightened surveillance and a crisis response plan. The default :data:`DEFAULT_LADDER` is therefore *not listed
→ moderate concern → high and rising*; a deployment may configure another ladder (any number of tiers, lowest
first).

**Proposals, never silent changes.** After a risk run, :func:`propose_tiers` says which tier each country's
figures point to and proposes a change only where that differs from its current tier; an analyst accepts,
amends or rejects each (the watchlist app stores the decision). A :class:`TierCriterion` says what a tier needs:

- a *level*: probability at least ``min_probability`` **or** rank at most ``max_rank`` (either suffices; the rank
  is the country's place in the run, 1 = highest probability, ties sharing the better rank), and
- optionally a *rise*: the change since the previous run at least ``min_change`` (absolute probability points,
  or relative when ``relative_change=True``). Without a previous run the rise cannot be shown, and the
  criterion is not met.

A country's proposed tier is the highest tier whose criterion it meets; each proposal lists the criteria met and
missed, and the factors behind the country's risk (the run's explanation, largest first).

**Hysteresis: entering a tier is harder than staying in it.** Without it a country whose risk hovers at a threshold
would be proposed up and down run after run, and a "high and rising" country whose risk stayed high but stopped
rising would be proposed for lowering at the next run. A country already at a tier (or above it) keeps it while it
meets the tier's *hold* level: ``hold_probability`` or ``hold_rank`` (each defaulting to the entry threshold, and
never stricter), with no rise needed unless ``hold_needs_rise=True``.

The default thresholds (:data:`DEFAULT_POLICY`) are illustrative, not the chapter's: moderate concern at a 4 %
probability or a top-30 rank (kept down to 3 % or the top 35); high and rising at 10 % or a top-10 rank *and* a
rise of at least one probability point (kept down to 8 % or the top 12, rising or not). Set them to the
committee's own standard.

:func:`trend` compares two review periods for a country: *deteriorated*, *improved* or *unchanged*, from two
tiers (by their place on the ladder) or two risk values (with a tolerance), as monthly conflict trackers report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

__all__ = [
    "DEFAULT_LADDER",
    "DEFAULT_POLICY",
    "HIGH_AND_RISING",
    "MODERATE_CONCERN",
    "NOT_LISTED",
    "ProposalSet",
    "Tier",
    "TierCriterion",
    "TierLadder",
    "TierPolicy",
    "TierProposal",
    "Trend",
    "propose_tiers",
    "trend",
    "trends",
]

NOT_LISTED = "not_listed"
MODERATE_CONCERN = "moderate_concern"
HIGH_AND_RISING = "high_and_rising"

Trend = Literal["deteriorated", "improved", "unchanged", "new"]


@dataclass(frozen=True)
class Tier:
    """One rung of the ladder: a stable key and the label pages show."""

    key: str
    label: str


@dataclass(frozen=True)
class TierLadder:
    """Tiers from lowest (not listed) to highest; the first tier is where unlisted countries sit."""

    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        keys = [t.key for t in self.tiers]
        if len(keys) < 2 or len(set(keys)) != len(keys):
            raise ValueError("a tier ladder needs at least two tiers with distinct keys")

    @property
    def lowest(self) -> Tier:
        """The tier of a country not on the list."""
        return self.tiers[0]

    def level(self, key: str) -> int:
        """The place of tier ``key`` on the ladder (0 = lowest)."""
        for i, t in enumerate(self.tiers):
            if t.key == key:
                return i
        raise KeyError(f"unknown tier {key!r}; the ladder has {', '.join(t.key for t in self.tiers)}")

    def get(self, key: str) -> Tier:
        """The tier with ``key``."""
        return self.tiers[self.level(key)]


DEFAULT_LADDER = TierLadder(
    (
        Tier(NOT_LISTED, "Not listed"),
        Tier(MODERATE_CONCERN, "Moderate concern"),
        Tier(HIGH_AND_RISING, "High and rising"),
    )
)


@dataclass(frozen=True)
class TierCriterion:
    """What a tier needs: a level (probability or rank, either suffices) and optionally a rise."""

    tier: str
    min_probability: float | None = None
    max_rank: int | None = None
    min_change: float | None = None
    relative_change: bool = False
    hold_probability: float | None = None
    hold_rank: int | None = None
    hold_needs_rise: bool = False

    def __post_init__(self) -> None:
        if self.min_probability is None and self.max_rank is None and self.min_change is None:
            raise ValueError(f"the criterion for {self.tier!r} sets no threshold")
        for name in ("min_probability", "hold_probability"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                raise ValueError(f"{self.tier}: {name} must be in [0, 1]")
        for name in ("max_rank", "hold_rank"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{self.tier}: {name} must be at least 1")
        if self.hold_probability is not None and self.min_probability is None:
            raise ValueError(f"{self.tier}: hold_probability needs a min_probability to enter by")
        if self.hold_rank is not None and self.max_rank is None:
            raise ValueError(f"{self.tier}: hold_rank needs a max_rank to enter by")
        if (self.hold_probability or 0.0) > (self.min_probability or 0.0) or (self.hold_rank or math.inf) < (
            self.max_rank or 0
        ):
            raise ValueError(f"{self.tier}: the level to stay in a tier may not be stricter than the level to enter")

    def check(
        self, probability: float, rank: int, change: float | None, *, holding: bool = False
    ) -> tuple[bool, list[str], list[str]]:
        """Whether the figures meet the criterion, with the reasons met and missed (readable text).

        ``holding`` judges a country already at this tier or above by the looser level to stay."""
        met: list[str] = []
        missed: list[str] = []
        level_tests = []
        min_probability, max_rank = self.min_probability, self.max_rank
        stay = ""
        if holding:
            min_probability = self.hold_probability if self.hold_probability is not None else min_probability
            max_rank = self.hold_rank if self.hold_rank is not None else max_rank
            stay = " to stay"
        if min_probability is not None:
            ok = probability >= min_probability
            level_tests.append(ok)
            text = f"probability {probability:.1%} {'≥' if ok else '<'} {min_probability:.1%}{stay}"
            (met if ok else missed).append(text)
        if max_rank is not None:
            ok = rank <= max_rank
            level_tests.append(ok)
            text = f"rank {rank} {'within' if ok else 'outside'} the top {max_rank}{stay}"
            (met if ok else missed).append(text)
        level = any(level_tests) if level_tests else True
        rising = True
        if self.min_change is not None and (not holding or self.hold_needs_rise):
            unit = "relative change" if self.relative_change else "change"
            if change is None:
                rising = False
                missed.append(f"no previous run to show a rise of at least {self._fmt_change(self.min_change)}")
            else:
                rising = change >= self.min_change
                text = f"{unit} {self._fmt_change(change)} {'≥' if rising else '<'} {self._fmt_change(self.min_change)}"
                (met if rising else missed).append(text)
        return level and rising, met, missed

    def _fmt_change(self, value: float) -> str:
        return f"{value:+.0%}" if self.relative_change else f"{value * 100:+.1f} points"


@dataclass(frozen=True)
class TierPolicy:
    """A ladder and the criterion of each tier above the lowest."""

    ladder: TierLadder = DEFAULT_LADDER
    criteria: tuple[TierCriterion, ...] = ()

    def __post_init__(self) -> None:
        keys = [c.tier for c in self.criteria]
        for k in keys:
            self.ladder.level(k)
        missing = [t.key for t in self.ladder.tiers[1:] if t.key not in keys]
        if missing or len(set(keys)) != len(keys):
            raise ValueError(f"every tier above {self.ladder.lowest.key!r} needs exactly one criterion; "
                             f"missing {missing}")  # fmt: skip

    def criterion(self, tier: str) -> TierCriterion:
        """The criterion of ``tier``."""
        return next(c for c in self.criteria if c.tier == tier)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TierPolicy:
        """A policy from settings: ``{"tiers": [{"key", "label"}...], "criteria": {tier: {min_probability...}}}``;
        either part may be omitted to keep the default."""
        ladder = DEFAULT_LADDER
        if data.get("tiers"):
            ladder = TierLadder(tuple(Tier(str(t["key"]), str(t.get("label", t["key"]))) for t in data["tiers"]))
        if data.get("criteria"):
            criteria = tuple(TierCriterion(tier=str(k), **dict(v)) for k, v in data["criteria"].items())
        else:
            criteria = DEFAULT_POLICY.criteria
        return cls(ladder=ladder, criteria=criteria)


DEFAULT_POLICY = TierPolicy(
    DEFAULT_LADDER,
    (
        TierCriterion(MODERATE_CONCERN, min_probability=0.04, max_rank=30, hold_probability=0.03, hold_rank=35),
        TierCriterion(
            HIGH_AND_RISING, min_probability=0.10, max_rank=10, min_change=0.01, hold_probability=0.08, hold_rank=12
        ),
    ),
)


@dataclass(frozen=True)
class TierProposal:
    """A proposed tier change for one country, with the figures and factors behind it."""

    country: str
    current: str
    proposed: str
    direction: Literal["raise", "lower"]
    probability: float
    rank: int
    previous_probability: float | None
    change: float | None  # absolute, in probability (0.02 = two points)
    met: tuple[str, ...]
    missed: tuple[str, ...]
    factors: tuple[tuple[str, float], ...] = ()

    @property
    def reason(self) -> str:
        """One line for the analyst: what moved and why."""
        because = "; ".join(self.met) or "no criterion of a higher tier is met"
        not_met = f" (not met: {'; '.join(self.missed)})" if self.missed else ""
        return f"{self.country}: {self.direction} {self.current} → {self.proposed}: {because}{not_met}"


@dataclass
class ProposalSet:
    """The proposals of one run, and the listed countries the run could not assess (never changed silently)."""

    proposals: list[TierProposal] = field(default_factory=list)
    unassessed: list[str] = field(default_factory=list)
    proposed_tiers: dict[str, str] = field(default_factory=dict)


def _ranks(run: Mapping[str, float]) -> dict[str, int]:
    series = pd.Series(dict(run), dtype=float)
    return {str(k): int(v) for k, v in series.rank(method="min", ascending=False).items()}


def propose_tiers(
    run: Mapping[str, float],
    *,
    current: Mapping[str, str] | None = None,
    previous: Mapping[str, float] | None = None,
    policy: TierPolicy = DEFAULT_POLICY,
    factors: Mapping[str, Sequence[tuple[str, float]]] | None = None,
    n_factors: int = 5,
    include_unchanged: bool = False,
) -> ProposalSet:
    """Tier proposals from a risk run (country → probability), against the ``current`` tiers (missing = lowest)
    and the ``previous`` run's probabilities (for the rise). ``factors`` gives, per country, the run's
    explanation as (factor, contribution) pairs; the ``n_factors`` largest by size go into each proposal."""
    current = dict(current or {})
    ladder = policy.ladder
    bad = [p for c, p in run.items() if not 0 <= p <= 1 or math.isnan(p)]
    if bad:
        raise ValueError(f"probabilities must be in [0, 1]; got {bad[:5]}")
    for t in current.values():
        ladder.level(t)  # raises for a tier the ladder does not know
    ranks = _ranks(run)
    out = ProposalSet()
    out.unassessed = sorted(c for c, t in current.items() if c not in run and t != ladder.lowest.key)
    for country in sorted(run):
        p = float(run[country])
        prev = None if previous is None or country not in previous else float(previous[country])
        change = None if prev is None else p - prev
        proposed = ladder.lowest.key
        met: list[str] = []
        missed: list[str] = []
        now = current.get(country, ladder.lowest.key)
        for tier in reversed(ladder.tiers[1:]):
            crit = policy.criterion(tier.key)
            c_change = change
            if prev is not None:
                c_change = ((p - prev) / prev if prev > 0 else math.inf) if crit.relative_change else p - prev
            holding = ladder.level(now) >= ladder.level(tier.key)
            ok, m, x = crit.check(p, ranks[country], c_change, holding=holding)
            if ok:
                proposed, met = tier.key, m
                break
            missed += [f"{tier.label}: {reason}" for reason in x]
        out.proposed_tiers[country] = proposed
        if proposed == now and not include_unchanged:
            continue
        top = sorted((factors or {}).get(country, ()), key=lambda fv: -abs(fv[1]))[:n_factors]
        out.proposals.append(
            TierProposal(
                country=country,
                current=now,
                proposed=proposed,
                direction="raise" if ladder.level(proposed) >= ladder.level(now) else "lower",
                probability=p,
                rank=ranks[country],
                previous_probability=prev,
                change=change,
                met=tuple(met),
                missed=tuple(missed),
                factors=tuple((str(n), float(v)) for n, v in top),
            )
        )
    return out


def trend(
    previous: str | float | None,
    current: str | float,
    *,
    ladder: TierLadder = DEFAULT_LADDER,
    tolerance: float = 0.0,
) -> Trend:
    """Deteriorated, improved or unchanged between two review periods, from two tiers or two risk values.

    Tiers compare by their place on ``ladder``; risk values by their difference, which must exceed
    ``tolerance`` (absolute) to count. ``previous=None`` (no earlier period) gives ``"new"``.
    """
    if previous is None:
        return "new"
    if isinstance(previous, str) and isinstance(current, str):
        diff = float(ladder.level(current) - ladder.level(previous))
        tol = 0.0
    elif isinstance(previous, str) or isinstance(current, str):
        raise TypeError("compare two tiers or two risk values, not one of each")
    else:
        diff = float(current) - float(previous)
        tol = tolerance
    if diff > tol:
        return "deteriorated"
    if diff < -tol:
        return "improved"
    return "unchanged"


def trends(
    previous: Mapping[str, str | float],
    current: Mapping[str, str | float],
    *,
    ladder: TierLadder = DEFAULT_LADDER,
    tolerance: float = 0.0,
) -> dict[str, Trend]:
    """:func:`trend` for every country of ``current`` (``"new"`` where ``previous`` has none)."""
    return {c: trend(previous.get(c), v, ladder=ladder, tolerance=tolerance) for c, v in sorted(current.items())}
