"""Case profiles are read exactly per shared/cases/README.md: unknown fields and bad values are rejected, each
problem naming the file and the field path, all problems at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lemkin.core.planning.enums import Phase, Tempo
from lemkin.core.planning.profile import (
    CaseProfile,
    CaseProfileError,
    load_profile,
    parse_profile,
    profile_from_yaml,
    profile_to_dict,
)
from tests.core.planning.builders import case_data


def test_every_shared_case_loads_and_round_trips(cases_dir: Path) -> None:
    files = sorted(cases_dir.glob("*.yaml"))
    assert len(files) >= 3
    for file in files:
        profile = load_profile(file)
        assert profile.id == file.stem
        assert parse_profile(profile_to_dict(profile)) == profile


def test_real_cases_read_as_written(real_case: Callable[[str], CaseProfile]) -> None:
    rwanda = real_case("rwanda-1994")
    assert rwanda.tempo is Tempo.VOLCANIC
    assert rwanda.phase is Phase.MASS_ATROCITIES
    assert rwanda.window_days == 11
    assert rwanda.country_profile.patrons == ("FRA",)
    assert rwanda.country_profile.peacekeepers_present is True
    assert rwanda.country_profile.elite_assets_abroad is None  # left out: unknown, not false
    assert real_case("kosovo-1998").tempo is Tempo.ROLLING


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"colour": "red"}, "colour", "unknown field"),
        ({"country_profile__wealth": "high"}, "country_profile.wealth", "unknown field"),
        ({"tempo": "both"}, "tempo", "is not one of volcanic, rolling"),
        ({"tempo": "fast"}, "tempo", "is not one of volcanic, rolling"),
        ({"phase": "genocide"}, "phase", "is not one of latent"),
        ({"country": "Kenya"}, "country", "ISO 3166-1 alpha-3"),
        ({"id": "Kenya 2008"}, "id", "lowercase slug"),
        ({"as_of": "3 January 2008"}, "as_of", "expected a date"),
        ({"window_days": "thirty"}, "window_days", "whole number"),
        ({"window_days": True}, "window_days", "whole number"),
        ({"window_days": -1}, "window_days", ">= 0"),
        ({"title": None}, "title", "missing required field"),
        ({"country_profile__regime": "dictatorship"}, "country_profile.regime", "democracy, hybrid, autocracy"),
        ({"country_profile__remote": "no"}, "country_profile.remote", "true or false"),
        ({"country_profile__patrons": ["Russia"]}, "country_profile.patrons[0]", "alpha-3"),
        ({"country_profile__patrons": "RUS"}, "country_profile.patrons", "expected a list"),
        ({"country_profile__neighbours_stance": "hostile"}, "country_profile.neighbours_stance", "supportive"),
        ({"country_profile__us_military_access": "full"}, "country_profile.us_military_access", "limited"),
        ({"country_profile__aid_dependence": "total"}, "country_profile.aid_dependence", "low, medium, high"),
        ({"actors__victims__number": "many"}, "actors.victims.number", "whole number"),
        ({"actors__victims__groups": None}, "actors.victims.groups", "missing required field"),
        ({"actors__perpetrators": None}, "actors.perpetrators", "missing required field"),
        ({"partners": [{"name": "X", "kind": "church", "relation": "donor"}]}, "partners[0].kind", "state"),
        ({"partners": [{"name": "X", "kind": "state", "relation": "friend"}]}, "partners[0].relation", "patron"),
        ({"partners": [{"name": "X", "kind": "state"}]}, "partners[0].relation", "missing required field"),
        ({"constraints__un_security_council": "closed"}, "constraints.un_security_council", "open, contested"),
        ({"constraints__deadline": 3}, "constraints.deadline", "unknown field"),
    ],
)
def test_bad_profiles_are_rejected_with_the_field_named(changes: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(CaseProfileError) as raised:
        parse_profile(case_data(**changes), source="cases/bad.yaml")
    problems = raised.value.problems
    assert any(p.startswith(f"{path}: ") and message in p for p in problems), problems
    assert all(line.startswith("cases/bad.yaml: ") for line in str(raised.value).splitlines())


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(CaseProfileError) as raised:
        parse_profile(case_data(tempo="fast", phase="late", country_profile__remote=3, extra=1))
    assert len(raised.value.problems) == 4
    assert raised.value.one_line().count(";") == 3


def test_a_file_error_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: x\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CaseProfileError) as raised:
        load_profile(bad)
    assert raised.value.source == str(bad)
    assert "YAML syntax" in str(raised.value)
    with pytest.raises(CaseProfileError, match="cannot read"):
        load_profile(tmp_path / "missing.yaml")
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CaseProfileError, match="not UTF-8"):
        load_profile(bad)


def test_duplicate_keys_and_datetimes_and_non_mappings_are_rejected() -> None:
    with pytest.raises(CaseProfileError, match="duplicate key 'tempo'"):
        profile_from_yaml("tempo: volcanic\ntempo: rolling\n")
    with pytest.raises(CaseProfileError, match="without a time"):
        profile_from_yaml(
            "as_of: 2008-01-03 10:00:00\n" + "\n".join(f"{k}: x" for k in ("id", "title")), source="t.yaml"
        )
    with pytest.raises(CaseProfileError, match="expected a mapping"):
        profile_from_yaml("- just\n- a list\n")


def test_optional_fields_may_be_left_out() -> None:
    profile = parse_profile(
        case_data(
            window_days=None,
            partners=None,
            constraints=None,
            country_profile__aid_dependence=None,
            country_profile__us_military_access=None,
            actors__victims__number=None,
        )
    )
    assert profile.window_days is None
    assert profile.partners is None
    assert profile.constraints is None
    assert parse_profile(profile_to_dict(profile)) == profile
