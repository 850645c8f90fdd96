"""Warning rules on monthly observation series, and their track record on history.

A rule turns an indicator's monthly series (events, fatalities, or an analyst's scores) into **warnings**: the
months it fires, each with a reason a reader can check by hand. Three kinds, as issue 5 asks:

``threshold``
    fires when the month's value is at least ``threshold``.
``rise``
    fires when the value is at least ``factor`` times the mean of the previous ``baseline_months`` months,
    strictly above that mean, and at least ``minimum`` (so 0 → 1 event does not count as an infinite rise).
``zscore``
    fires when the value's z-score against the previous ``baseline_months`` months (mean and sample standard
    deviation, ddof = 1) is at least ``z`` and the value is at least ``minimum``. A flat baseline (standard
    deviation 0) makes any increase infinitely unusual; ``minimum`` is what keeps one event after a run of
    zeros from firing.

Baselines look back only (the month itself is never in its own baseline) and need ``min_periods`` observed months
in the window (default: all of them); a month without enough baseline is "not evaluated", never a silent "no".
Months missing from a series are missing observations unless ``fill_missing`` is given: pass ``0`` for event
counts, where a month without events is a true zero.

:func:`track_record` back-tests a rule on a history: how often it fired, how often an outcome (a tier rise, an
onset, given as dated events) followed within ``horizon`` months, the false alarms, the outcomes it missed and
the lead time it gave, so analysts can trust or retire it. Everything is deterministic.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "Firing",
    "RuleError",
    "TrackRecord",
    "WarningRule",
    "assess",
    "evaluate",
    "rise",
    "threshold",
    "to_monthly",
    "track_record",
    "zscore",
]

RuleKind = Literal["threshold", "rise", "zscore"]
MonthLike = str | dt.date | pd.Period | pd.Timestamp
#: A monthly series: a pandas Series or a mapping from months (``YYYY-MM``, dates, periods) to values.
SeriesLike = pd.Series | Mapping[Any, float]


class RuleError(ValueError):
    """A rule's parameters are inconsistent (the message says which and why)."""


@dataclass(frozen=True)
class WarningRule:
    """A warning rule: its kind and parameters (see the module notes for what each kind means)."""

    kind: RuleKind
    threshold: float | None = None
    factor: float = 2.0
    baseline_months: int = 6
    minimum: float = 1.0
    z: float = 3.0
    min_periods: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        problems = []
        if self.kind not in ("threshold", "rise", "zscore"):
            problems.append(f"kind {self.kind!r} is not threshold, rise or zscore")
        if self.kind == "threshold" and (self.threshold is None or not math.isfinite(self.threshold)):
            problems.append("a threshold rule needs a finite threshold")
        if self.kind in ("rise", "zscore"):
            least = 2 if self.kind == "zscore" else 1
            if self.baseline_months < least:
                problems.append(f"a {self.kind} rule needs a baseline of at least {least} months")
            periods = self.periods
            if not least <= periods <= self.baseline_months:
                problems.append(f"min_periods must be between {least} and baseline_months ({self.baseline_months})")
        if self.kind == "rise" and not self.factor > 1:
            problems.append("a rise rule's factor must be greater than 1")
        if self.kind == "zscore" and not self.z > 0:
            problems.append("a zscore rule's z must be positive")
        if problems:
            raise RuleError("; ".join(problems))

    @property
    def periods(self) -> int:
        """Observed months needed in the baseline window."""
        return self.baseline_months if self.min_periods is None else self.min_periods

    def describe(self) -> str:
        """The rule in one sentence."""
        label = f"{self.name}: " if self.name else ""
        if self.kind == "threshold":
            return f"{label}fires when the month's value is at least {self.threshold:g}"
        if self.kind == "rise":
            return (
                f"{label}fires when the month's value is at least {self.factor:g} times the mean of the previous "
                f"{self.baseline_months} months, above that mean, and at least {self.minimum:g}"
            )
        return (
            f"{label}fires when the month's value is at least {self.z:g} standard deviations above the mean of the "
            f"previous {self.baseline_months} months, and at least {self.minimum:g}"
        )


def threshold(value: float, *, name: str = "") -> WarningRule:
    """A rule firing when the month's value is at least ``value``."""
    return WarningRule("threshold", threshold=value, name=name)


def rise(factor: float, months: int = 6, *, minimum: float = 1.0, min_periods: int | None = None,
         name: str = "") -> WarningRule:  # fmt: skip
    """A rule firing when the value is ``factor`` × the mean of the previous ``months`` (and ≥ ``minimum``)."""
    return WarningRule("rise", factor=factor, baseline_months=months, minimum=minimum, min_periods=min_periods,
                       name=name)  # fmt: skip


def zscore(z: float, months: int = 12, *, minimum: float = 1.0, min_periods: int | None = None,
           name: str = "") -> WarningRule:  # fmt: skip
    """A rule firing when the value's z-score against the previous ``months`` is at least ``z`` (and ≥ minimum)."""
    return WarningRule("zscore", z=z, baseline_months=months, minimum=minimum, min_periods=min_periods, name=name)


@dataclass(frozen=True)
class Firing:
    """One month in which a rule fired: the value, what it was compared with, and why it fired."""

    month: str
    value: float
    statistic: float
    baseline: float | None
    reason: str


def _period(value: MonthLike) -> pd.Period:
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    return pd.Period(value, freq="M")


def to_monthly(series: SeriesLike, *, fill_missing: float | None = None) -> pd.Series:
    """A series on a complete monthly ``PeriodIndex`` from its first to its last month.

    Keys may be ``YYYY-MM`` text, dates, timestamps or periods; two values for one month are an error. Months in
    between that are absent become ``fill_missing`` (``NaN`` when ``None``).
    """
    raw = series if isinstance(series, pd.Series) else pd.Series(dict(series), dtype=float)
    if raw.empty:
        return pd.Series(dtype=float, index=pd.PeriodIndex([], freq="M"))
    index = pd.PeriodIndex([_period(k) for k in raw.index], freq="M")
    values = pd.Series(pd.to_numeric(raw, errors="raise").to_numpy(dtype=float), index=index)
    if index.has_duplicates:
        dup = sorted({str(p) for p in index[index.duplicated()]})
        raise ValueError(f"more than one value for month(s) {', '.join(dup)}")
    full = pd.period_range(index.min(), index.max(), freq="M")
    out = values.reindex(full)
    return out if fill_missing is None else out.fillna(fill_missing)


def assess(rule: WarningRule, series: SeriesLike, *, fill_missing: float | None = None) -> pd.DataFrame:
    """Every month of ``series`` with the rule's working: ``value``, ``baseline_mean``, ``baseline_sd``,
    ``statistic`` (the value, the ratio to the baseline mean, or the z-score), ``evaluated`` and ``fires``."""
    values = to_monthly(series, fill_missing=fill_missing)
    frame = pd.DataFrame({"value": values})
    observed = values.notna()
    if rule.kind == "threshold":
        frame["baseline_mean"] = np.nan
        frame["baseline_sd"] = np.nan
        frame["statistic"] = values
        frame["evaluated"] = observed
        frame["fires"] = observed & (values >= float(rule.threshold or 0.0))
        return frame
    past = values.shift(1).rolling(rule.baseline_months, min_periods=rule.periods)
    mean, sd = past.mean(), past.std(ddof=1)
    frame["baseline_mean"] = mean
    frame["baseline_sd"] = sd
    evaluated = observed & mean.notna()
    big_enough = values >= rule.minimum
    if rule.kind == "rise":
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(mean > 0, values / mean, np.where(values > 0, np.inf, np.nan))
        frame["statistic"] = ratio
        fires = evaluated & big_enough & (values > mean) & (values >= rule.factor * mean)
    else:
        evaluated &= sd.notna()
        diff = values - mean
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(sd > 0, diff / sd, np.sign(diff) * np.inf)
        z = np.where(np.isnan(diff), np.nan, np.nan_to_num(z, nan=0.0, posinf=np.inf, neginf=-np.inf))
        frame["statistic"] = z
        fires = evaluated & big_enough & (frame["statistic"] >= rule.z)
    frame["evaluated"] = evaluated
    frame["fires"] = fires.fillna(False).astype(bool)
    return frame


def _reason(rule: WarningRule, month: str, row: pd.Series) -> str:
    value, mean, sd, stat = row["value"], row["baseline_mean"], row["baseline_sd"], row["statistic"]
    if rule.kind == "threshold":
        return f"{month}: value {value:g} is at least the threshold {rule.threshold:g}"
    window = f"the previous {rule.baseline_months} months"
    if rule.kind == "rise":
        times = "infinitely many" if math.isinf(stat) else f"{stat:.2f}"
        return (
            f"{month}: value {value:g} is {times} times the mean {mean:.3g} of {window} "
            f"(rule: at least {rule.factor:g} times, and at least {rule.minimum:g})"
        )
    z_text = "infinite (flat baseline)" if math.isinf(stat) else f"{stat:.2f}"
    return (
        f"{month}: value {value:g} has z-score {z_text} against {window} (mean {mean:.3g}, sd {sd:.3g}; "
        f"rule: z at least {rule.z:g}, value at least {rule.minimum:g})"
    )


def evaluate(rule: WarningRule, series: SeriesLike, *, fill_missing: float | None = None) -> list[Firing]:
    """The months in which ``rule`` fires on ``series``, in order, each with its reason."""
    frame = assess(rule, series, fill_missing=fill_missing)
    firings = []
    for period, row in frame[frame["fires"]].iterrows():
        month = str(period)
        mean = row["baseline_mean"]
        firings.append(
            Firing(
                month=month,
                value=float(row["value"]),
                statistic=float(row["statistic"]),
                baseline=None if pd.isna(mean) else float(mean),
                reason=_reason(rule, month, row),
            )
        )
    return firings


@dataclass
class TrackRecord:
    """How a rule did on history (see :func:`track_record`). Months are ``YYYY-MM``; lead times in months."""

    rule: WarningRule
    horizon: int
    months_evaluated: int
    firings: list[str] = field(default_factory=list)
    episodes: int = 0
    hits: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    detected: dict[str, int] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    @property
    def n_fired(self) -> int:
        """Months in which the rule fired."""
        return len(self.firings)

    @property
    def fire_rate(self) -> float:
        """Share of evaluated months in which it fired."""
        return self.n_fired / self.months_evaluated if self.months_evaluated else 0.0

    @property
    def precision(self) -> float | None:
        """Share of judged firings (hits and false alarms, not pending) that an outcome followed."""
        judged = len(self.hits) + len(self.false_alarms)
        return len(self.hits) / judged if judged else None

    @property
    def recall(self) -> float | None:
        """Share of assessable outcomes that a firing preceded within the horizon."""
        n = len(self.detected) + len(self.missed)
        return len(self.detected) / n if n else None

    @property
    def median_lead(self) -> float | None:
        """Median months from the first firing in the window to the outcome, over detected outcomes."""
        return float(np.median(list(self.detected.values()))) if self.detected else None

    def summary(self) -> str:
        """The record in two sentences, for the rule's page."""

        def pct(x: float | None) -> str:
            return "n/a" if x is None else f"{x:.0%}"

        lead = "n/a" if self.median_lead is None else f"{self.median_lead:g} months"
        return (
            f"Fired in {self.n_fired} of {self.months_evaluated} evaluated months ({self.episodes} episodes); "
            f"{len(self.hits)} followed by an outcome within {self.horizon} months, {len(self.false_alarms)} false "
            f"alarms, {len(self.pending)} too recent to judge (precision {pct(self.precision)}). "
            f"Of {len(self.detected) + len(self.missed)} outcomes, {len(self.detected)} were preceded by a warning "
            f"(recall {pct(self.recall)}, median lead {lead}); {len(self.outside)} fell outside the evaluated period."
        )


def track_record(
    rule: WarningRule,
    series: SeriesLike,
    outcomes: Iterable[MonthLike],
    *,
    horizon: int = 3,
    same_month: bool = False,
    fill_missing: float | None = None,
    as_of: MonthLike | None = None,
) -> TrackRecord:
    """Back-test ``rule`` on ``series`` against dated ``outcomes`` (tier rises, onsets; dates or months).

    A firing in month *m* is a **hit** when an outcome falls in months *m+1 … m+horizon* (*m … m+horizon* with
    ``same_month=True``), a **false alarm** when none does and that window is over by ``as_of`` (default: the last
    month of the series), and **pending** otherwise. An outcome is **detected** when a firing precedes it within
    the horizon, its lead time being the months since the earliest such firing; **missed** when the rule was
    evaluated in that window but did not fire; **outside** when the rule could not be evaluated before it.
    """
    if horizon < 1:
        raise RuleError("the horizon must be at least one month")
    frame = assess(rule, series, fill_missing=fill_missing)
    end = _period(as_of) if as_of is not None else (frame.index.max() if len(frame) else None)
    fired = [p for p, f in zip(frame.index, frame["fires"], strict=True) if f]
    evaluated = [p for p, e in zip(frame.index, frame["evaluated"], strict=True) if e]
    events = sorted({_period(o) for o in outcomes})
    record = TrackRecord(rule=rule, horizon=horizon, months_evaluated=len(evaluated))
    record.firings = [str(p) for p in fired]
    record.episodes = sum(1 for i, p in enumerate(fired) if i == 0 or (p - fired[i - 1]).n != 1)
    lo = 0 if same_month else 1

    def gap(a: pd.Period, b: pd.Period) -> int:
        return int((b - a).n)

    for p in fired:
        if any(lo <= gap(p, o) <= horizon for o in events):
            record.hits.append(str(p))
        elif end is not None and gap(p, end) >= horizon:
            record.false_alarms.append(str(p))
        else:
            record.pending.append(str(p))
    for o in events:
        window = [p for p in evaluated if lo <= gap(p, o) <= horizon]
        if not window:
            record.outside.append(str(o))
            continue
        before = [p for p in fired if lo <= gap(p, o) <= horizon]
        if before:
            record.detected[str(o)] = gap(min(before), o)
        else:
            record.missed.append(str(o))
    return record
