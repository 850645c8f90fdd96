"""The options engine: the "policy options assessment" of Recommendation 4-2, from a case profile and the catalog.

For each target group and escalation phase it ranks the tools that apply, saying why each is in (it fits the
tempo, its levers are present, its lead time is inside the window), and lists the tools it leaves out with why
(the lead time exceeds the window, a lever is missing, a patron can veto the Security Council route, it needs
peacekeepers that are not there). The chapter asks for "a broad and flexible range of policy options to avoid
politically difficult all-or-nothing choices"; when a case leaves only a narrow range the result says so in a
notice rather than hiding it. The engine is a pure function of (profile, catalog, phases): ties are broken by
tool id, so the same input always gives the same output whatever the catalog's order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from lemkin.core.planning.catalog import Catalog, Tool
from lemkin.core.planning.enums import CostBand, Lever, Mode, Phase, Tag, TargetGroup, Tempo, ToolType
from lemkin.core.planning.profile import (
    CaseProfile,
    Degree,
    MilitaryAccess,
    NeighboursStance,
    PartnerRelation,
    PeaceProcess,
    Regime,
    SecurityCouncil,
)

# Permanent members of the Security Council: a patron among them can veto a Council route.
PERMANENT_MEMBERS = frozenset({"CHN", "FRA", "GBR", "RUS", "USA"})
# Fewer distinct tools than this in a phase counts as "only few options" (with any missing type or mode).
MIN_BROAD_RANGE = 8
_INCITEMENT = re.compile(r"\b(radio|broadcast\w*|television|tv|hate speech|media)\b", re.IGNORECASE)


def days(count: int) -> str:
    """``1 day``, ``7 days``."""
    return f"{count} day" if count == 1 else f"{count} days"


class LeverStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"  # the profile leaves the field out: verify before relying on the lever


@dataclass(frozen=True)
class LeverState:
    """Whether a lever is available in the case, and the profile fields that say so (for the reasons)."""

    status: LeverStatus
    evidence: str


@dataclass(frozen=True)
class Option:
    tool: str
    source_label: str
    target_group: TargetGroup
    phase: Phase
    rank: int
    reasons: tuple[str, ...]
    primary: bool  # False when the tool suits the other tempo: offered, but ranked after every tool that fits


@dataclass(frozen=True)
class Exclusion:
    tool: str
    source_label: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    """Something the reader must know about the range offered (codes: ``narrow-range``, ``group-without-options``)."""

    code: str
    message: str
    phase: Phase | None = None
    target_group: TargetGroup | None = None


@dataclass(frozen=True)
class OptionsResult:
    case: str
    phases: tuple[Phase, ...]
    options: tuple[Option, ...]
    excluded: tuple[Exclusion, ...]
    notices: tuple[Notice, ...]

    def for_group(self, group: TargetGroup, phase: Phase) -> tuple[Option, ...]:
        return tuple(option for option in self.options if option.target_group is group and option.phase is phase)

    def offered_tools(self, phase: Phase | None = None) -> frozenset[str]:
        return frozenset(option.tool for option in self.options if phase is None or option.phase is phase)

    @property
    def excluded_tools(self) -> frozenset[str]:
        return frozenset(exclusion.tool for exclusion in self.excluded)


def _yes_no(value: bool | None, field: str) -> LeverState:
    if value is None:
        return LeverState(LeverStatus.UNKNOWN, f"{field} not given")
    status = LeverStatus.PRESENT if value else LeverStatus.ABSENT
    return LeverState(status, f"{field} = {str(value).lower()}")


def security_council_state(profile: CaseProfile) -> LeverState:
    """Whether a Security Council route is open; contested when a patron may veto (stated or inferred)."""
    patrons = profile.country_profile.patrons
    council = profile.constraints.un_security_council if profile.constraints else None
    named = ", ".join(patrons) if patrons else "a permanent member"
    if council is SecurityCouncil.CONTESTED:
        return LeverState(LeverStatus.ABSENT, f"{named} can veto (constraints.un_security_council = contested)")
    if council is SecurityCouncil.OPEN:
        return LeverState(LeverStatus.PRESENT, "constraints.un_security_council = open")
    vetoing = sorted(set(patrons) & PERMANENT_MEMBERS)
    if vetoing:
        return LeverState(
            LeverStatus.ABSENT,
            f"{', '.join(vetoing)} can veto (a patron that is a permanent member, country_profile.patrons)",
        )
    return LeverState(LeverStatus.PRESENT, "no permanent member among country_profile.patrons")


def case_levers(profile: CaseProfile) -> dict[Lever, LeverState]:
    """Read every lever of the vocabulary from the profile: present, absent, or unknown (field left out)."""
    cp = profile.country_profile
    levers: dict[Lever, LeverState] = {}
    if cp.aid_dependence is None:
        levers[Lever.AID_DEPENDENCE] = LeverState(LeverStatus.UNKNOWN, "country_profile.aid_dependence not given")
    else:
        status = LeverStatus.ABSENT if cp.aid_dependence is Degree.LOW else LeverStatus.PRESENT
        levers[Lever.AID_DEPENDENCE] = LeverState(status, f"country_profile.aid_dependence = {cp.aid_dependence}")
    levers[Lever.ELITE_ASSETS_ABROAD] = _yes_no(cp.elite_assets_abroad, "country_profile.elite_assets_abroad")
    trade = LeverStatus.ABSENT if cp.economic_integration is Degree.LOW else LeverStatus.PRESENT
    levers[Lever.TRADE_TIES] = LeverState(trade, f"country_profile.economic_integration = {cp.economic_integration}")
    levers[Lever.UN_SECURITY_COUNCIL] = security_council_state(profile)
    if cp.regional_organisations is None:
        regional = [p.name for p in profile.partners or () if p.kind.value == "regional_organisation"]
        levers[Lever.REGIONAL_ORGANISATION] = (
            LeverState(LeverStatus.PRESENT, f"regional organisations among partners: {', '.join(regional)}")
            if regional
            else LeverState(LeverStatus.UNKNOWN, "country_profile.regional_organisations not given")
        )
    elif cp.regional_organisations:
        levers[Lever.REGIONAL_ORGANISATION] = LeverState(
            LeverStatus.PRESENT, f"country_profile.regional_organisations = {', '.join(cp.regional_organisations)}"
        )
    else:
        levers[Lever.REGIONAL_ORGANISATION] = LeverState(
            LeverStatus.ABSENT, "country_profile.regional_organisations is empty"
        )
    if cp.us_military_access is None:
        levers[Lever.MILITARY_ACCESS] = LeverState(LeverStatus.UNKNOWN, "country_profile.us_military_access not given")
    else:
        status = LeverStatus.ABSENT if cp.us_military_access is MilitaryAccess.NONE else LeverStatus.PRESENT
        levers[Lever.MILITARY_ACCESS] = LeverState(
            status, f"country_profile.us_military_access = {cp.us_military_access}"
        )
    levers[Lever.PEACEKEEPERS_PRESENT] = _yes_no(cp.peacekeepers_present, "country_profile.peacekeepers_present")
    ongoing = cp.peace_process is PeaceProcess.ONGOING
    levers[Lever.NEGOTIATION_UNDER_WAY] = LeverState(
        LeverStatus.PRESENT if ongoing else LeverStatus.ABSENT, f"country_profile.peace_process = {cp.peace_process}"
    )
    levers[Lever.PATRON] = (
        LeverState(LeverStatus.PRESENT, f"country_profile.patrons = {', '.join(cp.patrons)}")
        if cp.patrons
        else LeverState(LeverStatus.ABSENT, "country_profile.patrons is empty")
    )
    levers[Lever.DIASPORA_NETWORKS] = _yes_no(cp.diaspora_networks, "country_profile.diaspora_networks")
    levers[Lever.INTERNAL_GROUPS] = _yes_no(cp.internal_groups, "country_profile.internal_groups")
    return levers


def _absent_reason(lever: Lever, state: LeverState) -> str:
    if lever is Lever.UN_SECURITY_COUNCIL:
        return f"a patron can veto a Security Council route: {state.evidence}"
    if lever is Lever.PEACEKEEPERS_PRESENT:
        return f"needs peacekeepers that are not there ({state.evidence})"
    if lever is Lever.NEGOTIATION_UNDER_WAY:
        return f"no negotiation under way for it to support ({state.evidence})"
    return f"no lever: {lever.label} ({state.evidence})"


def exclusion_reasons(tool: Tool, profile: CaseProfile, levers: Mapping[Lever, LeverState]) -> tuple[str, ...]:
    """Why ``tool`` is out for this case (empty when it is in). Case-wide: it does not depend on group or phase."""
    reasons = [
        _absent_reason(lever, levers[lever]) for lever in tool.levers if levers[lever].status is LeverStatus.ABSENT
    ]
    if tool.levers_any and all(levers[lever].status is LeverStatus.ABSENT for lever in tool.levers_any):
        detail = "; ".join(_absent_reason(lever, levers[lever]) for lever in tool.levers_any)
        reasons.append(f"none of its alternative levers is available: {detail}")
    window = profile.window_days
    if tool.lead_time_days is not None and window is not None and tool.lead_time_days > window:
        reasons.append(
            f"lead time ~{days(tool.lead_time_days)} exceeds the {window}-day window ({tool.lead_time_basis})"
        )
    return tuple(reasons)


def phases_ahead(profile: CaseProfile, phase: Phase | None = None) -> tuple[Phase, ...]:
    """The phases to plan for: the one asked for, else the case's phase and every later one (contingencies)."""
    if phase is not None:
        return (phase,)
    return tuple(p for p in Phase if p.order >= profile.phase.order)


def _fits_tempo(tool: Tool, tempo: Tempo) -> bool:
    return tool.tempo is Tempo.BOTH or tool.tempo is tempo


def _score(
    tool: Tool,
    group: TargetGroup,
    phase: Phase,
    profile: CaseProfile,
    levers: Mapping[Lever, LeverState],
) -> tuple[int, list[str]]:
    """An integer score (higher is better) and the reasons that make it, in reading order."""
    score = 0
    reasons: list[str] = []
    tempo = profile.tempo
    if tool.tempo is tempo:
        score += 30
        reasons.append(f"fits the {tempo} tempo")
    elif tool.tempo is Tempo.BOTH:
        score += 20
        reasons.append(f"suits volcanic and rolling crises alike, so fits the {tempo} tempo")
    else:
        reasons.append(
            f"secondary: suits {tool.tempo} crises, this one is {tempo}"
            + (
                " (the chapter: such measures are rarely viable against rapidly escalating violence)"
                if tempo is Tempo.VOLCANIC
                else ""
            )
        )
    for lever in tool.levers:
        state = levers[lever]
        if state.status is LeverStatus.PRESENT:
            score += 10
            reasons.append(f"lever present: {lever.label} ({state.evidence})")
        else:
            score -= 10
            reasons.append(f"lever unknown: {lever.label} ({state.evidence}); verify before relying on it")
    if tool.levers_any:
        present = [lever for lever in tool.levers_any if levers[lever].status is LeverStatus.PRESENT]
        if present:
            score += 10
            detail = "; ".join(f"{lever.label} ({levers[lever].evidence})" for lever in present)
            reasons.append(f"lever present: {detail}")
        else:
            score -= 10
            names = ", ".join(lever.label for lever in tool.levers_any)
            reasons.append(f"lever unknown: one of {names} is needed; verify before relying on it")
    window = profile.window_days
    lead = tool.lead_time_days
    if lead is None:
        score -= 5
        reasons.append(
            "lead time unknown" + (f"; check it against the {window}-day window" if window is not None else "")
        )
    elif window is None:
        reasons.append(f"lead time ~{days(lead)}; the profile gives no window")
        score += 5 if lead <= 7 else 0
    else:
        score += 5 + (15 * (window - lead)) // max(window, 1)
        reasons.append(f"lead time ~{days(lead)}, inside the {window}-day window")
    if tool.needs_partners:
        partners = [p.name for p in profile.partners or () if p.relation is not PartnerRelation.PATRON]
        if partners:
            reasons.append(f"needs partners: {', '.join(partners)} are listed")
        else:
            score -= 5
            reasons.append("needs partners, and the profile lists none besides patrons")
    if tool.has(Tag.NEGOTIATION):
        mediators = [p.name for p in profile.partners or () if p.relation is PartnerRelation.MEDIATOR]
        if mediators:
            score += 10
            reasons.append(f"a mediator is at hand: {', '.join(mediators)} (partners); keep one channel")
    if tool.has(Tag.ENGAGES_NEIGHBOURS) and profile.country_profile.neighbours_stance is NeighboursStance.SUPPORTIVE:
        score += 5
        reasons.append("the neighbours support action (country_profile.neighbours_stance = supportive)")
    if tool.type is ToolType.MILITARY and profile.country_profile.remote:
        score -= 5
        reasons.append("the country is remote from US reach (country_profile.remote = true)")
    if tool.has(Tag.COUNTER_INCITEMENT):
        inciters = [a for a in (*profile.actors.perpetrators, *profile.actors.decision_makers) if _INCITEMENT.search(a)]
        if inciters:
            score += 20
            reasons.append(f"applies: broadcasts incite the violence ({inciters[0]})")
    if tool.has(Tag.USE_OF_FORCE) and phase is not Phase.MASS_ATROCITIES:
        score -= 15
        reasons.append(
            "uses force: the chapter prefers to halt escalation without threatening or using military force, "
            "so it ranks after other measures before mass atrocities"
        )
    if tool.cost_band is CostBand.HIGH:
        score -= 5
        reasons.append("high cost band (catalog estimate)")
    if tool.has(Tag.SANCTION) and tool.type is ToolType.ECONOMIC and profile.country_profile.regime is Regime.DEMOCRACY:
        score += 5
        reasons.append("sanctions succeed more often against democratic targets (E2: Hufbauer, Schott and Elliott)")
    if tool.table == 2:
        score += 5
        reasons.append(f"Table 2 measure for {group.label}")
    if group is TargetGroup.THIRD_PARTIES:
        pressure = [
            lever.label
            for lever in (Lever.DIASPORA_NETWORKS, Lever.INTERNAL_GROUPS)
            if levers[lever].status is LeverStatus.PRESENT
        ]
        if pressure:
            score += 2
            reasons.append(f"groups that can exert pressure: {', '.join(pressure)}")
    if phase is not profile.phase:
        reasons.append(f"contingency: for the {phase.label} phase if the crisis escalates")
    return score, reasons


def generate_options(profile: CaseProfile, catalog: Catalog, phase: Phase | None = None) -> OptionsResult:
    """Ranked options per target group and phase, the excluded tools with reasons, and notices on the range."""
    levers = case_levers(profile)
    phases = phases_ahead(profile, phase)
    tools = sorted(catalog.active, key=lambda tool: tool.id)
    excluded: list[Exclusion] = []
    available: list[Tool] = []
    for tool in tools:
        reasons = exclusion_reasons(tool, profile, levers)
        if reasons:
            excluded.append(Exclusion(tool.id, tool.source_label, reasons))
        else:
            available.append(tool)
    options: list[Option] = []
    for current in phases:
        for group in TargetGroup:
            scored = []
            for tool in available:
                if current not in tool.phases or group not in tool.target_groups:
                    continue
                score, why = _score(tool, group, current, profile, levers)
                primary = _fits_tempo(tool, profile.tempo)
                scored.append((not primary, -score, tool.id, tool, tuple(why), primary))
            scored.sort(key=lambda row: row[:3])
            for rank, (_, _, _, tool, why_in, primary) in enumerate(scored, start=1):
                options.append(Option(tool.id, tool.source_label, group, current, rank, why_in, primary))
    result_options = tuple(options)
    notices = _notices(result_options, excluded, phases, catalog)
    return OptionsResult(profile.id, phases, result_options, tuple(excluded), notices)


def breadth_gaps(tools: Iterable[Tool]) -> list[str]:
    """What a set of tools lacks for a broad range: tool types and cooperative/coercive modes not covered."""
    tools = list(tools)
    types = {tool.type for tool in tools}
    modes = {tool.mode for tool in tools}
    gaps = [f"no {tool_type} tool" for tool_type in ToolType if tool_type not in types]
    gaps += [f"no {mode} tool" for mode in Mode if mode not in modes]
    return gaps


def _notices(
    options: Sequence[Option],
    excluded: Sequence[Exclusion],
    phases: Sequence[Phase],
    catalog: Catalog,
) -> tuple[Notice, ...]:
    notices: list[Notice] = []
    out = {exclusion.tool: exclusion for exclusion in excluded}
    for current in phases:
        offered = sorted({option.tool for option in options if option.phase is current})
        gaps = breadth_gaps(catalog.get(tool_id) for tool_id in offered)
        if len(offered) < MIN_BROAD_RANGE:
            gaps.append(f"only {len(offered)} distinct tools")
        if gaps:
            notices.append(
                Notice(
                    "narrow-range",
                    f"this case leaves only few options for the {current.label} phase ({'; '.join(gaps)}); "
                    "the excluded tools say why",
                    phase=current,
                )
            )
        for group in TargetGroup:
            if any(option.phase is current and option.target_group is group for option in options):
                continue
            relevant = [
                tool.id
                for tool in catalog.active
                if current in tool.phases and group in tool.target_groups and tool.id in out
            ]
            why = "; ".join(f"{tool_id}: {out[tool_id].reasons[0]}" for tool_id in sorted(relevant))
            notices.append(
                Notice(
                    "group-without-options",
                    f"no option for {group.label} in the {current.label} phase"
                    + (f" (excluded: {why})" if why else " (the catalog has no tool for them in this phase)"),
                    phase=current,
                    target_group=group,
                )
            )
    return tuple(notices)
