"""Guideline review: check a chosen package against the chapter's guidelines.

Each finding has a code from a fixed vocabulary (``FINDINGS``: codes are added, never renamed), the guideline it
comes from ("4-4", "4-5" or "sanctions", the "Guidelines for Imposing Sanctions"), a severity, a message, and the
tools concerned. Findings are advice for deliberate judgment, not prohibitions: the chapter says there is "no
magic formula", and it asks that rewards for "good behavior" be weighed rather than dismissed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lemkin.core.planning.catalog import Catalog, Tool
from lemkin.core.planning.enums import Guideline, Lever, Mode, Phase, Severity, Tag, TargetGroup, Tempo, ToolType
from lemkin.core.planning.options import LeverStatus, breadth_gaps, case_levers, days, exclusion_reasons
from lemkin.core.planning.package import Package, PackageItem
from lemkin.core.planning.playbooks import Conflict, find_conflicts, load_library
from lemkin.core.planning.profile import CaseProfile, NeighboursStance, PartnerKind, PartnerRelation, PeaceProcess


@dataclass(frozen=True)
class FindingSpec:
    guideline: Guideline
    severity: Severity  # the usual severity; a rule may raise or lower it with a stated reason
    meaning: str


FINDINGS: dict[str, FindingSpec] = {
    "sanctions-gradual-ladder": FindingSpec(
        Guideline.SANCTIONS,
        Severity.HIGH,
        "Sanctions imposed as a slow ladder of gradually harsher steps (spread over more than 30 days, or half the "
        "window if shorter, or across phases); the chapter: eschew successively harsher sanctions, they succeed "
        "only when they really bite.",
    ),
    "sanctions-unilateral": FindingSpec(
        Guideline.SANCTIONS,
        Severity.MEDIUM,
        "A sanction is unilateral although the case lists partners or regional organisations to act with; the "
        "chapter: maximise impact quickly through international cooperation.",
    ),
    "sanctions-uncoupled": FindingSpec(
        Guideline.SANCTIONS,
        Severity.HIGH,
        "Sanctions with no other tool beside them (or only other economic ones); the chapter: sanctions are a tool, "
        "not a strategy.",
    ),
    "threat-without-follow-through": FindingSpec(
        Guideline.REC_4_4,
        Severity.HIGH,
        "A threat or condemnation with no coercive economic, legal or military measure available and prepared in "
        "the package; the chapter: unless truly credible, threats should be avoided.",
    ),
    "rigid-escalatory-ladder": FindingSpec(
        Guideline.REC_4_4,
        Severity.MEDIUM,
        "Coercive measures held back until every cooperative one has started, or deferred to later phases; the "
        "chapter: avoid an overly rigid escalatory ladder, stronger measures earlier often have a greater chance.",
    ),
    "too-slow-for-tempo": FindingSpec(
        Guideline.REC_4_4,
        Severity.HIGH,
        "A measure that cannot take effect inside the window (start day plus lead time), or a rolling-crisis tool "
        "of unknown lead time in a volcanic case.",
    ),
    "no-victim-protection": FindingSpec(
        Guideline.REC_4_5,
        Severity.HIGH,
        "No measure protects the potential victims; the plan must improve their chances of survival, and the "
        "chapter asks to exploit monitors and peacekeepers that can deter and hinder escalation.",
    ),
    "patron-not-engaged": FindingSpec(
        Guideline.REC_4_5,
        Severity.HIGH,
        "The regime has a patron but no measure engages it; the chapter: prominent patrons should be a major focus "
        "of preventive diplomatic efforts.",
    ),
    "neighbours-not-engaged": FindingSpec(
        Guideline.REC_4_5,
        Severity.MEDIUM,
        "No measure engages neighbours or regional organisations, who often have greater influence on the ground.",
    ),
    "patron-veto-risk": FindingSpec(
        Guideline.REC_4_5,
        Severity.HIGH,
        "A measure depends on the Security Council where a patron can veto it.",
    ),
    "peace-process-hostage": FindingSpec(
        Guideline.REC_4_5,
        Severity.HIGH,
        "The case sits inside a peace process and the package relies on negotiation with no parallel preventive "
        "measures (the Arusha and early Bosnia lesson).",
    ),
    "multiple-channels": FindingSpec(
        Guideline.REC_4_5,
        Severity.MEDIUM,
        "More than one negotiating channel; the chapter: speak with one voice, a single negotiating channel, so "
        "perpetrators cannot play actors off against each other.",
    ),
    "no-accountability-record": FindingSpec(
        Guideline.REC_4_5,
        Severity.MEDIUM,
        "No step records evidence for accountability; perpetrators should see that their acts will not go "
        "unnoticed or unrecorded for potential criminal indictment.",
    ),
    "perpetrator-incentives-review": FindingSpec(
        Guideline.REC_4_4,
        Severity.LOW,
        "Inducements are offered to decision makers or perpetrators: flagged for deliberate review, not forbidden; "
        "the chapter says not to dismiss rewarding 'bad people' for 'good behavior'.",
    ),
    "narrow-range": FindingSpec(
        Guideline.REC_4_4,
        Severity.MEDIUM,
        "The package covers fewer than three of the four tool types, or lacks cooperative or coercive measures; "
        "the chapter asks for a broad and flexible range, never all-or-nothing choices.",
    ),
    "conflicting-measures": FindingSpec(
        Guideline.REC_4_5,
        Severity.MEDIUM,
        "Two chosen measures work against each other (playbooks.yaml conflicts); maintain consistency in the "
        "messages conveyed.",
    ),
    "lever-missing": FindingSpec(
        Guideline.REC_4_4,
        Severity.HIGH,
        "A chosen measure lacks the lever it needs in this case (no aid dependence, no assets abroad, no "
        "peacekeepers...), so it is not credible.",
    ),
}

LADDER_DAYS = 30


@dataclass(frozen=True)
class Finding:
    code: str
    guideline: Guideline
    severity: Severity
    message: str
    tools: tuple[str, ...]


@dataclass(frozen=True)
class Review:
    case: str
    findings: tuple[Finding, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(finding.code for finding in self.findings)


class _Context:
    """What the rules need, computed once: the items with their tools, and the case's levers and exclusions."""

    def __init__(self, profile: CaseProfile, package: Package, catalog: Catalog) -> None:
        self.profile = profile
        self.catalog = catalog
        self.levers = case_levers(profile)
        self.rows: list[tuple[Phase, PackageItem, Tool]] = [
            (phase, item, catalog.get(item.tool)) for phase, item in package.items()
        ]

    def with_tag(self, tag: Tag) -> list[tuple[Phase, PackageItem, Tool]]:
        return [row for row in self.rows if row[2].has(tag)]

    def excluded(self, tool: Tool) -> tuple[str, ...]:
        return exclusion_reasons(tool, self.profile, self.levers)


def _ids(rows: Iterable[tuple[Phase, PackageItem, Tool]]) -> tuple[str, ...]:
    return tuple(sorted({row[2].id for row in rows}))


def _finding(code: str, message: str, tools: Iterable[str], severity: Severity | None = None) -> Finding:
    spec = FINDINGS[code]
    return Finding(code, spec.guideline, severity or spec.severity, message, tuple(sorted(set(tools))))


def _sanction_rules(ctx: _Context) -> list[Finding]:
    findings: list[Finding] = []
    sanctions = ctx.with_tag(Tag.SANCTION)
    if not sanctions:
        return findings
    days = [item.start_day for _, item, _ in sanctions]
    phases = {phase for phase, _, _ in sanctions}
    window = ctx.profile.window_days
    limit = min(LADDER_DAYS, window // 2) if window is not None else LADDER_DAYS
    spread = max(days) - min(days)
    if len(sanctions) >= 2 and (spread > limit or len(phases) > 1):
        where = f"over {spread} days" if spread > limit else f"across {len(phases)} phases"
        findings.append(
            _finding(
                "sanctions-gradual-ladder",
                f"sanctions are spread {where}, a ladder of gradually harsher steps; impose them together so they "
                "bite at once",
                _ids(sanctions),
            )
        )
    partners = [p for p in ctx.profile.partners or () if p.relation is not PartnerRelation.PATRON]
    regional = ctx.profile.country_profile.regional_organisations or ()
    unilateral = [row for row in sanctions if not row[1].multilateral]
    if unilateral and (partners or regional):
        with_whom = ", ".join([p.name for p in partners] + list(regional))
        findings.append(
            _finding(
                "sanctions-unilateral",
                f"unilateral sanctions where the case lists possible partners ({with_whom}); the chapter argues "
                "for multilateral sanctions from impact and signalling, though Hufbauer, Schott and Elliott find "
                "multilateral sanctions no likelier to succeed (E2)",
                _ids(unilateral),
            )
        )
    others = [row for row in ctx.rows if not row[2].has(Tag.SANCTION) and row[2].type is not ToolType.ECONOMIC]
    if not others:
        findings.append(
            _finding(
                "sanctions-uncoupled",
                "sanctions stand alone: couple them with diplomatic, legal or military tools so that together they "
                "change the regime's calculation",
                _ids(sanctions),
            )
        )
    return findings


def _credibility_rules(ctx: _Context) -> list[Finding]:
    findings: list[Finding] = []
    threats = [row for row in ctx.rows if row[2].has(Tag.THREAT) or row[2].has(Tag.RHETORIC)]
    follow = [
        row
        for row in ctx.rows
        if row[2].mode is Mode.COERCIVE
        and row[2].type is not ToolType.DIPLOMATIC
        and not row[2].has(Tag.THREAT)
        and not ctx.excluded(row[2])
    ]
    if threats and not follow:
        findings.append(
            _finding(
                "threat-without-follow-through",
                "threats or condemnation with no coercive measure prepared to follow through; aggressive rhetoric "
                "matched with meager action signals weakness",
                _ids(threats),
            )
        )
    cooperative = [row for row in ctx.rows if row[2].mode is Mode.COOPERATIVE]
    coercive = [row for row in ctx.rows if row[2].mode is Mode.COERCIVE]
    current = ctx.profile.phase
    if cooperative and coercive:
        first_coercive = min(item.start_day for _, item, _ in coercive)
        last_cooperative = max(item.start_day for _, item, _ in cooperative)
        now = [row for row in ctx.rows if row[0].order <= current.order]
        deferred = bool(now) and all(row[2].mode is Mode.COOPERATIVE for row in now)
        if first_coercive > 0 and first_coercive > last_cooperative:
            findings.append(
                _finding(
                    "rigid-escalatory-ladder",
                    f"coercive measures start only on day {first_coercive}, after every cooperative measure: a "
                    "ladder adversaries can game",
                    _ids(coercive),
                )
            )
        elif deferred:
            findings.append(
                _finding(
                    "rigid-escalatory-ladder",
                    f"every coercive measure is deferred beyond the current {current.label} phase",
                    _ids(coercive),
                )
            )
    window = ctx.profile.window_days
    late = sorted(
        (tool.id, item.start_day, tool.lead_time_days)
        for _, item, tool in ctx.rows
        if window is not None and tool.lead_time_days is not None and item.start_day + tool.lead_time_days > window
    )
    slow = sorted(
        {
            tool.id
            for _, _, tool in ctx.rows
            if ctx.profile.tempo is Tempo.VOLCANIC and tool.tempo is Tempo.ROLLING and tool.lead_time_days is None
        }
    )
    if late or slow:
        parts = []
        if late:
            parts.append(
                f"cannot take effect inside the {window}-day window: "
                + ", ".join(f"{tool} (day {start} + ~{days(lead)})" for tool, start, lead in late)
            )
        if slow:
            parts.append("suit rolling crises and have no known lead time: " + ", ".join(slow))
        findings.append(
            _finding(
                "too-slow-for-tempo",
                "; ".join(parts),
                [tool for tool, _, _ in late] + slow,
                severity=None if late else Severity.MEDIUM,
            )
        )
    missing: list[tuple[str, str]] = []
    for _, _, tool in ctx.rows:
        for lever in tool.levers:
            state = ctx.levers[lever]
            if lever is not Lever.UN_SECURITY_COUNCIL and state.status is LeverStatus.ABSENT:
                missing.append((tool.id, f"no {lever.label} ({state.evidence})"))
        if tool.levers_any and all(ctx.levers[lever].status is LeverStatus.ABSENT for lever in tool.levers_any):
            names = " or ".join(lever.label for lever in tool.levers_any)
            missing.append((tool.id, f"none of {names} is available"))
    if missing:
        findings.append(
            _finding(
                "lever-missing",
                "; ".join(f"{tool}: {reason}" for tool, reason in sorted(set(missing))),
                [tool for tool, _ in missing],
            )
        )
    incentives = [
        row
        for row in ctx.with_tag(Tag.INCENTIVE)
        if {TargetGroup.DECISION_MAKERS, TargetGroup.PERPETRATORS} & set(row[2].target_groups)
    ]
    if incentives:
        findings.append(
            _finding(
                "perpetrator-incentives-review",
                "inducements to those who plan or carry out the violence: weigh them deliberately; the chapter says "
                "halting escalation may require offering inducements to unsavory people",
                _ids(incentives),
            )
        )
    return findings


def _mentions(actors: Sequence[str], names: Iterable[str]) -> bool:
    """Whether an actor names one of ``names`` as a whole word ("RUS" is not found in "Belarus")."""
    patterns = [re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE) for name in names if name]
    return any(pattern.search(actor) for pattern in patterns for actor in actors)


def _influence_rules(ctx: _Context) -> list[Finding]:
    findings: list[Finding] = []
    profile = ctx.profile
    cp = profile.country_profile
    partners = profile.partners or ()
    if not any(row[2].has(Tag.PROTECTS_VICTIMS) or TargetGroup.VICTIMS in row[2].target_groups for row in ctx.rows):
        findings.append(
            _finding("no-victim-protection", "no measure protects the potential victims or improves their survival", ())
        )
    if cp.patrons:
        patron_names = [*cp.patrons, *(p.name for p in partners if p.relation is PartnerRelation.PATRON)]
        engaged = any(row[2].has(Tag.ENGAGES_PATRON) or _mentions(row[1].actors, patron_names) for row in ctx.rows)
        if not engaged:
            findings.append(
                _finding(
                    "patron-not-engaged",
                    f"the regime's patron ({', '.join(cp.patrons)}) is not engaged; make it a major focus",
                    (),
                )
            )
    neighbour_names = [
        *(cp.regional_organisations or ()),
        *(p.name for p in partners if p.relation is PartnerRelation.NEIGHBOUR),
        *(p.name for p in partners if p.kind is PartnerKind.REGIONAL_ORGANISATION),
    ]
    if not any(row[2].has(Tag.ENGAGES_NEIGHBOURS) or _mentions(row[1].actors, neighbour_names) for row in ctx.rows):
        shielding = cp.neighbours_stance is NeighboursStance.SHIELDING
        findings.append(
            _finding(
                "neighbours-not-engaged",
                "no measure engages the neighbours or regional organisations"
                + (" although the neighbours shield the regime" if shielding else ""),
                (),
                severity=Severity.HIGH if shielding else None,
            )
        )
    council = ctx.levers[Lever.UN_SECURITY_COUNCIL]
    vetoed = [row for row in ctx.rows if Lever.UN_SECURITY_COUNCIL in row[2].levers]
    if vetoed and council.status is LeverStatus.ABSENT:
        findings.append(
            _finding(
                "patron-veto-risk",
                f"these measures need the Security Council, where {council.evidence}",
                _ids(vetoed),
            )
        )
    negotiation = ctx.with_tag(Tag.NEGOTIATION)
    if cp.peace_process is PeaceProcess.ONGOING and ctx.rows:
        parallel = [row for row in ctx.rows if not row[2].has(Tag.NEGOTIATION)]
        now = [row for row in parallel if row[0].order <= profile.phase.order]
        if not parallel or not now:
            findings.append(
                _finding(
                    "peace-process-hostage",
                    "the package leans on the peace process with no parallel preventive measure in the current "
                    "phase; do not let the negotiation preclude other initiatives",
                    _ids(negotiation),
                )
            )
    channels: list[frozenset[str]] = []
    for _, item, _ in negotiation:
        actors = frozenset(actor.lower() for actor in item.actors)
        if not any(actors <= channel or channel <= actors for channel in channels):
            channels.append(actors)
        else:
            channels = [
                channel | actors if (actors <= channel or channel <= actors) else channel for channel in channels
            ]
    if len(channels) > 1:
        findings.append(
            _finding(
                "multiple-channels",
                f"{len(channels)} separate negotiating channels; keep one channel that every actor reinforces",
                _ids(negotiation),
            )
        )
    if ctx.rows and not ctx.with_tag(Tag.ACCOUNTABILITY):
        findings.append(
            _finding(
                "no-accountability-record",
                "no step records evidence for accountability (fact finding, commissions of inquiry, indictments, "
                "referral)",
                (),
            )
        )
    return findings


def _range_rules(ctx: _Context, conflicts: Iterable[Conflict]) -> list[Finding]:
    findings: list[Finding] = []
    tools = [row[2] for row in ctx.rows]
    types = {tool.type for tool in tools}
    gaps = breadth_gaps(tools)
    mode_gap = [gap for gap in gaps if "cooperative" in gap or "coercive" in gap]
    if len(types) < 3 or mode_gap:
        findings.append(
            _finding(
                "narrow-range",
                f"a narrow package ({'; '.join(gaps)}): keep a broad and flexible range, not all or nothing",
                (),
            )
        )
    package = Package(ctx.profile.id, {Phase.ESCALATING: tuple(row[1] for row in ctx.rows)})
    for hit in find_conflicts(package, conflicts):
        findings.append(_finding("conflicting-measures", f"{hit.tools[0]} and {hit.tools[1]}: {hit.reason}", hit.tools))
    return findings


def review_package(
    profile: CaseProfile,
    package: Package,
    catalog: Catalog,
    conflicts: Iterable[Conflict] | None = None,
) -> Review:
    """Review ``package`` for ``profile``; findings sorted by severity, code and tools (deterministic)."""
    if package.case != profile.id:
        raise ValueError(f"the package is for case {package.case!r} but the case profile is {profile.id!r}")
    ctx = _Context(profile, package, catalog)
    rules = conflicts if conflicts is not None else load_library().conflicts
    findings = [*_sanction_rules(ctx), *_credibility_rules(ctx), *_influence_rules(ctx), *_range_rules(ctx, rules)]
    findings.sort(key=lambda f: (f.severity.order, f.code, f.tools, f.message))
    return Review(profile.id, tuple(findings))
