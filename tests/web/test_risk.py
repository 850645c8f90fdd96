"""Risk runs in the database: import with provenance, all or nothing; pages and API through the access point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse
from typer.testing import CliRunner

from lemkin.apps.accounts.models import Role
from lemkin.apps.audit.models import AuditEvent
from lemkin.apps.watchlist.models import Country, Listing, RiskForecast, RiskRun
from lemkin.apps.watchlist.risk import store_run
from lemkin.cli import app
from lemkin.core.exercise import world
from lemkin.core.markings import Level
from lemkin.core.risk.forecast import run_forecast

runner = CliRunner()


@pytest.fixture(scope="module")
def exercise_panel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("panel") / "exercise-panel-2026-01-01.csv"
    world.synthetic_panel().to_csv(path, index=False, na_rep="NA")
    return path


@pytest.fixture(scope="module")
def exercise_forecast(exercise_panel: Path) -> Any:
    return run_forecast(exercise_panel, "elasticnet", 2024)


@pytest.mark.django_db
def test_import_stores_the_run_with_its_provenance_in_one_go(exercise_panel: Path) -> None:
    result = runner.invoke(
        app, ["risk", "import", "--data", str(exercise_panel), "--model", "elasticnet", "--base-year", "2024"]
    )
    assert result.exit_code == 0, result.output
    run = RiskRun.objects.get()
    assert (run.model_resolved, run.base_year, run.data_vintage) == ("elasticnet", 2024, "2026-01-01")
    assert len(run.input_sha256) == 64
    assert run.is_exercise
    assert run.forecasts.count() == len(world.COUNTRIES)
    by_risk = list(run.forecasts.order_by("-risk_2yr").values_list("rank_2yr", flat=True))
    assert by_risk[0] == 1
    assert by_risk == sorted(by_risk), "rank 1 is the highest risk (ties share a rank)"
    top = run.forecasts.get(rank_2yr=1)
    assert top.factors, "each forecast names its main contributing factors"
    proposal = run.proposals.get(country__iso3="XVA")
    assert (proposal.current_tier.code, proposal.proposed_tier.code, proposal.status) == (
        "not_listed",
        "high_and_rising",
        "open",
    )
    assert any("rank 1" in fact for fact in proposal.factors)
    assert not Listing.objects.exists(), "nothing changes tier until an analyst decides"
    event = AuditEvent.objects.get(name="RiskRunImported")
    assert event.detail["input_sha256"] == run.input_sha256
    assert event.actor.startswith("cli:")


@pytest.mark.django_db
def test_an_unknown_country_stops_the_import_and_nothing_is_written(tmp_path: Path) -> None:
    frame = world.synthetic_panel()
    frame.loc[frame["ewp_name"] == "Corvath", "ccode"] = 9999
    path = tmp_path / "panel-2026-01-01.csv"
    frame.to_csv(path, index=False, na_rep="NA")
    countries, events = Country.objects.count(), AuditEvent.objects.count()
    result = runner.invoke(app, ["risk", "import", "--data", str(path), "--model", "elasticnet", "--base-year", "2024"])
    assert result.exit_code == 2
    assert "Corvath" in result.output
    assert "9999" in result.output
    assert not RiskRun.objects.exists()
    assert (Country.objects.count(), AuditEvent.objects.count()) == (countries, events)


@pytest.mark.django_db
def test_a_panel_without_a_vintage_needs_one_given(tmp_path: Path) -> None:
    path = tmp_path / "panel.csv"
    world.synthetic_panel().to_csv(path, index=False, na_rep="NA")
    result = runner.invoke(app, ["risk", "import", "--data", str(path), "--model", "elasticnet", "--base-year", "2024"])
    assert result.exit_code == 2
    assert "--vintage" in result.output
    assert not RiskRun.objects.exists()


@pytest.mark.django_db
def test_run_pages_and_api_show_ranked_forecasts_and_history(
    exercise_forecast: Any, a_person: Any, client_for: Any
) -> None:
    run = store_run(exercise_forecast, created_by="test")
    client = client_for(a_person(roles=[Role.ANALYST]))
    page = client.get(reverse("watchlist:risk-run-detail", kwargs={"run_id": run.pk})).content.decode()
    assert "Republic of Varenia" in page
    assert run.input_sha256 in page
    filtered = client.get(
        reverse("watchlist:risk-run-detail", kwargs={"run_id": run.pk}), {"q": "Ostrel"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Ostrel" in filtered
    assert "Varenia" not in filtered
    forecasts = client.get(f"/api/watchlist/risk-runs/{run.pk}/forecasts").json()
    assert [f["rank_2yr"] for f in forecasts] == sorted(f["rank_2yr"] for f in forecasts)
    assert forecasts[0]["risk_2yr"] >= forecasts[-1]["risk_2yr"]
    history = client.get("/api/watchlist/countries/XVA/risk").json()
    assert [(h["run"], h["base_year"]) for h in history] == [(run.pk, 2024)]
    country_page = client.get(reverse("watchlist:country-detail", kwargs={"iso3": "XVA"})).content.decode()
    assert "<svg" in country_page


@pytest.mark.django_db
def test_a_secret_run_is_invisible_to_a_person_cleared_lower(
    exercise_forecast: Any, a_person: Any, client_for: Any
) -> None:
    run = store_run(exercise_forecast, created_by="test")
    RiskRun.objects.filter(pk=run.pk).update(classification=Level.SECRET)
    client = client_for(a_person(roles=[Role.ANALYST], clearance=Level.CONFIDENTIAL))
    assert client.get(reverse("watchlist:risk-run-detail", kwargs={"run_id": run.pk})).status_code == 404
    assert client.get("/api/watchlist/risk-runs").json() == []
    assert client.get(f"/api/watchlist/risk-runs/{run.pk}/forecasts").status_code == 404
    assert client.get("/api/watchlist/countries/XVA/risk").json() == []
    assert RiskForecast.objects.filter(run=run).count() == len(world.COUNTRIES)


@pytest.mark.django_db
def test_real_data_resolves_every_country_through_the_country_table(ewp_dir: Path) -> None:
    """The Early Warning Project's panel (read from ../shared): every country lands as a real country."""
    result = run_forecast(ewp_dir / "prepared2024predictors-2025-09-03.csv", "elasticnet", 2024)
    run = store_run(result, created_by="test")
    assert not run.is_exercise
    assert run.data_vintage == "2025-09-03"
    stored = pd.DataFrame(run.forecasts.values("country__iso3", "country__ccode", "country__is_exercise"))
    assert len(stored) == len(result.countries) >= 160
    assert not stored["country__is_exercise"].any()
    assert stored["country__iso3"].str.fullmatch(r"[A-Z]{3}").all()


@pytest.mark.django_db
def test_a_run_imported_with_its_backtest_shows_scores_and_plots(
    exercise_panel: Path, tmp_path: Path, a_person: Any, client_for: Any
) -> None:
    """The run page shows the backtest's AUC, recall and Brier, and its ROC, catch and calibration plots."""
    from lemkin.core.risk.backtest import run_backtest, write_foos_csv
    from lemkin.core.risk.models import make_model
    from lemkin.core.risk.panel import load_panel

    backtest = run_backtest(load_panel(exercise_panel), make_model("elasticnet"), origins=range(2012, 2021))
    foos = tmp_path / "foos.csv"
    write_foos_csv(backtest.foos, foos)
    arguments = ["risk", "import", "--data", str(exercise_panel), "--model", "elasticnet", "--base-year", "2024"]
    result = runner.invoke(app, [*arguments, "--backtest", str(foos)])
    assert result.exit_code == 0, result.output
    run = RiskRun.objects.get()
    assert run.backtest_scores["auc"] == pytest.approx(backtest.scores.auc)
    assert set(run.plots) == {"ROC curve", "Catch plot", "Calibration"}
    page = client_for(a_person(roles=[Role.ANALYST])).get(
        reverse("watchlist:risk-run-detail", kwargs={"run_id": run.pk})
    )
    assert page.content.decode().count("data:image/png;base64,") == 3
    bad = runner.invoke(app, [*arguments, "--backtest", str(exercise_panel)])
    assert bad.exit_code == 2
    assert "not a FOOS table" in bad.output
    assert RiskRun.objects.count() == 1


@pytest.mark.django_db
def test_a_run_that_loses_countries_against_the_previous_run_waits_for_review(
    exercise_panel: Path, tmp_path: Path
) -> None:
    arguments = ["risk", "import", "--model", "elasticnet", "--base-year", "2024"]
    assert runner.invoke(app, [*arguments, "--data", str(exercise_panel)]).exit_code == 0
    frame = world.synthetic_panel()
    smaller = tmp_path / "exercise-panel-2026-02-01.csv"
    frame[~((frame["ewp_name"] == "Corvath") & (frame["year"] == 2024))].to_csv(smaller, index=False, na_rep="NA")
    refused = runner.invoke(app, [*arguments, "--data", str(smaller)])
    assert refused.exit_code == 2
    assert "--accept-drift" in refused.output
    assert RiskRun.objects.count() == 1
    accepted = runner.invoke(app, [*arguments, "--data", str(smaller), "--accept-drift"])
    assert accepted.exit_code == 0, accepted.output
    assert any("9011" in line for line in RiskRun.objects.order_by("-pk").first().drift)
