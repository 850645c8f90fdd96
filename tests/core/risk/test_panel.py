"""Panel loading and validation: every problem named with its row and column."""

from pathlib import Path

import pytest

from lemkin.core.risk.panel import OUTCOMES, PanelError, load_panel

from .conftest import synthetic_panel_frame


def test_ewp_panel_loads_with_documented_shape(ewp_panel):
    """The README's figures: 9,463 rows, 173 countries, 1960-2024, missing counts, 8,970 complete cases."""
    frame = ewp_panel.frame
    assert len(frame) == 9463
    assert frame["ccode"].nunique() == 173
    assert ewp_panel.years == (1960, 2024)
    assert ewp_panel.missing == {"popsize.log2": 46, "gdppcgrowth": 125, "un_imr_sqrt": 76}
    selection = ewp_panel.complete_cases(outcomes=OUTCOMES)
    assert len(selection.frame) == 8970
    assert selection.n_dropped == 9463 - 8970
    assert ewp_panel.vintage == "2025-09-03"
    assert len(ewp_panel.sha256) == 64


def _write(tmp_path: Path, frame, name="panel.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False, na_rep="NA")
    return path


def test_every_problem_is_reported_with_row_and_column(tmp_path):
    """A file with five different faults yields five problems, each at its file line and column."""
    frame = synthetic_panel_frame(n_countries=3, first=1990, last=1994).astype(object)
    frame.loc[1, "gdppcgrowth"] = "abc"  # line 3: not a number
    frame.loc[2, "mk_onset"] = 2  # line 4: outcome outside {0, 1}
    frame.loc[4, "year"] = 1990  # line 6: duplicate of line 2 and out of order
    frame.loc[7, "ccode"] = "x"  # line 9: not a number
    with pytest.raises(PanelError) as caught:
        load_panel(_write(tmp_path, frame))
    found = {(p.row, p.column, p.message.split(":")[0].split(" (")[0]) for p in caught.value.problems}
    assert (3, "gdppcgrowth", "not a number") in found
    assert (4, "mk_onset", "outcome must be 0 or 1") in found
    assert (9, "ccode", "not a number") in found
    # the ccode error stops the order checks (they need valid keys); fix it and the order faults appear
    frame.loc[7, "ccode"] = 101
    frame.loc[1, "gdppcgrowth"] = 0.5
    frame.loc[2, "mk_onset"] = 0
    with pytest.raises(PanelError) as caught:
        load_panel(_write(tmp_path, frame))
    messages = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert any(row == 6 and "duplicate country-year" in msg for row, _, msg in messages)
    assert any(row == 6 and "out of order" in msg for row, _, msg in messages)
    assert "row 6" in str(caught.value)


def test_missing_and_unknown_columns(tmp_path):
    """Missing required columns and unexpected ones are both listed, on the header line."""
    frame = synthetic_panel_frame(n_countries=2, first=1990, last=1992)
    frame = frame.drop(columns=["discrimpop", "mk_onset_1or2"]).assign(extra=1)
    with pytest.raises(PanelError) as caught:
        load_panel(_write(tmp_path, frame))
    problems = {(p.row, p.column, p.message) for p in caught.value.problems}
    assert (1, "discrimpop", "required column is missing") in problems
    assert (1, "mk_onset_1or2", "required column is missing") in problems
    assert (1, "extra", "unknown column") in problems
    assert load_panel(_write(tmp_path, frame.assign(discrimpop=0.1, mk_onset_1or2=0)), extra_columns="ignore")


def test_column_mapping(tmp_path):
    """A panel with other column names loads through a mapping to the canonical names."""
    frame = synthetic_panel_frame(n_countries=2, first=1990, last=1992)
    renamed = frame.rename(columns={"ewp_name": "country", "battledeaths.log2": "bd"})
    panel = load_panel(_write(tmp_path, renamed), mapping={"ewp_name": "country", "battledeaths.log2": "bd"})
    assert panel.frame["battledeaths.log2"].tolist() == frame["battledeaths.log2"].tolist()
    assert panel.frame["ewp_name"].iloc[0] == "Country 00"


def test_missing_predictors_are_counted_and_dropped(tmp_path):
    """Missing predictor values are allowed, counted per column, and complete_cases drops and reports them."""
    frame = synthetic_panel_frame(n_countries=2, first=1990, last=1994)
    frame.loc[[0, 3], "gdppcgrowth"] = None
    panel = load_panel(_write(tmp_path, frame))
    assert panel.missing == {"gdppcgrowth": 2}
    selection = panel.complete_cases()
    assert selection.n_dropped == 2
    assert selection.dropped_by_column == {"gdppcgrowth": 2}
    assert panel.vintage == ""


def test_unreadable_file(tmp_path):
    """A missing file is a PanelError, not a traceback."""
    with pytest.raises(PanelError, match="cannot read file"):
        load_panel(tmp_path / "nope.csv")
