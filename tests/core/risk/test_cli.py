"""The ``lemkin risk`` commands: exit codes, outputs, and one clear line on bad input."""

import pandas as pd
from typer.testing import CliRunner

from lemkin.commands.risk import app
from lemkin.core.risk.backtest import FOOS_COLUMNS

from .conftest import synthetic_panel_frame

runner = CliRunner()


def test_backtest_writes_foos_and_report(synthetic_csv, tmp_path):
    """A backtest writes EWP's FOOS columns and a self-contained report, and prints the scores."""
    out, report = tmp_path / "out" / "foos.csv", tmp_path / "report.html"
    result = runner.invoke(
        app, ["backtest", "--data", str(synthetic_csv), "--model", "boosting", "--out", str(out),
              "--report", str(report), "--jobs", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "AUC" in result.output
    assert list(pd.read_csv(out).columns)[1:] == list(FOOS_COLUMNS)
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert not list(out.parent.glob(".*tmp"))


def test_bad_panel_fails_with_row_and_column_and_writes_nothing(tmp_path):
    """A wrong value gives one line with file, row and column; exit code 1; no output file."""
    frame = synthetic_panel_frame(n_countries=2, first=1985, last=1996).astype(object)
    frame.loc[4, "discrimpop"] = "lots"
    data = tmp_path / "bad.csv"
    frame.to_csv(data, index=False)
    out = tmp_path / "foos.csv"
    result = runner.invoke(app, ["backtest", "--data", str(data), "--model", "elasticnet", "--out", str(out)])
    assert result.exit_code == 2
    assert "bad.csv" in result.output
    assert "row 6" in result.output
    assert "'discrimpop'" in result.output
    assert not out.exists()


def test_unknown_model(synthetic_csv, tmp_path):
    """An unknown model name lists the known ones."""
    result = runner.invoke(
        app, ["forecast", "--data", str(synthetic_csv), "--model", "oracle", "--base-year", "1996",
              "--out", str(tmp_path / "f.csv")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "elasticnet" in result.output
    assert "best" in result.output


def test_forecast_command(synthetic_csv, tmp_path):
    """forecast writes one ranked row per country."""
    out = tmp_path / "forecast.csv"
    result = runner.invoke(
        app, ["forecast", "--data", str(synthetic_csv), "--model", "boosting", "--base-year", "1996",
              "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert len(frame) == 20
    assert frame["rank_2yr"].is_monotonic_increasing
    bad = runner.invoke(
        app, ["forecast", "--data", str(synthetic_csv), "--model", "boosting", "--base-year", "2050",
              "--out", str(tmp_path / "x.csv")],
    )  # fmt: skip
    assert bad.exit_code == 2
    assert "2050" in bad.output
    assert not (tmp_path / "x.csv").exists()
