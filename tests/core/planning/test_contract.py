"""The JSON contract: exact shapes for options, package files and review; strict readers; round trips."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from lemkin.core.planning.catalog import Catalog
from lemkin.core.planning.contract import (
    ContractError,
    PackageError,
    load_package,
    options_from_json,
    options_to_json,
    options_to_markdown,
    package_from_data,
    package_to_json,
    review_from_json,
    review_to_json,
    review_to_markdown,
)
from lemkin.core.planning.enums import Phase, TargetGroup
from lemkin.core.planning.options import generate_options
from lemkin.core.planning.playbooks import apply_playbook, load_library
from lemkin.core.planning.profile import CaseProfile
from lemkin.core.planning.review import review_package
from tests.core.planning.builders import a_case, a_package, item


def test_options_json_has_exactly_the_contract_keys(real_case: Callable[[str], CaseProfile], catalog: Catalog) -> None:
    data = options_to_json(generate_options(real_case("rwanda-1994"), catalog))
    assert list(data) == ["case", "options", "excluded", "notices"]
    assert data["case"] == "rwanda-1994"
    for option in data["options"]:
        assert list(option) == ["tool", "source_label", "target_group", "phase", "rank", "reasons"]
        assert option["target_group"] in {g.value for g in TargetGroup}
        assert option["phase"] in {p.value for p in Phase}
        assert isinstance(option["rank"], int)
        assert option["reasons"]
        assert option["source_label"] == catalog.get(option["tool"]).source_label
    for excluded in data["excluded"]:
        assert list(excluded) == ["tool", "source_label", "reasons"]
        assert excluded["reasons"]
    json.dumps(data)  # plain JSON types only


def test_options_json_round_trips(real_case: Callable[[str], CaseProfile], catalog: Catalog) -> None:
    result = generate_options(a_case(window_days=None), catalog)
    assert options_from_json(json.loads(json.dumps(options_to_json(result)))) == result


def test_review_json_shape_and_round_trip(catalog: Catalog) -> None:
    review = review_package(a_case(), a_package("exercise-case", item("trade-sanctions", multilateral=False)), catalog)
    data = review_to_json(review)
    assert list(data) == ["case", "findings"]
    for finding in data["findings"]:
        assert list(finding) == ["code", "guideline", "severity", "message", "tools"]
        assert finding["guideline"] in {"4-4", "4-5", "sanctions"}
        assert finding["severity"] in {"high", "medium", "low"}
    assert review_from_json(json.loads(json.dumps(data))) == review


def test_review_reader_rejects_unknown_codes_and_wrong_guidelines() -> None:
    bad = {
        "case": "c",
        "findings": [{"code": "made-up", "guideline": "4-4", "severity": "low", "message": "m", "tools": []}],
    }
    with pytest.raises(ContractError, match=r"findings\[0\]\.code"):
        review_from_json(bad)
    wrong = {
        "case": "c",
        "findings": [
            {"code": "sanctions-unilateral", "guideline": "4-4", "severity": "low", "message": "m", "tools": []}
        ],
    }
    with pytest.raises(ContractError, match="comes from guideline sanctions"):
        review_from_json(wrong)


def test_package_file_accepts_tool_ids_and_unique_source_labels(catalog: Catalog, tmp_path: Path) -> None:
    file = tmp_path / "package.yaml"
    file.write_text(
        "case: exercise-case\n"
        "phases:\n"
        "  escalating:\n"
        "    - {tool: mediation, actors: [African Union], multilateral: true, start_day: 0}\n"
        "    - {source_label: Travel bans, actors: [United States], multilateral: false, start_day: 2}\n",
        encoding="utf-8",
    )
    package = load_package(file, catalog)
    assert [i.tool for i in package.phases[Phase.ESCALATING]] == ["mediation", "travel-bans"]
    assert package_from_data(package_to_json(package), catalog) == package


def test_package_written_from_a_playbook_reads_back(real_case: Callable[[str], CaseProfile], catalog: Catalog) -> None:
    applied = apply_playbook(load_library().get("volcanic-onset"), real_case("rwanda-1994"), catalog)
    data = json.loads(json.dumps(package_to_json(applied.package)))
    assert package_from_data(data, catalog) == applied.package


@pytest.mark.parametrize(
    ("measure", "path", "message"),
    [
        ({"tool": "nope", "actors": [], "multilateral": True, "start_day": 0}, "phases.escalating[0].tool", "unknown"),
        (
            {"source_label": "Intervention", "actors": [], "multilateral": True, "start_day": 0},
            "phases.escalating[0].source_label",
            "intervention-regional-mandate, intervention-security-council",
        ),
        (
            {"source_label": "Bombing", "actors": [], "multilateral": True, "start_day": 0},
            "phases.escalating[0].source_label",
            "no table entry",
        ),
        ({"actors": [], "multilateral": True, "start_day": 0}, "phases.escalating[0]", "either tool"),
        (
            {"tool": "mediation", "actors": [], "multilateral": "yes", "start_day": 0},
            "phases.escalating[0].multilateral",
            "true or false",
        ),
        (
            {"tool": "mediation", "actors": [], "multilateral": True, "start_day": -2},
            "phases.escalating[0].start_day",
            ">= 0",
        ),
        ({"tool": "mediation", "actors": [], "multilateral": True}, "phases.escalating[0].start_day", "missing"),
        (
            {"tool": "mediation", "actors": [], "multilateral": True, "start_day": 0, "cost": 1},
            "phases.escalating[0].cost",
            "unknown field",
        ),
        (
            {"tool": "mediation", "source_label": "Travel bans", "actors": [], "multilateral": True, "start_day": 0},
            "phases.escalating[0].source_label",
            "is not the label of 'mediation'",
        ),
    ],
)
def test_bad_package_items_are_rejected_with_the_field_named(
    catalog: Catalog, measure: dict[str, object], path: str, message: str
) -> None:
    with pytest.raises(PackageError) as raised:
        package_from_data({"case": "c", "phases": {"escalating": [measure]}}, catalog, source="pkg.yaml")
    assert any(p.startswith(path) and message in p for p in raised.value.problems), raised.value.problems
    assert raised.value.one_line().startswith("pkg.yaml: ")


def test_bad_package_phase_and_missing_case(catalog: Catalog) -> None:
    with pytest.raises(PackageError) as raised:
        package_from_data({"phases": {"later": []}}, catalog)
    assert {p.split(":")[0] for p in raised.value.problems} == {"case", "phases.later"}


def test_markdown_renders_groups_reasons_and_findings(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    text = options_to_markdown(generate_options(real_case("kosovo-1998"), catalog))
    assert "## Phase: escalating" in text
    assert "### Victims" in text
    assert "## Excluded" in text
    assert "RUS can veto" in text
    review = review_package(a_case(), a_package("exercise-case", item("trade-sanctions")), catalog)
    assert "`sanctions-uncoupled` [guideline sanctions]" in review_to_markdown(review)
