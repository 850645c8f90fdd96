"""Prioritisation "based on factors beyond risk": choose the slate of countries that get plans, under capacity.

The chapter: "If the number of countries on the AWL in the 'moderate' and 'high and rising' risk categories
proves unmanageably large, the APC would need to identify priorities based on factors beyond risk of genocide —
for example, the extent of U.S. influence and potential impact on other U.S. interests." So each listed country
has three criteria:

``risk``
    the model's (or the pool's) probability of onset. Probabilities are small and bunched (a few per cent), so
    by default they are rescaled across the listed countries to 0–1 (``risk_scaling="minmax"``); ``"rank"`` uses
    percentile ranks, ``"none"`` the probabilities as given.
``influence``
    the extent of U.S. influence, scored by analysts;
``interests``
    the potential impact on other U.S. interests, scored by analysts.

Analyst scores are on a 1–5 scale (``scale="1-5"``, mapped to 0–1 by ``(x − 1) / 4``) or already 0–1. The score
is the weighted sum of the three (weights normalised to sum to 1): a simple additive multi-criteria value model,
whose results depend on the weights, hence the sensitivity analysis. The slate is the ``capacity`` best-scoring
countries (how many prevention and response plans the committee can carry), plus any ``keep`` countries that
already carry plans (they count against capacity). Ties are broken by higher risk, then by country code, so the
result is deterministic; an explanation says when a tie decided.

Each :class:`Ranked` country says why it is in or out: its score and the weighted contributions of the three
criteria, and the **margin** to the cut-off (for a country in the slate, how far it is above the best country
left out; for one out, how far below the last country in).

:func:`sensitivity` varies the weights (random Dirichlet weights around the base weights, or a grid over the
simplex) and reports for each country the share of weightings under which it is in the slate: 1.0 means the
choice does not depend on the weights, values in between mark the countries to debate. Given a seed, the result
is reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "CRITERIA",
    "Candidate",
    "PriorityError",
    "Ranked",
    "Sensitivity",
    "Slate",
    "prioritise",
    "sensitivity",
]

CRITERIA: tuple[str, ...] = ("risk", "influence", "interests")
Scale = Literal["1-5", "0-1"]
_DECIMALS = 12  # scores equal to 12 decimals are ties (floating-point sums of the same value differ in the 16th)
RiskScaling = Literal["minmax", "rank", "none"]


class PriorityError(ValueError):
    """Inputs that cannot be prioritised (the message says which and why)."""


@dataclass(frozen=True)
class Candidate:
    """A listed country: its risk, the analysts' scores of U.S. influence and impact on interests, and why."""

    country: str
    risk: float
    influence: float
    interests: float
    rationale: str = ""


@dataclass(frozen=True)
class Ranked:
    """One country's place in the ranking and why it is in or out of the slate."""

    country: str
    rank: int
    score: float
    in_slate: bool
    margin: float
    criteria: dict[str, float]
    contributions: dict[str, float]
    kept: bool = False
    explanation: str = ""


@dataclass(frozen=True)
class Slate:
    """The proposed slate under capacity, with the full ranking and the settings that produced it."""

    capacity: int
    weights: dict[str, float]
    ranking: tuple[Ranked, ...]
    cutoff: float | None

    @property
    def countries(self) -> tuple[str, ...]:
        """The countries in the slate, best first."""
        return tuple(r.country for r in self.ranking if r.in_slate)

    @property
    def left_out(self) -> tuple[str, ...]:
        """The listed countries not in the slate, best first."""
        return tuple(r.country for r in self.ranking if not r.in_slate)

    def get(self, country: str) -> Ranked:
        """The ranking row of ``country``."""
        for r in self.ranking:
            if r.country == country:
                return r
        raise KeyError(f"{country} is not among the candidates")


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict.fromkeys(CRITERIA, 1.0) if weights is None else {k: float(v) for k, v in weights.items()}
    unknown = set(w) - set(CRITERIA)
    if unknown:
        raise PriorityError(f"unknown criteria {sorted(unknown)}; use {', '.join(CRITERIA)}")
    w = {k: w.get(k, 0.0) for k in CRITERIA}
    if any(v < 0 or math.isnan(v) for v in w.values()) or sum(w.values()) <= 0:
        raise PriorityError("weights must be non-negative with a positive sum")
    total = sum(w.values())
    return {k: v / total for k, v in w.items()}


def _matrix(candidates: Sequence[Candidate], scale: Scale, risk_scaling: RiskScaling) -> np.ndarray:
    """The criteria on 0–1, one row per candidate (columns in :data:`CRITERIA` order)."""
    problems = []
    seen: set[str] = set()
    for c in candidates:
        if c.country in seen:
            problems.append(f"{c.country} is listed twice")
        seen.add(c.country)
        if not 0.0 <= c.risk <= 1.0:
            problems.append(f"{c.country}: risk {c.risk} is not a probability")
        lo, hi = (1.0, 5.0) if scale == "1-5" else (0.0, 1.0)
        for name in ("influence", "interests"):
            value = getattr(c, name)
            if not lo <= value <= hi:
                problems.append(f"{c.country}: {name} {value} is outside the {scale} scale")
    if problems:
        raise PriorityError("; ".join(problems))
    risk = np.array([c.risk for c in candidates], dtype=float)
    if risk_scaling == "minmax":
        span = risk.max() - risk.min() if len(risk) else 0.0
        risk = (risk - risk.min()) / span if span > 0 else np.ones_like(risk)
    elif risk_scaling == "rank":
        ranks = pd.Series(risk).rank(method="average").to_numpy() - 1.0  # ties share their average rank
        risk = ranks / (len(risk) - 1) if len(risk) > 1 else np.ones_like(risk)
    elif risk_scaling != "none":
        raise PriorityError(f"risk_scaling must be minmax, rank or none, not {risk_scaling!r}")
    to01 = (lambda x: (x - 1.0) / 4.0) if scale == "1-5" else (lambda x: x)
    influence = np.array([to01(c.influence) for c in candidates], dtype=float)
    interests = np.array([to01(c.interests) for c in candidates], dtype=float)
    return np.column_stack([risk, influence, interests])


def _tie_order(candidates: Sequence[Candidate]) -> np.ndarray:
    """Candidate indices in tie-break order: higher risk first, then country code."""
    return np.array(sorted(range(len(candidates)), key=lambda i: (-candidates[i].risk, candidates[i].country)))


def prioritise(
    candidates: Iterable[Candidate],
    capacity: int,
    *,
    weights: Mapping[str, float] | None = None,
    scale: Scale = "1-5",
    risk_scaling: RiskScaling = "minmax",
    keep: Iterable[str] = (),
) -> Slate:
    """Rank ``candidates`` by weighted score and choose the slate of at most ``capacity`` countries (see module)."""
    items = list(candidates)
    kept = set(keep)
    if capacity < 0:
        raise PriorityError("capacity cannot be negative")
    unknown_kept = kept - {c.country for c in items}
    if unknown_kept:
        raise PriorityError(f"countries to keep are not among the candidates: {sorted(unknown_kept)}")
    if len(kept) > capacity:
        raise PriorityError(f"{len(kept)} countries already carry plans but the capacity is {capacity}")
    w = _weights(weights)
    if not items:
        return Slate(capacity, w, (), None)
    x = _matrix(items, scale, risk_scaling)
    wv = np.array([w[k] for k in CRITERIA])
    scores = np.round(x @ wv, _DECIMALS) + 0.0
    tie = _tie_order(items)
    order = tie[np.argsort(-np.round(scores[tie], _DECIMALS), kind="stable")]
    chosen = [i for i in order if items[i].country in kept]
    chosen += [i for i in order if items[i].country not in kept][: capacity - len(chosen)]
    chosen_set = set(chosen)
    free_in = [scores[i] for i in chosen if items[i].country not in kept]
    out = [scores[i] for i in order if i not in chosen_set]
    last_in = min(free_in) if free_in else None
    first_out = max(out) if out else None
    cutoff = last_in if last_in is not None else first_out
    ranking = []
    for rank, i in enumerate(order, start=1):
        c, s = items[i], float(scores[i])
        in_slate = i in chosen_set
        is_kept = c.country in kept
        if in_slate:
            margin = s - first_out if first_out is not None else math.inf
        else:
            margin = s - last_in if last_in is not None else -math.inf
        contributions = {k: float(x[i, j] * wv[j]) for j, k in enumerate(CRITERIA)}
        ranking.append(
            Ranked(
                country=c.country,
                rank=rank,
                score=s,
                in_slate=in_slate,
                margin=float(np.round(margin, _DECIMALS)) + 0.0,
                criteria={k: float(x[i, j]) for j, k in enumerate(CRITERIA)},
                contributions=contributions,
                kept=is_kept,
                explanation=_explain(c.country, rank, s, in_slate, is_kept, float(margin), contributions,
                                     capacity, tied=first_out is not None and last_in is not None
                                     and math.isclose(first_out, last_in, abs_tol=1e-12)
                                     and math.isclose(s, last_in, abs_tol=1e-12)),
            )
        )  # fmt: skip
    return Slate(capacity=capacity, weights=w, ranking=tuple(ranking), cutoff=cutoff)


def _explain(
    country: str,
    rank: int,
    score: float,
    in_slate: bool,
    kept: bool,
    margin: float,
    contributions: Mapping[str, float],
    capacity: int,
    *,
    tied: bool,
) -> str:
    parts = ", ".join(f"{k} {v:.3f}" for k, v in contributions.items())
    head = f"{country}: rank {rank}, score {score:.3f} ({parts})"
    if kept:
        return f"{head}; in the slate because it already carries a plan"
    if tied:
        verdict = "in the slate" if in_slate else "out of the slate"
        return f"{head}; {verdict}: tied at the cut-off and decided by higher risk, then country code"
    if in_slate:
        if math.isinf(margin):
            return f"{head}; in the slate: every candidate fits within the capacity of {capacity}"
        return f"{head}; in the slate, {margin:.3f} above the best country left out"
    if math.isinf(margin):
        return f"{head}; out of the slate: the capacity is {capacity}"
    return f"{head}; out of the slate, {-margin:.3f} below the last country in (capacity {capacity})"


@dataclass(frozen=True)
class Sensitivity:
    """How the slate depends on the weights: per country, the share of weightings that put it in the slate."""

    method: str
    n_weightings: int
    share_in_slate: dict[str, float]
    base_slate: tuple[str, ...]
    seed: int | None = None
    weight_ranges: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def always_in(self) -> tuple[str, ...]:
        """Countries in the slate under every weighting tried."""
        return tuple(c for c, s in self.share_in_slate.items() if s == 1.0)

    @property
    def contested(self) -> tuple[str, ...]:
        """Countries in the slate under some weightings but not others, most often in first."""
        return tuple(c for c, s in sorted(self.share_in_slate.items(), key=lambda kv: -kv[1]) if 0.0 < s < 1.0)

    def lines(self) -> list[str]:
        """Readable lines, one per country, most robust first."""
        head = f"{self.n_weightings} weightings ({self.method}); share of them with the country in the slate:"
        rows = sorted(self.share_in_slate.items(), key=lambda kv: (-kv[1], kv[0]))
        mark = {True: " (base slate)", False: ""}
        return [head, *(f"  {c}: {s:.0%}{mark[c in self.base_slate]}" for c, s in rows)]


def _grid(step: float) -> np.ndarray:
    n = round(1 / step)
    if not math.isclose(n * step, 1.0):
        raise PriorityError("the grid step must divide 1 (e.g. 0.1, 0.05, 0.25)")
    pts = [(i, j, n - i - j) for i in range(n + 1) for j in range(n + 1 - i)]
    return np.array(pts, dtype=float) / n


def sensitivity(
    candidates: Iterable[Candidate],
    capacity: int,
    *,
    weights: Mapping[str, float] | None = None,
    method: Literal["dirichlet", "grid"] = "dirichlet",
    n: int = 2000,
    concentration: float | None = None,
    step: float = 0.1,
    seed: int = 0,
    scale: Scale = "1-5",
    risk_scaling: RiskScaling = "minmax",
    keep: Iterable[str] = (),
) -> Sensitivity:
    """Share of weightings under which each country is in the slate.

    ``method="dirichlet"`` draws ``n`` weight vectors: uniformly over all weightings when ``concentration`` is
    ``None``, otherwise from a Dirichlet centred on ``weights`` with parameters ``concentration × weights``
    (larger = closer to the base weights). ``method="grid"`` takes every weighting on the simplex in steps of
    ``step``. The seed makes the draws reproducible; the grid needs none.
    """
    items = list(candidates)
    keep = tuple(keep)
    base = prioritise(items, capacity, weights=weights, scale=scale, risk_scaling=risk_scaling, keep=keep)
    if not items:
        return Sensitivity(method, 0, {}, (), seed)
    if method == "grid":
        w = _grid(step)
        used_seed: int | None = None
    elif method == "dirichlet":
        rng = np.random.default_rng(seed)
        if concentration is None:
            alpha = np.ones(len(CRITERIA))
        else:
            bw = np.array([base.weights[k] for k in CRITERIA])
            alpha = np.maximum(concentration * bw, 1e-3)
        w = rng.dirichlet(alpha, size=n)
        used_seed = seed
    else:
        raise PriorityError(f"method must be 'dirichlet' or 'grid', not {method!r}")
    x = _matrix(items, scale, risk_scaling)
    kept_mask = np.array([c.country in keep for c in items])
    tie = _tie_order(items)
    scores = (w @ x.T)[:, tie]  # weightings × candidates, columns in tie-break order
    scores[:, kept_mask[tie]] = np.inf  # kept countries are always in
    order = np.argsort(-np.round(scores, _DECIMALS), axis=1, kind="stable")[:, :capacity]
    inside = np.zeros_like(scores, dtype=bool)
    np.put_along_axis(inside, order, True, axis=1)
    share = inside.mean(axis=0)
    shares = {items[tie[j]].country: float(share[j]) for j in range(len(items))}
    ranges = {k: (float(w[:, j].min()), float(w[:, j].max())) for j, k in enumerate(CRITERIA)}
    return Sensitivity(
        method=method,
        n_weightings=len(w),
        share_in_slate=dict(sorted(shares.items())),
        base_slate=base.countries,
        seed=used_seed,
        weight_ranges=ranges,
    )
