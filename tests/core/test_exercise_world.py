"""The demo exercise world: fictional, clearly marked, and shaped exactly like the real risk data."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lemkin.core.countries import UnknownCountry, all_countries, resolve
from lemkin.core.exercise import (
    COMPARTMENT,
    COUNTRIES,
    EXERCISE,
    PANEL_COLUMNS,
    REGION,
    demo_people,
    synthetic_panel,
    worked_case,
)
from lemkin.core.markings import Level, Marking

EWP_PANEL = "prepared2024predictors-2025-09-03.csv"
OUTCOMES = ("mk_onset_1or2", "mk_onset", "mk_onset_1", "mk_onset_2")


@pytest.fixture(scope="module")
def real(ewp_dir: Path) -> pd.DataFrame:
    """The real EWP panel, read the way an importer reads it."""
    return pd.read_csv(ewp_dir / EWP_PANEL)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return synthetic_panel()


# --- the panel ---------------------------------------------------------------------------------------


def test_columns_are_exactly_the_real_panel_header(ewp_dir: Path, panel: pd.DataFrame) -> None:
    """Same names, same order as EWP's file, so the whole risk pipeline runs on the exercise world."""
    header = (ewp_dir / EWP_PANEL).read_text(encoding="utf-8").splitlines()[0].split(",")
    assert list(panel.columns) == header
    assert list(PANEL_COLUMNS) == header


def test_column_types_match_the_real_panel(real: pd.DataFrame, panel: pd.DataFrame) -> None:
    """Integer columns stay integers, float columns floats, names text: code written for one fits the other."""
    assert panel.dtypes.astype(str).to_dict() == real.dtypes.astype(str).to_dict()


def test_values_stay_within_the_real_ranges(real: pd.DataFrame, panel: pd.DataFrame) -> None:
    """Binary columns are 0/1 and every other predictor stays within what the real panel shows."""
    problems = []
    for column in panel.columns.drop(["ewp_name", "ccode"]):
        values = panel[column].dropna()
        real_values = real[column].dropna()
        if set(real_values.unique()) <= {0, 1} and not set(values.unique()) <= {0, 1}:
            problems.append(f"{column} is binary in EWP but not here: {sorted(values.unique())}")
        if values.min() < real_values.min() or values.max() > real_values.max():
            problems.append(
                f"{column} spans {values.min()}..{values.max()}, EWP {real_values.min()}..{real_values.max()}"
            )
    assert not problems, "\n".join(problems)
    assert panel.drop(columns=["mk_onset_1", "mk_onset_2"]).notna().all().all()


def test_same_seed_same_panel_other_seed_other_panel() -> None:
    """The demo is reproducible: the documented seed gives an identical frame; another seed a different one."""
    pd.testing.assert_frame_equal(synthetic_panel(seed=20260101), synthetic_panel())
    assert not synthetic_panel(seed=7).equals(synthetic_panel())


def test_one_row_per_country_and_year(panel: pd.DataFrame) -> None:
    """Every country from 1990 (or independence) to 2024, once per year."""
    assert not panel.duplicated(["ccode", "year"]).any()
    assert panel.year.min() == 1990
    assert panel.year.max() == 2024
    assert set(panel.ccode) == {c.ccode for c in COUNTRIES}
    for c in COUNTRIES:
        years = panel.loc[panel.ccode == c.ccode, "year"]
        assert list(years) == list(range(max(1990, c.independence), 2025)), c.name
        assert set(panel.loc[panel.ccode == c.ccode, "ewp_name"]) == {c.short_name}


def test_outcomes_are_consistent_with_onsets(panel: pd.DataFrame) -> None:
    """mk_onset_1/2 are the next years' onsets, 1or2 their maximum, and the last two years follow EWP's README."""
    end = int(panel.year.max())
    for _, g in panel.groupby("ccode"):
        onset = g.mk_onset.to_numpy()
        np.testing.assert_array_equal(g.mk_onset_1.to_numpy()[:-1], onset[1:])
        np.testing.assert_array_equal(g.mk_onset_2.to_numpy()[:-2], onset[2:])
        np.testing.assert_array_equal(g.mk_onset_prev_year.to_numpy()[1:], onset[:-1])
        both = np.maximum(onset[1:-1], onset[2:])
        np.testing.assert_array_equal(g.mk_onset_1or2.to_numpy()[:-2], both)
        assert (np.diff(g.mk_ever.to_numpy()) >= 0).all()
        assert (np.diff(g.mean_mk_onset_interaction.to_numpy()) >= 0).all()
    last = panel[panel.year == end]
    second_last = panel[panel.year == end - 1]
    assert last.mk_onset_1.isna().all()
    assert last.mk_onset_2.isna().all()
    assert second_last.mk_onset_2.isna().all()
    assert second_last.mk_onset_1.notna().all()
    assert (last.mk_onset_1or2 == 0).all()
    assert (second_last.mk_onset_1or2 == 0).all()
    assert panel[panel.year < end - 1][["mk_onset_1", "mk_onset_2"]].notna().all().all()


def test_derived_columns_follow_their_definitions(panel: pd.DataFrame) -> None:
    """Columns EWP derives from others are derived the same way here."""
    assert (panel.year_sq == panel.year.astype(float) ** 2).all()
    assert (panel[["partyban.new.0", "partyban.new.1", "partyban.new.2"]].sum(axis=1) == 1).all()
    assert (panel.includesnonstate == (panel.year >= 1989)).all()
    assert (panel.mk_ever[panel.mk_onset == 1] == 1).all()
    assert set(np.round(2**panel.mk_ongoing_count_log2 - 1, 9)) <= {0, 1, 2, 3}
    assert (panel.newcountry == (panel["countryage.new.log2"] < np.log2(4))).all()


def test_enough_onsets_to_fit_a_model(panel: pd.DataFrame) -> None:
    """The training years hold enough positive outcomes, in several countries, for a penalised logistic model."""
    train = panel[panel.year <= panel.year.max() - 2]
    assert train.mk_onset_1or2.sum() >= 15
    assert train.loc[train.mk_onset == 1, "ccode"].nunique() >= 4


def test_an_elastic_net_model_learns_the_risk_and_flags_the_worked_case(panel: pd.DataFrame) -> None:
    """Fitted the EWP way (elastic net, outcome 1or2, train to end-2), the model finds signal and ranks
    Varenia, the worked case, among the three highest risks from the last year's predictors."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    predictors = [c for c in PANEL_COLUMNS if c not in ("ewp_name", "ccode", *OUTCOMES)]
    train = panel[panel.year <= 2022]
    model = make_pipeline(StandardScaler(), LogisticRegression(l1_ratio=0.5, C=0.5, solver="saga", max_iter=5000))
    model.fit(train[predictors], train.mk_onset_1or2)
    assert roc_auc_score(train.mk_onset_1or2, model.predict_proba(train[predictors])[:, 1]) > 0.75
    latest = panel[panel.year == 2024]
    risk = pd.Series(model.predict_proba(latest[predictors])[:, 1], index=latest.ewp_name)
    assert "Varenia" in risk.nlargest(3).index


# --- the countries -----------------------------------------------------------------------------------


def test_no_fictional_country_collides_with_a_real_one() -> None:
    """No fictional name or code resolves in the real table, so no real country gets a made-up figure."""
    real_cows = {c.cow for c in all_countries() if c.cow is not None}
    real_codes = {c.iso3 for c in all_countries()} | {c.iso2 for c in all_countries() if c.iso2}
    for c in COUNTRIES:
        for query in (c.name, c.short_name, c.code, c.code[:2]):
            with pytest.raises(UnknownCountry):
                resolve(query)
        assert c.code not in real_codes
        assert c.ccode not in real_cows
        assert c.ccode > 9000


def test_fictional_countries_are_marked_and_distinct() -> None:
    """X-codes, one region, EXERCISE everywhere, and the six situations the demo needs, once each."""
    assert EXERCISE is True
    assert all(c.exercise and c.region == REGION for c in COUNTRIES)
    assert all(len(c.code) == 3 and c.code.isalpha() and c.code.isupper() and c.code[0] == "X" for c in COUNTRIES)
    for attribute in ("code", "ccode", "name", "short_name"):
        assert len({getattr(c, attribute) for c in COUNTRIES}) == len(COUNTRIES), attribute
    stories = [c.situation for c in COUNTRIES if c.situation != "background"]
    for situation in ("volcanic", "rolling", "stable", "post_agreement", "election_crisis", "patron_shielded"):
        assert stories.count(situation) == 1, situation
    codes = {c.code for c in COUNTRIES}
    assert all(c.patron in codes for c in COUNTRIES if c.patron)
    assert any(c.patron for c in COUNTRIES if c.situation == "patron_shielded")


# --- people ------------------------------------------------------------------------------------------


def test_demo_people_cover_agencies_roles_and_clearances() -> None:
    """One account per role across the agencies, so every screen and every access rule can be shown."""
    people = demo_people()
    assert len({p.username for p in people}) == len(people)
    assert {p.agency for p in people} == {"NSC", "STATE", "DOD", "IC", "DOJ", "TREASURY", "USAID"}
    assert {p.role for p in people} >= {
        "analyst", "planner", "committee_member", "deputy", "principal", "congressional_liaison",
        "administrator", "auditor",
    }  # fmt: skip
    assert {p.clearance for p in people} == {level.abbreviation for level in Level}
    assert all(p.exercise for p in people)


def test_demo_people_show_need_to_know() -> None:
    """Some people are read into the worked case's compartment and some are not; the compartment is valid."""
    people = demo_people()
    read_in = [p for p in people if COMPARTMENT in p.compartments]
    assert read_in
    assert len(read_in) < len(people)
    assert all(p.clearance in {"S", "TS"} for p in read_in)
    Marking(level=Level.SECRET, compartments=frozenset({COMPARTMENT}), exercise=True)  # raises if invalid


def test_demo_people_carry_no_passwords() -> None:
    """Passwords are made by the loader at random, never stored in code."""
    fields = {f.name for f in dataclasses.fields(demo_people()[0])}
    assert not any("pass" in name or "secret" in name for name in fields)


# --- the worked case ---------------------------------------------------------------------------------

CASE_FIELDS = {
    "id", "title", "country", "as_of", "sources", "tempo", "phase", "window_days", "country_profile", "actors",
    "partners", "constraints",
}  # fmt: skip
PROFILE_FIELDS = {
    "regime", "remote", "economic_integration", "aid_dependence", "elite_assets_abroad", "diaspora_networks",
    "internal_groups", "patrons", "neighbours_stance", "regional_organisations", "peace_process",
    "peacekeepers_present", "us_military_access",
}  # fmt: skip


def test_worked_case_follows_the_case_profile_format() -> None:
    """Only the fields and values shared/cases/README.md allows, so the planning core accepts it."""
    case = worked_case()
    assert set(case) <= CASE_FIELDS
    assert CASE_FIELDS - set(case) <= {"window_days", "constraints", "partners"}
    assert case["tempo"] in {"volcanic", "rolling"}
    assert case["phase"] in {"latent", "emerging", "escalating", "mass_atrocities"}
    assert isinstance(case["as_of"], datetime.date)
    profile = case["country_profile"]
    assert set(profile) <= PROFILE_FIELDS
    assert profile["regime"] in {"democracy", "hybrid", "autocracy"}
    assert profile["neighbours_stance"] in {"supportive", "mixed", "shielding"}
    assert profile["peace_process"] in {"none", "ongoing"}
    assert set(case["actors"]) <= {"decision_makers", "perpetrators", "victims", "third_parties"}
    assert case["actors"]["victims"]["groups"]
    for partner in case["partners"]:
        assert set(partner) == {"name", "kind", "relation"}
        assert partner["kind"] in {
            "state", "regional_organisation", "international_organisation", "ngo", "business", "media", "diaspora",
        }  # fmt: skip
        assert partner["relation"] in {"patron", "neighbour", "donor", "trade_partner", "mediator", "ally"}
    assert case["constraints"]["un_security_council"] in {"open", "contested"}


def test_worked_case_is_the_most_serious_fictional_country() -> None:
    """The case is Varenia's, tells the same story as its panel, and names only fictional states."""
    case = worked_case()
    varenia = COUNTRIES[0]
    assert case["country"] == varenia.code
    assert case["tempo"] == varenia.situation == "volcanic"
    assert case["country_profile"]["regime"] == varenia.regime
    assert "EXERCISE" in case["title"]
    assert all("EXERCISE" in s for s in case["sources"])
    fictional_names = {c.name for c in COUNTRIES} | {c.short_name for c in COUNTRIES}
    assert all(p["name"] in fictional_names for p in case["partners"] if p["kind"] == "state")
    assert all(code in {c.code for c in COUNTRIES} for code in case["country_profile"]["patrons"])


def test_worked_case_returns_a_fresh_copy() -> None:
    """A caller editing its copy cannot change the next caller's case."""
    first = worked_case()
    first["country_profile"]["regime"] = "democracy"
    assert worked_case()["country_profile"]["regime"] == COUNTRIES[0].regime
