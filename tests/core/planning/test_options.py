"""The options engine on the historical cases (what the chapter and the cited history imply) and its invariants
on random valid profiles: broad range or a notice saying why not, every group served or a notice, no excluded
tool ever ranked, deterministic output."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings

from lemkin.core.planning.catalog import Catalog, catalog_from_data, load_catalog
from lemkin.core.planning.contract import options_to_json
from lemkin.core.planning.enums import Mode, Phase, TargetGroup, ToolType
from lemkin.core.planning.options import (
    MIN_BROAD_RANGE,
    Lever,
    LeverStatus,
    OptionsResult,
    case_levers,
    generate_options,
)
from lemkin.core.planning.profile import CaseProfile, parse_profile, profile_to_dict
from tests.core.planning.builders import a_case
from tests.core.planning.strategies import profile_data

SECURITY_COUNCIL_ROUTES = (
    "condemnation-security-council",
    "icc-referral-security-council",
    "arms-embargo-security-council",
    "no-fly-zone-security-council",
    "intervention-security-council",
)


def reasons_of(result: OptionsResult, tool: str) -> list[str]:
    """Every reason given for ``tool`` (offered) or against it (excluded)."""
    found = [r for o in result.options if o.tool == tool for r in o.reasons]
    found += [r for e in result.excluded if e.tool == tool for r in e.reasons]
    return found


def offered(result: OptionsResult, group: TargetGroup, phase: Phase) -> list[str]:
    return [option.tool for option in result.for_group(group, phase)]


def primary_offered(result: OptionsResult, tool: str) -> bool:
    return any(option.tool == tool and option.primary for option in result.options)


# --- the historical cases ---------------------------------------------------------------------------------------


def test_rwanda_patron_veto_is_named_on_every_security_council_route(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    """France, the government's patron, could veto: every Council route is excluded and says so."""
    result = generate_options(real_case("rwanda-1994"), catalog)
    for tool in SECURITY_COUNCIL_ROUTES:
        assert tool in result.excluded_tools, tool
        assert any("patron can veto" in reason and "FRA" in reason for reason in reasons_of(result, tool)), tool


def test_rwanda_jamming_the_hate_radio_is_offered_against_perpetrators(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    """RTLM incited the killing [S22][S71]: jamming is offered, fits the volcanic tempo, and says why it applies."""
    result = generate_options(real_case("rwanda-1994"), catalog)
    perpetrators = offered(result, TargetGroup.PERPETRATORS, Phase.MASS_ATROCITIES)
    assert "jamming-broadcasts" in perpetrators
    assert "t2-perp-jamming" in perpetrators
    reasons = reasons_of(result, "jamming-broadcasts")
    assert any(r.startswith("applies: broadcasts incite") and "RTLM" in r for r in reasons)
    assert any("fits the volcanic tempo" in r for r in reasons)
    # the military-access lever is not in the profile: kept, with a caveat rather than silently assumed
    assert any(r.startswith("lever unknown: military access") for r in reasons)
    # jamming ranks in the top third of perpetrator options, ahead of the same tool in a case with no broadcasts
    assert perpetrators.index("jamming-broadcasts") < len(perpetrators) / 3


def test_jamming_only_claims_to_apply_where_broadcasts_incite(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    result = generate_options(real_case("kenya-2008"), catalog)
    assert not any(r.startswith("applies:") for r in reasons_of(result, "jamming-broadcasts"))


def test_peacekeepers_in_place_make_protected_sites_an_option_only_where_they_are(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    """UNAMIR was in Rwanda [S92]; no force was in Kenya or Kosovo at the moment of decision."""
    rwanda = generate_options(real_case("rwanda-1994"), catalog)
    assert "protected-sites-peacekeepers" in offered(rwanda, TargetGroup.VICTIMS, Phase.MASS_ATROCITIES)
    for case_id in ("kenya-2008", "kosovo-1998"):
        result = generate_options(real_case(case_id), catalog)
        assert "protected-sites-peacekeepers" in result.excluded_tools
        assert any(
            "needs peacekeepers that are not there" in r for r in reasons_of(result, "protected-sites-peacekeepers")
        )


def test_rwanda_fact_finding_missions_are_too_slow_for_the_window(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    result = generate_options(real_case("rwanda-1994"), catalog)
    assert "fact-finding-observer-mission" in result.excluded_tools
    assert any("exceeds the 11-day window" in r for r in reasons_of(result, "fact-finding-observer-mission"))


def test_kenya_mediation_and_targeted_threats_where_leaders_have_assets_and_travel(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    """Kenya 2008: one mediation channel, visa-ban letters and threats against those inciting [C4][S30][S42]."""
    result = generate_options(real_case("kenya-2008"), catalog)
    decision_makers = offered(result, TargetGroup.DECISION_MAKERS, Phase.ESCALATING)
    for tool in ("mediation", "t2-dm-mediation", "t2-dm-threats", "travel-bans", "elite-asset-freeze"):
        assert tool in decision_makers, tool
        assert primary_offered(result, tool), tool
    assert any(r.startswith("lever present: elite assets abroad") for r in reasons_of(result, "travel-bans"))
    assert decision_makers.index("travel-bans") < decision_makers.index("increased-aid")


def test_kenya_volcanic_leaves_fact_finding_missions_out_of_the_primary_response(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    kenya = generate_options(real_case("kenya-2008"), catalog)
    assert not primary_offered(kenya, "fact-finding-observer-mission")


def test_kenya_as_a_rolling_crisis_gets_fact_finding_as_a_primary_option(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    """The same country, slower tempo and more time: observers become a primary option (the chapter's contrast)."""
    base = profile_to_dict(real_case("kenya-2008"))
    rolling = generate_options(a_case(base, tempo="rolling", window_days=120), catalog)
    assert primary_offered(rolling, "fact-finding-observer-mission")
    assert any("fits the rolling tempo" in r for r in reasons_of(rolling, "fact-finding-observer-mission"))
    # volcanic with no window: offered, but only as secondary and ranked after every primary option
    volcanic = generate_options(a_case(base, window_days=None), catalog)
    group = volcanic.for_group(TargetGroup.DECISION_MAKERS, Phase.ESCALATING)
    fact_finding = next(o for o in group if o.tool == "fact-finding-observer-mission")
    assert not fact_finding.primary
    assert fact_finding.reasons[0].startswith("secondary:")
    assert all(o.rank < fact_finding.rank for o in group if o.primary)


def test_kosovo_verification_mission_is_offered_and_russia_blocks_the_council(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    """Kosovo 1998: a rolling crisis where the OSCE mission was deployed [S33][S34]; Russia shielded Belgrade."""
    result = generate_options(real_case("kosovo-1998"), catalog)
    assert primary_offered(result, "fact-finding-observer-mission")
    assert "t2-third-pressure-patrons" in offered(result, TargetGroup.THIRD_PARTIES, Phase.ESCALATING)
    for tool in SECURITY_COUNCIL_ROUTES:
        assert any("RUS" in r for r in reasons_of(result, tool)), tool
    # routes the patron cannot block stay open
    assert "intervention-regional-mandate" in result.offered_tools()
    assert "trade-sanctions" in result.excluded_tools  # "sanctioned, isolated": no trade lever
    assert any("no lever: trade ties" in r for r in reasons_of(result, "trade-sanctions"))


def test_patron_pressure_is_excluded_when_there_is_no_patron(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    result = generate_options(real_case("kenya-2008"), catalog)
    assert "t2-third-pressure-patrons" in result.excluded_tools


def test_the_historical_cases_get_a_broad_range_for_every_group(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    for case_id in ("kenya-2008", "kosovo-1998", "rwanda-1994"):
        profile = real_case(case_id)
        result = generate_options(profile, catalog)
        assert not result.notices, (case_id, result.notices)
        current = [o for o in result.options if o.phase is profile.phase]
        tools = [catalog.get(o.tool) for o in current]
        assert {t.type for t in tools} == set(ToolType)
        assert {t.mode for t in tools} == set(Mode)
        assert {o.target_group for o in current} == set(TargetGroup)


def test_phase_argument_and_default_phases(real_case: Callable[[str], CaseProfile], catalog: Catalog) -> None:
    kenya = real_case("kenya-2008")
    assert generate_options(kenya, catalog).phases == (Phase.ESCALATING, Phase.MASS_ATROCITIES)
    latent = generate_options(kenya, catalog, Phase.LATENT)
    assert latent.phases == (Phase.LATENT,)
    assert {o.phase for o in latent.options} == {Phase.LATENT}
    later = [o for o in generate_options(kenya, catalog).options if o.phase is Phase.MASS_ATROCITIES]
    assert all(any(r.startswith("contingency:") for r in o.reasons) for o in later)


def test_a_narrow_catalog_or_case_is_said_to_leave_few_options(catalog: Catalog) -> None:
    """When only diplomatic tools remain (an administrator retired the rest), the result says so; and a group
    left with no tool gets a notice that names the excluded tools and why."""
    data = catalog.to_dict()
    for tool in data["tools"]:
        tool["retired"] = tool["type"] != "diplomatic"
    narrow = catalog_from_data(data)
    result = generate_options(a_case(), narrow)
    messages = {(n.code, n.phase, n.target_group): n.message for n in result.notices}
    assert "no economic tool" in messages[("narrow-range", Phase.ESCALATING, None)]
    assert ("group-without-options", Phase.ESCALATING, TargetGroup.VICTIMS) in messages
    # peacekeeping tools are excluded for a case without peacekeepers: the notice says so
    data = catalog.to_dict()
    for tool in data["tools"]:
        tool["retired"] = "victims" in tool["target_groups"] and "peacekeepers_present" not in tool["levers"]
    only_peacekeepers = generate_options(a_case(), catalog_from_data(data))
    victims = [n for n in only_peacekeepers.notices if n.target_group is TargetGroup.VICTIMS]
    assert victims
    assert "needs peacekeepers that are not there" in victims[0].message


def test_lever_reading_keeps_unknown_apart_from_absent() -> None:
    levers = case_levers(a_case(country_profile__aid_dependence=None, country_profile__elite_assets_abroad=False))
    assert levers[Lever.AID_DEPENDENCE].status is LeverStatus.UNKNOWN
    assert levers[Lever.ELITE_ASSETS_ABROAD].status is LeverStatus.ABSENT
    inferred = case_levers(a_case(constraints=None, country_profile__patrons=["CHN"]))
    assert inferred[Lever.UN_SECURITY_COUNCIL].status is LeverStatus.ABSENT  # a permanent-member patron
    assert "CHN" in inferred[Lever.UN_SECURITY_COUNCIL].evidence
    minor = case_levers(a_case(constraints=None, country_profile__patrons=["IRN"]))
    assert minor[Lever.UN_SECURITY_COUNCIL].status is LeverStatus.PRESENT


def test_output_does_not_depend_on_catalog_order(catalog: Catalog, real_case: Callable[[str], CaseProfile]) -> None:
    shuffled_tools = list(catalog.tools)
    random.Random(4).shuffle(shuffled_tools)
    shuffled = Catalog(catalog.version, tuple(shuffled_tools), catalog.sources)
    profile = real_case("kosovo-1998")
    assert options_to_json(generate_options(profile, shuffled)) == options_to_json(generate_options(profile, catalog))


# --- invariants on random valid profiles --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(profile_data())
def test_invariants_on_random_profiles(data: dict[str, Any]) -> None:
    """For any valid profile: same input same output; no excluded tool ranked; ranks 1..n per group and phase,
    primary before secondary; every group served or a notice says why; a broad range or a narrow-range notice."""
    catalog = load_catalog()
    profile = parse_profile(data)
    result = generate_options(profile, catalog)
    assert options_to_json(result) == options_to_json(generate_options(parse_profile(data), catalog))
    assert not result.offered_tools() & result.excluded_tools
    notices = {(n.code, n.phase, n.target_group) for n in result.notices}
    for phase in result.phases:
        for group in TargetGroup:
            options = result.for_group(group, phase)
            assert [o.rank for o in options] == list(range(1, len(options) + 1))
            flags = [o.primary for o in options]
            assert flags == sorted(flags, reverse=True)
            if not options:
                assert ("group-without-options", phase, group) in notices
        tools = [catalog.get(t) for t in result.offered_tools(phase)]
        broad = (
            {t.type for t in tools} == set(ToolType)
            and {t.mode for t in tools} == set(Mode)
            and len(tools) >= MIN_BROAD_RANGE
        )
        assert broad or ("narrow-range", phase, None) in notices
        assert not (broad and ("narrow-range", phase, None) in notices)


def test_force_ranks_after_other_measures_before_mass_atrocities(
    real_case: Callable[[str], CaseProfile], catalog: Catalog
) -> None:
    """ "The clear preference would be to accomplish this peacefully, without having to threaten or use military
    force" [C4]: force is offered (never all or nothing) but ranked down until the mass-atrocities phase."""
    result = generate_options(real_case("kenya-2008"), catalog)
    escalating = result.for_group(TargetGroup.VICTIMS, Phase.ESCALATING)
    intervention = next(o for o in escalating if o.tool == "intervention-regional-mandate")
    assert any(r.startswith("uses force") for r in intervention.reasons)
    later = next(o for o in result.for_group(TargetGroup.VICTIMS, Phase.MASS_ATROCITIES) if o.tool == intervention.tool)
    assert not any(r.startswith("uses force") for r in later.reasons)
    relief = next(o for o in escalating if o.tool == "t2-victims-safe-havens")
    assert relief.rank < intervention.rank
