"""A self-contained HTML report of a backtest: scores, ROC curve, "catch plot", calibration plot.

Plots are drawn with matplotlib's Agg backend and embedded as base64 PNG; the page loads nothing from
elsewhere. Every piece of text from data or arguments is HTML-escaped. The catch plot follows EWP's
(``3.Modeling/model_3Sep2025.R``, commit 548cad77): the share of onsets whose ``maxrisk2`` was at or above a
risk threshold, thresholds decreasing left to right, with the 2.5 % threshold marked.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lemkin.core.risk.metrics import Scores, reliability_table, roc_curve, score_foos

__all__ = ["backtest_plots", "render_report"]

_CATCH_THRESHOLD = 0.025


def _png(fig: plt.Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _roc_plot(runs: Sequence[tuple[str, pd.DataFrame]]) -> str:
    fig, ax = plt.subplots(figsize=(5, 5))
    for label, foos in runs:
        fpr, tpr = roc_curve(foos["mk_onset"].to_numpy(), foos["maxrisk2"].to_numpy())
        ax.plot(fpr, tpr, lw=1.8, label=f"{label} (AUC {score_foos(foos).auc:.3f})")
    ax.plot([0, 1], [0, 1], ls=":", color="grey")
    ax.set(xlabel="false-positive rate", ylabel="true-positive rate", title="ROC curve (maxrisk2 vs onset)")
    ax.legend(loc="lower right")
    return _png(fig)


def _catch_plot(runs: Sequence[tuple[str, pd.DataFrame]]) -> str:
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, foos in runs:
        risks = np.sort(foos.loc[foos["mk_onset"] == 1, "maxrisk2"].dropna().to_numpy())[::-1]
        if not len(risks):
            continue
        caught = np.arange(1, len(risks) + 1) / len(risks)
        ax.step(risks, caught, where="post", label=label)
        at = float(np.mean(risks >= _CATCH_THRESHOLD))
        ax.axhline(at, ls=":", color="red", lw=0.8)
        ax.annotate(f"{at:.2f}", (_CATCH_THRESHOLD, at), textcoords="offset points", xytext=(4, 4), color="red")
    ax.axvline(_CATCH_THRESHOLD, ls=":", color="red", lw=0.8)
    ax.invert_xaxis()
    ax.set(xlabel="risk threshold", ylabel="fraction of onsets caught", title="Catch plot: onsets at or above risk")
    ax.legend(loc="lower right")
    return _png(fig)


def _calibration_plot(runs: Sequence[tuple[str, pd.DataFrame]]) -> str:
    fig, ax = plt.subplots(figsize=(5, 5))
    top = 0.0
    for label, foos in runs:
        table = reliability_table(foos["mk_onset"].to_numpy(), foos["maxrisk2"].to_numpy())
        ax.plot(table["mean_forecast"], table["observed_rate"], marker="o", label=label)
        top = max(top, float(table["mean_forecast"].max()), float(table["observed_rate"].max()))
    ax.plot([0, top], [0, top], ls=":", color="grey")
    ax.set(xlabel="mean forecast (decile of maxrisk2)", ylabel="observed onset rate", title="Calibration")
    ax.legend(loc="upper left")
    return _png(fig)


def _scores_table(rows: Sequence[tuple[str, Scores]]) -> str:
    head = (
        "<tr><th>model</th><th>scored country-years</th><th>onsets</th><th>AUC</th><th>caught in top 30</th>"
        "<th>recall top 30 (pooled)</th><th>recall top 30 (mean of years)</th><th>Brier</th></tr>"
    )
    body = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{s.n_scored}</td><td>{s.n_onsets}</td><td>{s.auc:.4f}</td>"
        f"<td>{s.caught_top30}</td><td>{s.recall_top30_pooled:.4f}</td><td>{s.recall_top30_yearly:.4f}</td>"
        f"<td>{s.brier:.5f}</td></tr>"
        for label, s in rows
    )
    return f"<table>{head}{body}</table>"


def _reliability_html(label: str, foos: pd.DataFrame) -> str:
    table = reliability_table(foos["mk_onset"].to_numpy(), foos["maxrisk2"].to_numpy())
    body = "".join(
        f"<tr><td>{r['bin']}</td><td>{r['n']}</td><td>{r['low']:.4f}-{r['high']:.4f}</td>"
        f"<td>{r['mean_forecast']:.4f}</td><td>{r['observed_rate']:.4f}</td><td>{r['onsets']}</td></tr>"
        for r in table.to_dict("records")
    )
    return (
        f"<h3>Reliability: {html.escape(label)}</h3><table><tr><th>decile</th><th>n</th><th>forecast range</th>"
        f"<th>mean forecast</th><th>observed rate</th><th>onsets</th></tr>{body}</table>"
    )


def backtest_plots(runs: Sequence[tuple[str, pd.DataFrame]]) -> dict[str, str]:
    """The report's three plots as base64 PNG, by name (for the web page of a stored risk run)."""
    return {
        "ROC curve": _roc_plot(runs),
        "Catch plot": _catch_plot(runs),
        "Calibration": _calibration_plot(runs),
    }


def render_report(
    runs: Sequence[tuple[str, pd.DataFrame]],
    *,
    title: str = "Risk backtest",
    provenance: dict[str, str] | None = None,
) -> str:
    """HTML for one or more FOOS tables (label, table), e.g. ours and EWP's published one side by side."""
    if not runs:
        raise ValueError("a report needs at least one backtest")
    prov = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in (provenance or {}).items()
    )
    images = backtest_plots(runs)
    figures = "".join(
        f'<figure><img alt="{html.escape(name)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(name)}</figcaption></figure>"
        for name, data in images.items()
    )
    reliability = "".join(_reliability_html(label, foos) for label, foos in runs)
    scores = _scores_table([(label, score_foos(foos)) for label, foos in runs])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:1em auto;padding:0 1em}}
table{{border-collapse:collapse;margin:0.5em 0}}td,th{{border:1px solid #bbb;padding:0.2em 0.5em;text-align:right}}
th{{background:#eee}}figure{{display:inline-block;margin:0.5em}}</style></head>
<body><h1>{html.escape(title)}</h1>
<p>Rolling, fully out-of-sample backtest in the Early Warning Project's protocol: each country-year is scored
with the larger of the two forecasts made one and two years before it (<code>maxrisk2</code>) and the better of
their within-year ranks (<code>minrank2</code>). <code>maxrisk2</code> is a two-year risk scored
against onset in one year, so calibration points below the diagonal are expected.</p>
<table>{prov}</table>
<h2>Scores</h2>{scores}
<h2>Plots</h2>{figures}
<h2>Reliability tables</h2>{reliability}
</body></html>
"""
