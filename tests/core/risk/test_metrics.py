"""Metrics: our scorer reproduces EWP's published figures from EWP's own FOOS file."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from lemkin.core.risk.metrics import brier_score, recall_top_k, reliability_table, roc_auc, score_foos


def test_scores_of_ewps_own_backtest(ewp_dir):
    """README: 5,032 scored, 39 onsets in 24 years, AUC 0.8252, 27 of 39 in the top 30, 0.7361 by year."""
    scores = score_foos(pd.read_csv(ewp_dir / "FOOSforecasts_3Sep2025.csv"))
    assert scores.n_scored == 5032
    assert (scores.n_onsets, scores.onset_years) == (39, 24)
    assert scores.auc == pytest.approx(0.8252, abs=5e-5)
    assert scores.caught_top30 == 27
    assert scores.recall_top30_pooled == pytest.approx(27 / 39)
    assert scores.recall_top30_yearly == pytest.approx(0.7361, abs=5e-5)
    assert 0 < scores.brier < 0.02


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 5)), min_size=4, max_size=60))
def test_auc_matches_scikit_learn_with_ties(pairs):
    """Our Mann-Whitney AUC equals scikit-learn's, ties included."""
    y = np.array([p[0] for p in pairs], dtype=float)
    s = np.array([p[1] for p in pairs], dtype=float)
    if len(set(y)) < 2:
        assert np.isnan(roc_auc(y, s))
    else:
        assert roc_auc(y, s) == pytest.approx(roc_auc_score(y, s))


def test_rows_without_forecast_are_not_scored_and_unranked_onsets_are_missed():
    """NA risks drop out of AUC/Brier; an onset with no rank counts as not caught."""
    foos = pd.DataFrame(
        {
            "year": [2000, 2000, 2001, 2001],
            "mk_onset": [1, 0, 1, 0],
            "maxrisk2": [0.9, 0.1, np.nan, 0.2],
            "minrank2": [1, 40, np.nan, 3],
        }
    )
    assert recall_top_k(foos, 30) == (0.5, 0.5, 1, 2)
    assert score_foos(foos).n_scored == 3
    assert brier_score(foos["mk_onset"], foos["maxrisk2"]) == pytest.approx((0.01 + 0.01 + 0.04) / 3)


def test_reliability_table_accounts_for_every_row():
    """Deciles partition the forecasts; onsets and counts add up; mean forecasts increase."""
    rng = np.random.default_rng(3)
    p = rng.random(1000) * 0.2
    y = (rng.random(1000) < p).astype(float)
    table = reliability_table(y, p, bins=10)
    assert table["n"].sum() == 1000
    assert table["onsets"].sum() == int(y.sum())
    assert table["mean_forecast"].is_monotonic_increasing
