"""Scores of a backtest in EWP's "fully out of sample" (FOOS) layout.

EWP scores ``maxrisk2`` (the larger of the forecasts made one and two years before, both of whose two-year
windows contain the scored year) against ``mk_onset`` in that year, and ``minrank2`` for recall: the share of
onsets that were in the top 30 of a forecast, pooled over all onsets and as the mean of yearly shares
(``EarlyWarningProject/2025-Statistical-Risk-Assessment`` commit 548cad77, ``3.Modeling/model_3Sep2025.R``,
after "Recall 30 on this"). Rows without a forecast are not scored for AUC and Brier (pROC drops NA); an onset
without a rank counts as missed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

__all__ = ["Scores", "brier_score", "recall_top_k", "reliability_table", "roc_auc", "roc_curve", "score_foos"]


def _clean(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float)
    score = np.asarray(score, dtype=float)
    keep = np.isfinite(y) & np.isfinite(score)
    return y[keep], score[keep]


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties count one half), ignoring rows without a score."""
    y, score = _clean(y, score)
    n_pos, n_neg = int((y == 1).sum()), int((y == 0).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = pd.Series(score).rank(method="average").to_numpy()
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def roc_curve(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """False- and true-positive rates at every distinct threshold, from (0, 0) to (1, 1)."""
    y, score = _clean(y, score)
    order = np.argsort(-score, kind="mergesort")
    y, score = y[order], score[order]
    distinct = np.r_[np.flatnonzero(np.diff(score)), len(score) - 1]
    tps = np.cumsum(y)[distinct]
    fps = (distinct + 1) - tps
    tpr = np.r_[0.0, tps / max(tps[-1], 1)]
    fpr = np.r_[0.0, fps / max(fps[-1], 1)]
    return fpr, tpr


def brier_score(y: np.ndarray, prob: np.ndarray) -> float:
    """Mean squared difference between forecast probability and outcome."""
    y, prob = _clean(y, prob)
    return float(np.mean((prob - y) ** 2)) if len(y) else float("nan")


def recall_top_k(foos: pd.DataFrame, k: int = 30) -> tuple[float, float, int, int]:
    """Onsets caught in the top ``k``: (pooled share, mean of yearly shares, caught, onsets)."""
    onsets = foos.loc[foos["mk_onset"] == 1]
    if onsets.empty:
        return float("nan"), float("nan"), 0, 0
    caught = (onsets["minrank2"] <= k).fillna(False).astype(float)
    yearly = caught.groupby(onsets["year"]).mean()
    return float(caught.mean()), float(yearly.mean()), int(caught.sum()), len(onsets)


def reliability_table(y: np.ndarray, prob: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Forecasts grouped into quantile bins: count, mean forecast, observed rate, onsets per bin."""
    y, prob = _clean(y, prob)
    if not len(y):
        return pd.DataFrame(columns=["bin", "n", "low", "high", "mean_forecast", "observed_rate", "onsets"])
    codes = pd.qcut(pd.Series(prob).rank(method="first"), q=min(bins, len(prob)), labels=False)
    frame = pd.DataFrame({"bin": codes.to_numpy() + 1, "p": prob, "y": y})
    table = frame.groupby("bin").agg(
        n=("y", "size"), low=("p", "min"), high=("p", "max"), mean_forecast=("p", "mean"),
        observed_rate=("y", "mean"), onsets=("y", "sum"),
    )  # fmt: skip
    table["onsets"] = table["onsets"].astype(int)
    return table.reset_index()


@dataclass(frozen=True)
class Scores:
    """The backtest figures EWP reports, plus the Brier score."""

    n_scored: int
    n_onsets: int
    onset_years: int
    auc: float
    caught_top30: int
    recall_top30_pooled: float
    recall_top30_yearly: float
    brier: float

    def as_dict(self) -> dict[str, float | int]:
        """Plain dictionary (for JSON, tables and database rows)."""
        return asdict(self)


def score_foos(foos: pd.DataFrame, k: int = 30) -> Scores:
    """Score a FOOS table (EWP's own file or ours): AUC and Brier of ``maxrisk2``, recall of ``minrank2``."""
    scored = foos.loc[foos["maxrisk2"].notna()]
    pooled, yearly, caught, n_onsets = recall_top_k(foos, k)
    return Scores(
        n_scored=len(scored),
        n_onsets=n_onsets,
        onset_years=int(foos.loc[foos["mk_onset"] == 1, "year"].nunique()),
        auc=roc_auc(scored["mk_onset"].to_numpy(), scored["maxrisk2"].to_numpy()),
        caught_top30=caught,
        recall_top30_pooled=pooled,
        recall_top30_yearly=yearly,
        brier=brier_score(scored["mk_onset"].to_numpy(), scored["maxrisk2"].to_numpy()),
    )
