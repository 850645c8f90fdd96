"""The opinion pool: pooling, extremising, dissent, and Brier scores of pool and model."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lemkin.core.warning.pool import Forecast, brier, compare_brier, extremize, pool


def forecasts(country: str, *probabilities: float) -> list[Forecast]:
    """One forecast per analyst A0, A1, ... for ``country``."""
    return [Forecast(f"A{i}", country, p, rationale=f"view {i}") for i, p in enumerate(probabilities)]


def test_mean_and_median_pools():
    """Mean is the linear pool; median resists one extreme voice."""
    items = forecasts("SDN", 0.02, 0.04, 0.30)
    assert pool(items)["SDN"].probability == pytest.approx(0.12)
    assert pool(items, method="median")["SDN"].probability == pytest.approx(0.04)
    pooled = pool(items)["SDN"]
    assert (pooled.n, pooled.low, pooled.high) == (3, 0.02, 0.30)
    assert pooled.spread == pytest.approx(0.28)


def test_latest_forecast_per_analyst_counts():
    """An analyst who revises is counted once, at the latest date."""
    items = [
        Forecast("A", "MLI", 0.50, made_on=dt.date(2025, 3, 1)),
        Forecast("A", "MLI", 0.10, made_on=dt.date(2025, 1, 1)),
        Forecast("B", "MLI", 0.30),
    ]
    pooled = pool(items)["MLI"]
    assert pooled.members == {"A": 0.50, "B": 0.30}
    assert pooled.probability == pytest.approx(0.40)


@pytest.mark.parametrize(
    ("p", "a", "expected"),
    [(0.5, 3.0, 0.5), (0.2, 1.0, 0.2), (0.2, 2.0, 0.04 / (0.04 + 0.64)), (0.0, 2.0, 0.0), (1.0, 2.0, 1.0)],
)
def test_extremize_table(p, a, expected):
    """p^a / (p^a + (1-p)^a): 0.5 stays, a = 1 is the identity, small probabilities get smaller."""
    assert extremize(p, a) == pytest.approx(expected)


def test_extremize_refuses_shrinking():
    """An exponent below 1 would pull the pool towards 0.5; it is refused."""
    with pytest.raises(ValueError, match="at least 1"):
        extremize(0.2, 0.5)


def test_dissenters_are_far_in_log_odds():
    """A 1 % forecast against a pool near 10 % dissents (lower); forecasts near the pool do not."""
    pooled = pool(forecasts("SSD", 0.10, 0.12, 0.11, 0.01), dissent_logodds=1.0)["SSD"]
    assert [(d.analyst, d.direction) for d in pooled.dissenters] == [("A3", "lower")]
    assert pooled.dissenters[0].logodds_distance > 1.0
    assert pooled.dissenters[0].rationale == "view 3"


def test_forecast_outside_unit_interval_is_refused():
    """A probability of 1.2 is an input error."""
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        Forecast("A", "SDN", 1.2)


def test_brier_scores_known_values():
    """Brier is the mean squared error: (0.2-1)^2 and (0.1-0)^2 average to 0.325."""
    assert brier({"A": 0.2, "B": 0.1}, {"A": True, "B": False}) == pytest.approx((0.64 + 0.01) / 2)
    assert brier({"A": 0.2}, {"B": True}) is None


def test_pool_and_model_scored_on_the_same_countries():
    """Only countries with pool, model and outcome are scored; the others are listed with what is missing."""
    pooled = pool([*forecasts("AAA", 0.6, 0.8), *forecasts("BBB", 0.1), *forecasts("DDD", 0.5)])
    model = {"AAA": 0.3, "BBB": 0.2, "CCC": 0.4}
    outcomes = {"AAA": 1, "BBB": 0, "CCC": 0}
    result = compare_brier(pooled, model, outcomes)
    assert result.countries == ("AAA", "BBB")
    assert result.pool == pytest.approx(((0.7 - 1) ** 2 + 0.1**2) / 2)
    assert result.model == pytest.approx(((0.3 - 1) ** 2 + 0.2**2) / 2)
    assert result.better == "pool"
    assert result.left_out == {"CCC": "no pool", "DDD": "no model and no outcome"}


@given(st.lists(st.floats(0, 1), min_size=1, max_size=10), st.floats(1, 4))
def test_pool_stays_within_the_forecasts_unless_extremised(probabilities, a):
    """Property: mean and median pools lie within the analysts' range; extremising moves away from 0.5."""
    items = forecasts("X", *probabilities)
    for method in ("mean", "median"):
        p = pool(items, method=method)["X"].probability
        assert min(probabilities) - 1e-12 <= p <= max(probabilities) + 1e-12
        e = pool(items, method=method, extremize_by=a)["X"].probability
        assert abs(e - 0.5) >= abs(p - 0.5) - 1e-12
