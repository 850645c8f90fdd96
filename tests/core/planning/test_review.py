"""Guideline review: every finding code fires on a package built to trigger it and not on a clean package; each
cites its guideline; the historical cases give the findings their history implies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings

from lemkin.core.planning.catalog import Catalog, load_catalog
from lemkin.core.planning.enums import Guideline, Phase, Severity
from lemkin.core.planning.options import generate_options
from lemkin.core.planning.package import Package, PackageItem
from lemkin.core.planning.playbooks import apply_playbook, load_library
from lemkin.core.planning.profile import CaseProfile, parse_profile
from lemkin.core.planning.review import FINDINGS, review_package
from tests.core.planning.builders import a_case, a_package, item
from tests.core.planning.strategies import profile_data

CASE = "exercise-case"


def clean_items() -> list[PackageItem]:
    """A package that follows every guideline for the exercise case (a patron, RUS; neighbours; 28-day window)."""
    return [
        item("mediation", "African Union"),
        item("t2-dm-threats"),
        item("elite-asset-freeze"),
        item("travel-bans"),
        item("t2-dm-legal-threats"),
        item("legal-fact-finding", "United Kingdom"),
        item("t2-victims-humanitarian-relief", "United Kingdom"),
        item("t2-third-pressure-patrons", "United States"),
        item("t2-third-pressure-neighbours", "African Union", "Uganda"),
        item("t2-perp-information-operations", "United States", multilateral=False),
    ]


def without(items: list[PackageItem], *tools: str) -> list[PackageItem]:
    return [i for i in items if i.tool not in tools]


def changed(items: list[PackageItem], tool: str, **changes: Any) -> list[PackageItem]:
    return [replace(i, **changes) if i.tool == tool else i for i in items]


# code -> (case changes, how to turn the clean package into one that triggers it)
TRIGGERS: dict[str, tuple[dict[str, Any], Callable[[list[PackageItem]], list[PackageItem]]]] = {
    "sanctions-gradual-ladder": ({}, lambda i: changed(i, "travel-bans", start_day=20)),
    "sanctions-unilateral": ({}, lambda i: changed(i, "elite-asset-freeze", multilateral=False)),
    "sanctions-uncoupled": (
        {},
        lambda i: [item("elite-asset-freeze"), item("travel-bans"), item("t2-victims-humanitarian-relief")],
    ),
    "threat-without-follow-through": (
        {},
        lambda i: without(i, "elite-asset-freeze", "travel-bans", "t2-perp-information-operations"),
    ),
    "rigid-escalatory-ladder": (
        {},
        lambda i: [
            replace(x, start_day=10)
            if x.tool
            in {
                "t2-dm-threats",
                "elite-asset-freeze",
                "travel-bans",
                "t2-dm-legal-threats",
                "t2-third-pressure-patrons",
                "t2-third-pressure-neighbours",
                "t2-perp-information-operations",
            }
            else x
            for x in i
        ],
    ),
    "too-slow-for-tempo": ({}, lambda i: changed(i, "legal-fact-finding", start_day=25)),
    "no-victim-protection": ({}, lambda i: without(i, "t2-victims-humanitarian-relief")),
    "patron-not-engaged": ({}, lambda i: without(i, "t2-third-pressure-patrons")),
    "neighbours-not-engaged": (
        {},
        lambda i: changed(without(i, "t2-third-pressure-neighbours"), "mediation", actors=("Kofi Annan",)),
    ),
    "patron-veto-risk": ({}, lambda i: [*i, item("condemnation-security-council")]),
    "peace-process-hostage": (
        {"country_profile__peace_process": "ongoing"},
        lambda i: [item("mediation", "African Union"), item("negotiation-support", "African Union")],
    ),
    "multiple-channels": ({}, lambda i: [*i, item("t2-dm-mediation", "United States")]),
    "no-accountability-record": ({}, lambda i: without(i, "legal-fact-finding")),
    "perpetrator-incentives-review": ({}, lambda i: [*i, item("t2-dm-incentives")]),
    "narrow-range": ({}, lambda i: [x for x in i if x.tool in {"mediation", "travel-bans", "t2-dm-threats"}]),
    "conflicting-measures": ({}, lambda i: [*i, item("amnesty-immunity")]),
    "lever-missing": ({}, lambda i: [*i, item("protected-sites-peacekeepers")]),
}


def test_the_table_covers_every_finding_code() -> None:
    assert set(TRIGGERS) == set(FINDINGS)


def test_the_clean_package_has_no_findings(catalog: Catalog) -> None:
    review = review_package(a_case(), a_package(CASE, *clean_items()), catalog)
    assert review.findings == ()


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_finding_code_fires_when_triggered(code: str, catalog: Catalog) -> None:
    case_changes, mutate = TRIGGERS[code]
    case = a_case(**case_changes)
    assert review_package(case, a_package(CASE, *clean_items()), catalog).codes == frozenset() or case_changes
    review = review_package(case, a_package(CASE, *mutate(clean_items())), catalog)
    hits = [f for f in review.findings if f.code == code]
    assert hits, (code, review.codes)
    for finding in hits:
        assert finding.guideline is FINDINGS[code].guideline
        assert finding.message


def test_guidelines_cited_match_the_chapter() -> None:
    """Sanctions codes cite the sanctions guidelines; credibility and ladder cite 4-4; influence and channels 4-5."""
    assert {c for c, s in FINDINGS.items() if s.guideline is Guideline.SANCTIONS} == {
        "sanctions-gradual-ladder",
        "sanctions-unilateral",
        "sanctions-uncoupled",
    }
    for code in ("threat-without-follow-through", "rigid-escalatory-ladder", "perpetrator-incentives-review"):
        assert FINDINGS[code].guideline is Guideline.REC_4_4
    for code in ("patron-not-engaged", "neighbours-not-engaged", "peace-process-hostage", "multiple-channels"):
        assert FINDINGS[code].guideline is Guideline.REC_4_5
    assert FINDINGS["perpetrator-incentives-review"].severity is Severity.LOW  # reviewed, not forbidden


def test_sanctions_across_phases_are_a_ladder(catalog: Catalog) -> None:
    package = Package(
        CASE,
        {
            Phase.ESCALATING: tuple(clean_items()),
            Phase.MASS_ATROCITIES: (item("aid-suspension"),),
        },
    )
    review = review_package(a_case(), package, catalog)
    assert "sanctions-gradual-ladder" in review.codes
    assert "across 2 phases" in next(f.message for f in review.findings if f.code == "sanctions-gradual-ladder")


def test_unilateral_sanctions_are_fine_when_no_partner_exists(catalog: Catalog) -> None:
    case = a_case(partners=[], country_profile__regional_organisations=[])
    items = changed(clean_items(), "elite-asset-freeze", multilateral=False)
    assert "sanctions-unilateral" not in review_package(case, a_package(CASE, *items), catalog).codes


def test_shielding_neighbours_make_the_gap_high_severity(catalog: Catalog) -> None:
    case = a_case(country_profile__neighbours_stance="shielding")
    items = changed(without(clean_items(), "t2-third-pressure-neighbours"), "mediation", actors=("Kofi Annan",))
    finding = next(f for f in review_package(case, a_package(CASE, *items), catalog).findings)
    assert finding.code == "neighbours-not-engaged"
    assert finding.severity is Severity.HIGH


def test_the_patron_is_engaged_by_naming_it_among_the_actors_as_a_whole_word(catalog: Catalog) -> None:
    items = without(clean_items(), "t2-third-pressure-patrons")
    named = [*items, item("condemnation-multilateral", "United States", "Russia")]
    assert "patron-not-engaged" not in review_package(a_case(), a_package(CASE, *named), catalog).codes
    belarus = [*items, item("condemnation-multilateral", "United States", "Belarus")]
    assert "patron-not-engaged" in review_package(a_case(), a_package(CASE, *belarus), catalog).codes


def test_findings_are_sorted_and_deterministic(catalog: Catalog) -> None:
    items = [item("elite-asset-freeze", multilateral=False), item("trade-incentives"), item("trade-sanctions", day=40)]
    first = review_package(a_case(), a_package(CASE, *items), catalog)
    second = review_package(a_case(), a_package(CASE, *reversed(items)), catalog)
    assert first == second
    orders = [f.severity.order for f in first.findings]
    assert orders == sorted(orders)


def test_a_package_for_another_case_is_refused(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="for case 'other'"):
        review_package(a_case(), a_package("other", *clean_items()), catalog)


# --- the historical cases ----------------------------------------------------------------------------------------


def test_rwanda_relying_on_arusha_alone_is_flagged(real_case: Callable[[str], CaseProfile], catalog: Catalog) -> None:
    """Preoccupation with the Arusha process precluded other initiatives [C4]: a negotiation-only package is
    hostage to the peace process, protects no one, and records nothing."""
    rwanda = real_case("rwanda-1994")
    package = a_package(rwanda.id, item("t2-dm-mediation", "Tanzania"), phase=Phase.MASS_ATROCITIES)
    codes = review_package(rwanda, package, catalog).codes
    assert {"peace-process-hostage", "no-victim-protection", "no-accountability-record", "patron-not-engaged"} <= codes


def test_rwanda_security_council_embargo_runs_into_the_patron_and_the_clock(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    rwanda = real_case("rwanda-1994")
    package = a_package(rwanda.id, item("arms-embargo-security-council"), phase=Phase.MASS_ATROCITIES)
    review = review_package(rwanda, package, catalog)
    assert {"patron-veto-risk", "too-slow-for-tempo"} <= review.codes
    veto = next(f for f in review.findings if f.code == "patron-veto-risk")
    assert "FRA" in veto.message
    assert veto.tools == ("arms-embargo-security-council",)


def test_kenya_election_playbook_reviews_clean(real_case: Callable[[str], CaseProfile], catalog: Catalog) -> None:
    """The Kenya 2008 pattern the chapter praises ("quick, united, and multifaceted") passes its own guidelines."""
    kenya = real_case("kenya-2008")
    applied = apply_playbook(load_library().get("election-violence"), kenya, catalog)
    assert review_package(kenya, applied.package, catalog).findings == ()


def test_kosovo_playbook_for_a_patron_shielded_regime_engages_russia(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    kosovo = real_case("kosovo-1998")
    shielded = apply_playbook(load_library().get("patron-shielded-regime"), kosovo, catalog)
    assert "patron-not-engaged" not in review_package(kosovo, shielded.package, catalog).codes
    election = apply_playbook(load_library().get("election-violence"), kosovo, catalog)
    assert "patron-not-engaged" in review_package(kosovo, election.package, catalog).codes


@settings(max_examples=60, deadline=None)
@given(profile_data())
def test_every_playbook_applies_and_reviews_on_random_profiles(data: dict[str, Any]) -> None:
    """Applying any standard playbook never puts an excluded tool in the package, and the review only uses the
    documented codes with their guidelines; the same package reviews the same way twice."""
    catalog = load_catalog()
    profile = parse_profile(data)
    excluded = generate_options(profile, catalog).excluded_tools
    for book in load_library().playbooks:
        applied = apply_playbook(book, profile, catalog)
        assert not applied.package.tool_ids() & excluded
        assert {d.tool for d in applied.dropped} >= {
            i.tool for items in book.phases.values() for i in items if i.tool in excluded
        }
        review = review_package(profile, applied.package, catalog)
        assert review == review_package(profile, applied.package, catalog)
        for finding in review.findings:
            assert finding.guideline is FINDINGS[finding.code].guideline
