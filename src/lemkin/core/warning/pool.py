"""Expert judgment beside the model: an opinion pool of analysts' probabilities, dissent, and Brier scores.

Analysts record their own probability of an onset per country with a short rationale, as the Early Warning
Project's opinion pool does beside its statistical model. This module pools those judgments, says who dissents,
and scores pool and model against outcomes once they are known.

**Pooling.** Per country, each analyst's latest forecast counts once. ``mean`` is the linear opinion pool (the
arithmetic mean of probabilities); ``median`` is robust to one extreme voice. **Extremising** (optional,
``extremize=a`` with ``a ≥ 1``) pushes the pooled probability away from 0.5 in log-odds: ``p' = p^a / (p^a +
(1 − p)^a)``, i.e. the log-odds are multiplied by ``a``. Averaging shrinks forecasts towards the middle when each
analyst holds only part of the evidence; extremising corrects for that (Baron, Mellers, Tetlock, Stone and Ungar
(2014), "Two reasons to make aggregated probability forecasts more extreme", *Decision Analysis* 11(2): 133–145;
Satopää, Baron, Foster, Mellers, Tetlock and Ungar (2014), "Combining multiple probability predictions using a
simple logit model", *International Journal of Forecasting* 30(2): 344–356). ``a = 1`` (the default) leaves the
pool as it is; values around 1.5–2.5 are typical in those studies, and the choice should be back-tested here.

**Dissent.** The spread of a country's forecasts (standard deviation and range of probabilities) and, per
analyst, the distance from the pool in log-odds; an analyst at least ``dissent_logodds`` away (default 1.0, a
factor of e ≈ 2.7 in the odds) is listed as a dissenter, with the direction. Log-odds, not probability points,
because onset probabilities are small: 2 % against a pool of 8 % is a strong disagreement.

**Scoring.** The Brier score (Brier (1950), "Verification of forecasts expressed in terms of probability",
*Monthly Weather Review* 78(1): 1–3) is the mean squared difference between forecast probability and outcome
(1 onset, 0 none): 0 is perfect, lower is better, always forecasting 0.5 scores 0.25. Pool and model are scored
on the same countries (those with both forecasts and a known outcome); the countries left out are listed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

__all__ = [
    "BrierComparison",
    "Dissent",
    "Forecast",
    "PooledForecast",
    "brier",
    "compare_brier",
    "extremize",
    "pool",
]

Method = Literal["mean", "median"]
_EPS = 1e-6


@dataclass(frozen=True)
class Forecast:
    """One analyst's probability of onset for one country, with the rationale and when it was made."""

    analyst: str
    country: str
    probability: float
    rationale: str = ""
    made_on: dt.date | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0 or math.isnan(self.probability):
            raise ValueError(
                f"{self.analyst}'s probability for {self.country} must be in [0, 1], not {self.probability}"
            )


@dataclass(frozen=True)
class Dissent:
    """An analyst far from the pool: their probability, the distance in log-odds, and the direction."""

    analyst: str
    probability: float
    logodds_distance: float
    direction: Literal["higher", "lower"]
    rationale: str = ""


@dataclass(frozen=True)
class PooledForecast:
    """The pooled judgment for one country, with the spread of opinion and the dissenters."""

    country: str
    probability: float
    n: int
    method: Method
    extremize: float
    sd: float
    low: float
    high: float
    members: dict[str, float] = field(default_factory=dict)
    dissenters: tuple[Dissent, ...] = ()

    @property
    def spread(self) -> float:
        """Range of the analysts' probabilities (high − low)."""
        return self.high - self.low


def _logit(p: float | np.ndarray) -> float | np.ndarray:
    q = np.clip(p, _EPS, 1 - _EPS)
    return np.log(q / (1 - q))


def extremize(p: float, a: float) -> float:
    """``p^a / (p^a + (1 − p)^a)``: log-odds scaled by ``a`` (``a = 1`` returns ``p``; 0 and 1 stay put)."""
    if a < 1:
        raise ValueError("the extremising exponent must be at least 1 (values below 1 would shrink the pool)")
    if p in (0.0, 1.0) or a == 1:
        return float(p)
    return float(p**a / (p**a + (1 - p) ** a))


def pool(
    forecasts: Iterable[Forecast],
    *,
    method: Method = "mean",
    extremize_by: float = 1.0,
    dissent_logodds: float = 1.0,
) -> dict[str, PooledForecast]:
    """Pool forecasts per country (see the module notes). An analyst's latest forecast per country counts
    (by ``made_on``; the later one in the input when dates are equal or missing)."""
    if method not in ("mean", "median"):
        raise ValueError(f"method must be 'mean' or 'median', not {method!r}")
    latest: dict[tuple[str, str], tuple[int, Forecast]] = {}
    for order, f in enumerate(forecasts):
        key = (f.country, f.analyst)
        stamp = (f.made_on or dt.date.min).toordinal() * 10**7 + order
        if key not in latest or stamp >= latest[key][0]:
            latest[key] = (stamp, f)
    by_country: dict[str, list[Forecast]] = {}
    for (country, _), (_, f) in sorted(latest.items()):
        by_country.setdefault(country, []).append(f)
    pooled = {}
    for country, items in sorted(by_country.items()):
        probs = np.array([f.probability for f in items], dtype=float)
        centre = float(probs.mean() if method == "mean" else np.median(probs))
        p = extremize(centre, extremize_by)
        distance = np.asarray(_logit(probs)) - float(_logit(p))
        dissenters = tuple(
            Dissent(f.analyst, f.probability, float(abs(d)), "higher" if d > 0 else "lower", f.rationale)
            for f, d in zip(items, distance, strict=True)
            if abs(d) >= dissent_logodds
        )
        pooled[country] = PooledForecast(
            country=country,
            probability=p,
            n=len(items),
            method=method,
            extremize=extremize_by,
            sd=float(probs.std(ddof=1)) if len(items) > 1 else 0.0,
            low=float(probs.min()),
            high=float(probs.max()),
            members={f.analyst: f.probability for f in items},
            dissenters=tuple(sorted(dissenters, key=lambda d: -d.logodds_distance)),
        )
    return pooled


def _prob(value: float | PooledForecast) -> float:
    return value.probability if isinstance(value, PooledForecast) else float(value)


def brier(forecasts: Mapping[str, float | PooledForecast], outcomes: Mapping[str, bool | int]) -> float | None:
    """Mean Brier score over the countries with both a forecast and an outcome (``None`` if there are none)."""
    common = sorted(set(forecasts) & set(outcomes))
    if not common:
        return None
    p = np.array([_prob(forecasts[c]) for c in common])
    y = np.array([1.0 if outcomes[c] else 0.0 for c in common])
    return float(np.mean((p - y) ** 2))


@dataclass(frozen=True)
class BrierComparison:
    """Pool and model scored on the same countries; per-country squared errors; who was left out and why."""

    countries: tuple[str, ...]
    pool: float | None
    model: float | None
    per_country: dict[str, tuple[float, float]]
    left_out: dict[str, str]

    @property
    def better(self) -> Literal["pool", "model", "tie"] | None:
        """Which scored lower (better), or ``None`` when nothing could be scored."""
        if self.pool is None or self.model is None:
            return None
        if math.isclose(self.pool, self.model, abs_tol=1e-12):
            return "tie"
        return "pool" if self.pool < self.model else "model"


def compare_brier(
    pooled: Mapping[str, float | PooledForecast],
    model: Mapping[str, float],
    outcomes: Mapping[str, bool | int],
) -> BrierComparison:
    """Brier scores of the pool and the model on the countries where both forecast and the outcome is known."""
    everyone = set(pooled) | set(model) | set(outcomes)
    left_out: dict[str, str] = {}
    common = []
    for c in sorted(everyone):
        missing = [name for name, src in (("pool", pooled), ("model", model), ("outcome", outcomes)) if c not in src]
        if missing:
            left_out[c] = "no " + " and no ".join(missing)
        else:
            common.append(c)
    per_country = {
        c: ((_prob(pooled[c]) - float(bool(outcomes[c]))) ** 2, (float(model[c]) - float(bool(outcomes[c]))) ** 2)
        for c in common
    }
    return BrierComparison(
        countries=tuple(common),
        pool=brier({c: pooled[c] for c in common}, outcomes),
        model=brier({c: model[c] for c in common}, outcomes),
        per_country=per_country,
        left_out=left_out,
    )
