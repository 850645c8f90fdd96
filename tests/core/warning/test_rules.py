"""Warning rules fire exactly when the rule says, and their track record counts hits, false alarms and leads."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lemkin.core.warning.rules import (
    RuleError,
    WarningRule,
    assess,
    evaluate,
    rise,
    threshold,
    to_monthly,
    track_record,
    zscore,
)


def months(values, start="2024-01"):
    """A monthly series from consecutive values starting at ``start``."""
    index = pd.period_range(start, periods=len(values), freq="M")
    return pd.Series(values, index=index, dtype=float)


def fired(rule, values, **kw):
    return [f.month for f in evaluate(rule, months(values), **kw)]


@pytest.mark.parametrize(
    ("t", "values", "expected"),
    [
        (10, [9, 10, 11, 9.999], ["2024-02", "2024-03"]),  # at the threshold fires; just below does not
        (0, [0, 0], ["2024-01", "2024-02"]),
        (5, [1, 2, 3], []),
        (5, [5, None, 6], ["2024-01", "2024-03"]),  # a missing month neither fires nor breaks the rest
    ],
)
def test_threshold_table(t, values, expected):
    """threshold: value ≥ t, evaluated month by month."""
    assert fired(threshold(t), values) == expected


@pytest.mark.parametrize(
    ("rule", "values", "expected"),
    [
        # baseline mean of the previous 3 months is 2; 6 = 3 × 2 fires, 5.9 does not
        (rise(3, 3), [2, 2, 2, 6], ["2024-04"]),
        (rise(3, 3), [2, 2, 2, 5.9], []),
        # zero baseline: any value ≥ minimum is an infinite rise; below the minimum it is not a warning
        (rise(2, 3, minimum=5), [0, 0, 0, 4, 0, 0, 0, 5], ["2024-08"]),
        # a flat value equal to the baseline is not a rise even when factor × 0 ≤ value
        (rise(2, 2, minimum=0), [0, 0, 0], []),
        # the first months lack a full baseline and are not evaluated
        (rise(2, 3), [10, 100, 1000], []),
        # with min_periods=1 the second month already has a baseline
        (rise(2, 3, min_periods=1), [10, 100, 1000], ["2024-02", "2024-03"]),
    ],
)
def test_rise_table(rule, values, expected):
    """rise: value ≥ factor × mean of the previous N months, above it, and at least the minimum."""
    assert fired(rule, values) == expected


@pytest.mark.parametrize(
    ("rule", "values", "expected"),
    [
        # previous 3: [1, 2, 3], mean 2, sd 1; z(5) = 3 fires at z 3, z(4.99) does not
        (zscore(3, 3), [1, 2, 3, 5], ["2024-04"]),
        (zscore(3, 3), [1, 2, 3, 4.99], []),
        # flat baseline: any rise is an infinite z-score; the minimum keeps small ones quiet
        (zscore(2, 3, minimum=3), [0, 0, 0, 2, 0, 0, 0, 3], ["2024-08"]),
        # falls never fire
        (zscore(1, 3), [5, 6, 7, 0], []),
    ],
)
def test_zscore_table(rule, values, expected):
    """zscore: (value − mean) / sd of the previous N months ≥ z, and value ≥ minimum."""
    assert fired(rule, values) == expected


def test_fill_missing_treats_absent_months_as_zero():
    """Event series list only months with events; fill_missing=0 makes the gaps zeros for the baseline."""
    series = {"2024-01": 3, "2024-04": 2, "2024-05": 12}
    assert [f.month for f in evaluate(rise(3, 3), series)] == []  # gaps are missing: no full baseline
    assert [f.month for f in evaluate(rise(3, 3), series, fill_missing=0)] == ["2024-05"]


def test_reasons_are_readable_and_exact():
    """Each firing says what was compared with what."""
    (f,) = evaluate(rise(3, 3), months([2, 2, 2, 6]))
    assert f.reason == (
        "2024-04: value 6 is 3.00 times the mean 2 of the previous 3 months (rule: at least 3 times, and at least 1)"
    )
    assert f.baseline == 2.0
    (f,) = evaluate(zscore(2, 3), months([1, 2, 3, 5]))
    assert "z-score 3.00" in f.reason
    assert "mean 2, sd 1" in f.reason
    (f,) = evaluate(threshold(10), months([10]))
    assert f.reason == "2024-01: value 10 is at least the threshold 10"
    (f,) = evaluate(zscore(2, 3, minimum=1), months([0, 0, 0, 4]))
    assert "infinite (flat baseline)" in f.reason
    assert math.isinf(f.statistic)


def test_assess_shows_unevaluated_months():
    """Months without a baseline are marked not evaluated rather than silently 'no'."""
    frame = assess(rise(2, 2), months([1, 1, 5]))
    assert frame["evaluated"].tolist() == [False, False, True]
    assert frame["fires"].tolist() == [False, False, True]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "threshold"},
        {"kind": "rise", "factor": 1.0},
        {"kind": "zscore", "baseline_months": 1},
        {"kind": "zscore", "z": 0},
        {"kind": "rise", "baseline_months": 3, "min_periods": 4},
        {"kind": "bogus"},
    ],
)
def test_inconsistent_rules_are_refused(kwargs):
    """A rule that could not mean anything is refused with a reason."""
    with pytest.raises(RuleError):
        WarningRule(**kwargs)


def test_describe_says_what_the_rule_does():
    """The rule's page can say in words what it checks."""
    assert threshold(5, name="VAC events").describe() == "VAC events: fires when the month's value is at least 5"
    assert "3 times the mean of the previous 6 months" in rise(3, 6).describe()
    assert "2 standard deviations" in zscore(2).describe()


def test_to_monthly_rejects_duplicate_months():
    """Two values for one month are an error, not a silent overwrite."""
    with pytest.raises(ValueError, match="2024-01"):
        to_monthly(pd.Series([1, 2], index=["2024-01", "2024-01-15"]))


# ---------------------------------------------------------------------------------------------- track record


def test_track_record_counts_hits_false_alarms_pending_and_leads():
    """A worked back-test: every count checked by hand."""
    values = [0, 0, 12, 0, 0, 0, 15, 0, 0, 0, 0, 11]  # threshold 10 fires in 2024-03, 2024-07, 2024-12
    outcomes = ["2024-05-10", "2024-11", "2023-06"]
    record = track_record(threshold(10), months(values), outcomes, horizon=2)
    assert record.firings == ["2024-03", "2024-07", "2024-12"]
    assert record.episodes == 3
    assert record.hits == ["2024-03"]  # onset in 2024-05, two months later
    assert record.false_alarms == ["2024-07"]  # nothing in 2024-08..09
    assert record.pending == ["2024-12"]  # the window runs past the end of the data
    assert record.detected == {"2024-05": 2}
    assert record.missed == ["2024-11"]  # evaluated in 2024-09..10 and silent
    assert record.outside == ["2023-06"]  # before the series
    assert record.precision == 0.5
    assert record.recall == 0.5
    assert record.median_lead == 2.0
    assert record.fire_rate == pytest.approx(3 / 12)
    assert "Fired in 3 of 12 evaluated months" in record.summary()


def test_track_record_same_month_and_episodes():
    """Consecutive firings form one episode; same_month counts an outcome in the firing month as a hit."""
    values = [20, 20, 20, 0, 0]
    strict = track_record(threshold(10), months(values), ["2024-01"], horizon=1)
    assert strict.episodes == 1
    assert strict.detected == {}
    assert strict.outside == ["2024-01"]
    loose = track_record(threshold(10), months(values), ["2024-01"], horizon=1, same_month=True)
    assert loose.detected == {"2024-01": 0}


def test_track_record_needs_a_horizon():
    """A zero horizon is refused."""
    with pytest.raises(RuleError):
        track_record(threshold(1), months([1]), [], horizon=0)


@given(
    st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=1e6)), min_size=1, max_size=40),
    st.floats(min_value=0, max_value=1e6),
)
def test_threshold_fires_exactly_on_values_at_or_above(values, t):
    """Property: a threshold rule fires in exactly the months whose value is ≥ t."""
    series = months([np.nan if v is None else v for v in values])
    expected = [str(p) for p, v in series.items() if not np.isnan(v) and v >= t]
    assert [f.month for f in evaluate(threshold(t), series)] == expected


@given(st.lists(st.floats(min_value=0, max_value=1e4), min_size=4, max_size=30), st.integers(2, 5))
def test_rise_never_fires_without_a_rise(values, n):
    """Property: a rise rule fires only when the value beats factor × the previous-n mean and the minimum."""
    rule = rise(2.0, n)
    for f in evaluate(rule, months(values)):
        i = pd.Period(f.month, freq="M").ordinal - pd.Period("2024-01", freq="M").ordinal
        mean = float(np.mean(values[i - n : i]))
        slack = 1e-9 * max(1.0, mean)  # rolling and numpy means may differ in the last bits
        assert values[i] >= 2.0 * mean - slack
        assert values[i] > mean - slack
        assert values[i] >= rule.minimum


@given(
    st.lists(st.integers(0, 20), min_size=1, max_size=36),
    st.lists(st.integers(0, 40), max_size=6),
    st.integers(1, 6),
)
def test_track_record_accounts_for_every_firing_and_outcome(values, outcome_offsets, horizon):
    """Property: each firing is a hit, a false alarm or pending; each outcome is detected, missed or outside."""
    series = months(values)
    outcomes = [str(pd.Period("2024-01", freq="M") + k) for k in outcome_offsets]
    record = track_record(threshold(10), series, outcomes, horizon=horizon)
    assert len(record.hits) + len(record.false_alarms) + len(record.pending) == record.n_fired
    assert len(record.detected) + len(record.missed) + len(record.outside) == len(set(outcomes))
    assert all(1 <= lead <= horizon for lead in record.detected.values())
