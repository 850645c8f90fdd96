"""The demo exercise world as ``make run`` loads it: fictional, marked EXERCISE, with people of every role."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lemkin.apps.accounts.models import Person, Role
from lemkin.apps.cases.models import Case
from lemkin.apps.watchlist.models import Country, RiskRun
from lemkin.cli import app
from lemkin.core import countries
from lemkin.core.exercise import world
from lemkin.site import demo

runner = CliRunner()


@pytest.mark.django_db
def test_the_demo_world_loads_fictional_exercise_countries_and_people_of_every_role(
    settings: object, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    demo.load()
    loaded = Country.objects.all()
    assert loaded.count() >= 6
    assert all(country.is_exercise and country.marking.exercise for country in loaded)
    for country in loaded:
        with pytest.raises(countries.UnknownCountry):
            countries.resolve(country.iso3)
    roles = set().union(*(person.roles for person in Person.objects.all()))
    assert roles == set(Role.values)
    logins = demo.read_logins()
    assert len(logins) == Person.objects.count()
    assert oct(demo.logins_file().stat().st_mode & 0o777) == "0o600"
    case = Case.objects.get()
    assert (case.marking.banner, case.is_exercise) == ("EXERCISE — SECRET//KESTREL", True)
    assert case.package_yaml, "the suggested playbooks are applied, so the demo shows a package and its review"
    run = RiskRun.objects.get()
    assert run.is_exercise
    assert run.forecasts.count() == len(world.COUNTRIES)
    assert run.forecasts.order_by("rank_2yr").first().country.iso3 == "XVA", "Varenia is the worked case"
    username, password, _ = logins[0]
    assert Person.objects.get(username=username).check_password(password)


@pytest.mark.django_db
def test_loading_twice_changes_nothing_but_the_passwords(settings: object, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    demo.load(with_risk=False)
    counts = (Country.objects.count(), Person.objects.count())
    demo.load(with_risk=False)
    assert (Country.objects.count(), Person.objects.count()) == counts


def test_the_synthetic_panel_is_written_in_the_early_warning_project_columns(tmp_path: Path, ewp_dir: Path) -> None:
    out = tmp_path / "panel.csv"
    result = runner.invoke(app, ["demo", "panel", str(out)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out)
    real_columns = pd.read_csv(ewp_dir / "prepared2024predictors-2025-09-03.csv", nrows=0).columns
    assert list(written.columns) == list(real_columns)
    assert set(written["ewp_name"]) == {country.short_name for country in world.COUNTRIES}
    assert set(written["ccode"]) == {country.ccode for country in world.COUNTRIES}


@pytest.mark.django_db
def test_reset_removes_every_exercise_record_and_loads_the_world_again(settings: object, tmp_path: Path) -> None:
    from lemkin.apps.watchlist import models as wl

    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    demo.load()
    assert wl.Warning.objects.filter(country__iso3="XVA").exists(), "the demo indicator's rule has fired"
    assert wl.EmergencyMeetingProposal.objects.exists(), "Varenia is high and rising, so a meeting is proposed"
    assert wl.Listing.objects.filter(tier__code="high_and_rising", country__iso3="XVA").exists()
    demo.unload()
    assert not Country.objects.filter(is_exercise=True).exists()
    assert not wl.RiskRun.objects.exists()
    assert not wl.Warning.objects.exists()
    demo.load(with_risk=False)
    assert Country.objects.filter(is_exercise=True).count() == len(world.COUNTRIES)
