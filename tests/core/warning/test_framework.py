"""The risk-factor catalogue follows the UN Framework of Analysis and its loader refuses broken files."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from lemkin.core.warning.framework import FrameworkError, load_framework, parse_framework

FRAMEWORK_TITLES = {
    1: "Situations of armed conflict or other forms of instability",
    2: "Record of serious violations of international human rights and humanitarian law",
    3: "Weakness of State structures",
    4: "Motives or incentives",
    5: "Capacity to commit atrocity crimes",
    6: "Absence of mitigating factors",
    7: "Enabling circumstances or preparatory action",
    8: "Triggering factors",
    9: "Intergroup tensions or patterns of discrimination against protected groups",
    10: "Signs of an intent to destroy in whole or in part a protected group",
    11: "Signs of a widespread or systematic attack against any civilian population",
    12: "Signs of a plan or policy to attack any civilian population",
    13: "Serious threats to those protected under international humanitarian law",
    14: "Serious threats to humanitarian or peacekeeping operations",
}


def test_fourteen_risk_factors_with_the_frameworks_titles():
    """Risk factors 1–14 in order, 1–8 common and 9–14 specific, each with indicators."""
    framework = load_framework()
    assert {f.number: f.title for f in framework.risk_factors} == FRAMEWORK_TITLES
    assert [f.number for f in framework.common()] == list(range(1, 9))
    assert [f.number for f in framework.specific()] == list(range(9, 15))
    assert all(len(f.indicators) >= 4 for f in framework.risk_factors)
    assert "Framework of Analysis for Atrocity Crimes" in framework.citation


@pytest.mark.parametrize(
    ("crime", "numbers"),
    [("genocide", [9, 10]), ("crimes_against_humanity", [11, 12]), ("war_crimes", [13, 14])],
)
def test_specific_factors_by_crime(crime, numbers):
    """Two specific risk factors per atrocity crime, as in the Framework."""
    assert [f.number for f in load_framework().specific(crime)] == numbers


def test_lookup_by_id_and_observables():
    """Indicators are found by id; event-trackable ones name their series."""
    framework = load_framework()
    indicator = framework.indicator("rf7.8")
    assert indicator.ref == "7.8"
    assert indicator.risk_factor == "rf7"
    assert indicator.observable == "events:one_sided:fatalities"
    assert framework.factor("rf8").title == "Triggering factors"
    with pytest.raises(KeyError):
        framework.indicator("rf99.1")
    observables = {i.observable for i in framework.indicators() if i.observable}
    assert "events:violence_against_civilians:events" in observables


def test_every_problem_in_a_broken_catalogue_is_listed(tmp_path: Path):
    """Duplicates, stray ids, unknown crimes and observables are all reported together."""
    data = yaml.safe_load(
        (Path(__file__).parents[3] / "src/lemkin/core/warning/framework.yaml").read_text(encoding="utf-8")
    )
    broken = copy.deepcopy(data)
    broken["risk_factors"][1]["indicators"][1]["id"] = "rf2.1"  # duplicate indicator id
    broken["risk_factors"][2]["indicators"][0]["id"] = "rf9.99"  # outside its factor
    broken["risk_factors"][9]["crimes"] = ["piracy"]
    broken["risk_factors"][0]["indicators"][0]["observable"] = "events:alien_landing:events"
    broken["risk_factors"][3]["kind"] = "general"
    del broken["risk_factors"][10]["crimes"]
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(FrameworkError) as excinfo:
        load_framework(path)
    text = " | ".join(excinfo.value.problems)
    assert "risk factor rf2, indicator #2: duplicate id 'rf2.1'" in text
    assert "'rf9.99' must start with 'rf3.'" in text
    assert "unknown crimes ['piracy']" in text
    assert "alien_landing" in text
    assert "kind 'general'" in text
    assert "must name the crimes" in text
    assert len(excinfo.value.problems) == 6


def test_not_a_catalogue_is_refused():
    """A file without risk factors is refused."""
    with pytest.raises(FrameworkError, match="risk_factors"):
        parse_framework({"source": {"title": "x"}})
