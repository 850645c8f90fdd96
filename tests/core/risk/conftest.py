"""Fixtures for the risk tests: the EWP panel (read in place, never copied) and small synthetic panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lemkin.core.risk.panel import EWP_PREDICTORS, OUTCOMES, Panel, load_panel

EWP_PANEL = "prepared2024predictors-2025-09-03.csv"


@pytest.fixture(scope="session")
def ewp_panel_path(ewp_dir: Path) -> Path:
    """Path of EWP's prepared-predictors file."""
    return ewp_dir / EWP_PANEL


@pytest.fixture(scope="session")
def ewp_panel(ewp_panel_path: Path) -> Panel:
    """EWP's panel, loaded and validated once per session."""
    return load_panel(ewp_panel_path)


def synthetic_panel_frame(n_countries: int = 20, first: int = 1980, last: int = 1996, seed: int = 7) -> pd.DataFrame:
    """A panel in EWP's columns with a known signal: onsets follow ``battledeaths.log2`` and ``discrimpop``."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_countries):
        for year in range(first, last + 1):
            row: dict[str, object] = {p: float(rng.normal()) for p in EWP_PREDICTORS}
            row.update(ewp_name=f"Country {c:02d}", ccode=100 + c, year=year, year_sq=float(year**2))
            rows.append(row)
    frame = pd.DataFrame(rows)
    logit = -3.5 + 1.2 * frame["battledeaths.log2"] + 0.8 * frame["discrimpop"]
    onset = (rng.random(len(frame)) < 1 / (1 + np.exp(-logit))).astype(int)
    frame["mk_onset"] = onset
    by_country = frame.groupby("ccode")["mk_onset"]
    frame["mk_onset_1"] = by_country.shift(-1)
    frame["mk_onset_2"] = by_country.shift(-2)
    frame["mk_onset_1or2"] = ((frame["mk_onset_1"].fillna(0) + frame["mk_onset_2"].fillna(0)) > 0).astype(int)
    return frame[["ewp_name", "year", *[p for p in EWP_PREDICTORS if p != "year"], *OUTCOMES, "ccode"]]


@pytest.fixture
def synthetic_csv(tmp_path: Path) -> Path:
    """A small synthetic panel CSV in EWP's layout (20 countries, 1980-1996), written with R-style ``NA``."""
    path = tmp_path / "synthetic-2026-01-01.csv"
    synthetic_panel_frame().to_csv(path, index=False, na_rep="NA")
    return path
