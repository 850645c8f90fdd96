"""The HTML report (self-contained, escaped) and per-country forecasts with provenance."""

import base64
import re

import numpy as np
import pandas as pd
import pytest

from lemkin.core.risk.forecast import forecast, run_forecast
from lemkin.core.risk.report import render_report


def test_report_is_self_contained_and_escaped(ewp_dir):
    """Three embedded PNG plots, no external URL, and text from arguments is escaped."""
    foos = pd.read_csv(ewp_dir / "FOOSforecasts_3Sep2025.csv")
    page = render_report([("<b>EWP</b>", foos)], title="<script>alert(1)</script>", provenance={"by": "a&b"})
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;b&gt;EWP&lt;/b&gt;" in page
    assert "a&amp;b" in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 3
    assert all(base64.b64decode(img)[:8] == b"\x89PNG\r\n\x1a\n" for img in images)
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "0.8252" in page


def _four_significant(values: pd.Series) -> np.ndarray:
    """Round as R's ``signif(x, 4)`` does (EWP's published precision)."""
    x = values.to_numpy(dtype=float)
    scale = 10.0 ** (np.floor(np.log10(np.abs(x))) - 3)
    return np.round(x / scale) * scale


def test_elasticnet_forecast_reproduces_ewp_2025(ewp_panel, ewp_dir):
    """Forecasts from 2024 equal EWP's published ones: the 2025-26, 2025-only and last year's risks, all 168
    countries, once ours are rounded to the four significant digits EWP publishes; so do the ranks.

    Also checks the change since last year and provenance.
    """
    result = forecast(ewp_panel, "elasticnet", 2024, n_jobs=2)
    ours = result.to_frame()
    published = pd.read_csv(ewp_dir / "final_forecasts_data_3Sep2025.csv")
    merged = ours.merge(published, on="ewp_name")
    assert len(merged) == 168
    for mine, theirs in (
        ("risk_2yr", "risk.2025and2026.from2024"),
        ("risk_1yr", "risk.2025only.from2024"),
        ("previous_risk_2yr", "risk.2024and2025.from2023"),
    ):
        np.testing.assert_allclose(_four_significant(merged[mine]), merged[theirs], rtol=1e-12, err_msg=mine)
    assert (merged["rank_2yr"] == merged["rank.2025and2026.from2025"]).all()
    assert (merged["rank_1yr"] == merged["riskrank.2025only.from2024"]).all()
    row = ours.iloc[0]
    assert row["change_2yr"] == pytest.approx(row["risk_2yr"] - row["previous_risk_2yr"])
    assert row["factor_1"] in ewp_panel.predictors
    prov = result.provenance()
    assert prov["input_sha256"] == ewp_panel.sha256
    assert prov["data_vintage"] == "2025-09-03"
    assert prov["parameters"]["l1_ratio"] == 0.5
    assert prov["train_years"] == [1960, 2022]


def test_forecast_refuses_a_base_year_outside_the_panel(synthetic_csv):
    """A base year the panel cannot support is a clear error."""
    with pytest.raises(ValueError, match="outside the usable range"):
        run_forecast(synthetic_csv, "boosting", 2030)


def test_boosting_forecast_explains_with_shap(synthetic_csv):
    """Tree forecasts name SHAP factors; the planted signal (battle deaths, discrimination) leads somewhere."""
    result = run_forecast(synthetic_csv, "boosting", 1996)
    frame = result.to_frame()
    assert len(frame) == 20
    assert frame["rank_2yr"].min() == 1
    factors = set(frame[["factor_1", "factor_2", "factor_3"]].to_numpy().ravel())
    assert factors & {"battledeaths.log2", "discrimpop"}
    assert result.model_resolved == "boosting"
    assert result.contributions.shape == (20, 39)
