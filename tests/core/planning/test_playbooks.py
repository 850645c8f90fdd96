"""Playbooks: the standard library validates against the catalog, applies to a case (roles filled, excluded
tools dropped with reasons, passed phases carried forward), mixes and matches, and flags conflicts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lemkin.core.planning.catalog import Catalog
from lemkin.core.planning.enums import Phase
from lemkin.core.planning.package import PackageItem, combine
from lemkin.core.planning.playbooks import (
    PlaybookError,
    apply_playbook,
    find_conflicts,
    library_from_data,
    load_library,
    suggest_playbooks,
)
from lemkin.core.planning.profile import CaseProfile
from tests.core.planning.builders import a_case, a_package, item

STANDARD = {"volcanic-onset", "rolling-crisis", "election-violence", "patron-shielded-regime", "peace-process-crisis"}


def test_the_standard_library_has_the_five_named_playbooks() -> None:
    library = load_library()
    assert {book.id for book in library.playbooks} == STANDARD
    assert library.conflicts


def test_applying_fills_roles_from_the_case(real_case: Callable[[str], CaseProfile], catalog: Catalog) -> None:
    kenya = real_case("kenya-2008")
    applied = apply_playbook(load_library().get("election-violence"), kenya, catalog)
    items = {i.tool: i for _, i in applied.package.items()}
    assert items["mediation"].actors == ("African Union",)  # the first mediator: one channel
    assert items["travel-bans"].actors == ("United States", "African Union", "Ghana", "United Nations")
    assert not any("{" in actor for _, i in applied.package.items() for actor in i.actors)


def test_applying_drops_excluded_tools_with_the_reason(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    applied = apply_playbook(load_library().get("volcanic-onset"), real_case("kenya-2008"), catalog)
    dropped = {d.tool: d.reasons for d in applied.dropped}
    assert "no lever: patron" in dropped["t2-third-pressure-patrons"][0]
    assert "peacekeepers" in dropped["protected-sites-peacekeepers"][0]
    assert not dropped.keys() & applied.package.tool_ids()


def test_items_of_a_passed_phase_are_carried_into_the_current_one(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    kosovo = real_case("kosovo-1998")  # escalating: the playbook's emerging items are still to be done
    applied = apply_playbook(load_library().get("rolling-crisis"), kosovo, catalog)
    assert Phase.EMERGING not in applied.package.phases
    assert "fact-finding-observer-mission" in {i.tool for i in applied.package.phases[Phase.ESCALATING]}


def test_mix_and_match_merges_duplicates(real_case: Callable[[str], CaseProfile], catalog: Catalog) -> None:
    kosovo = real_case("kosovo-1998")
    library = load_library()
    first = apply_playbook(library.get("patron-shielded-regime"), kosovo, catalog).package
    second = apply_playbook(library.get("rolling-crisis"), kosovo, catalog).package
    mixed = combine(first, second)
    escalating = [i.tool for i in mixed.phases[Phase.ESCALATING]]
    assert len(escalating) == len(set(escalating))
    assert mixed.tool_ids() == first.tool_ids() | second.tool_ids()
    a = a_package("c", PackageItem("travel-bans", ("United States",), False, 5))
    b = a_package("c", PackageItem("travel-bans", ("EU",), True, 0))
    merged = combine(a, b).phases[Phase.ESCALATING]
    assert merged == (PackageItem("travel-bans", ("United States", "EU"), True, 0),)


def test_conflicting_measures_are_flagged() -> None:
    conflicts = load_library().conflicts
    package = a_package("c", item("amnesty-immunity"), item("t2-dm-legal-threats"), item("mediation"))
    hits = find_conflicts(package, conflicts)
    assert [hit.tools for hit in hits] == [("amnesty-immunity", "t2-dm-legal-threats")]
    assert "prosecution" in hits[0].reason
    assert find_conflicts(a_package("c", item("mediation"), item("travel-bans")), conflicts) == ()


def test_suggestions_follow_the_profile(real_case: Callable[[str], CaseProfile]) -> None:
    library = load_library()
    assert suggest_playbooks(real_case("rwanda-1994"), library) == (
        "peace-process-crisis",
        "patron-shielded-regime",
        "volcanic-onset",
    )
    assert suggest_playbooks(real_case("kenya-2008"), library) == ("election-violence", "volcanic-onset")
    assert suggest_playbooks(a_case(tempo="rolling", country_profile__patrons=[]), library) == ("rolling-crisis",)


@pytest.mark.parametrize(
    ("raw_item", "message"),
    [
        ({"tool": "nope", "start_day": 0, "multilateral": True, "actors": []}, "unknown tool 'nope'"),
        (
            {"tool": "intervention-regional-mandate", "start_day": 0, "multilateral": True, "actors": []},
            "does not apply",
        ),
        ({"tool": "mediation", "start_day": 0, "multilateral": True, "actors": ["{allies}"]}, "unknown role {allies}"),
        ({"tool": "mediation", "start_day": -1, "multilateral": True, "actors": []}, ">= 0"),
    ],
)
def test_a_bad_playbook_is_rejected(catalog: Catalog, raw_item: dict[str, object], message: str) -> None:
    data = {
        "version": "t",
        "playbooks": [{"id": "x", "title": "X", "summary": "x", "phases": {"latent": [raw_item]}}],
        "conflicts": [],
    }
    with pytest.raises(PlaybookError) as raised:
        library_from_data(data, catalog)
    assert any(p.startswith("playbooks[0].phases.latent[0]") and message in p for p in raised.value.problems)
