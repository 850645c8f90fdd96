"""Playbooks: named packages of options per phase, applied to a case, mixed and matched, conflicts flagged.

The chapter: "different policy packages or 'playbooks' would be developed that could be mixed and matched to
respond to a variety of contingencies for different phases of a crisis". The standard library lives in
``playbooks.yaml``; applying one to a case fills its actor roles from the profile, carries items of phases the case
has already passed into its current phase, and drops the tools the options engine excludes for the case, saying
why. ``package.combine`` mixes packages; ``find_conflicts`` flags chosen measures that work against each other.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lemkin.core.planning import _validate as v
from lemkin.core.planning.catalog import Catalog, load_catalog
from lemkin.core.planning.enums import Phase, Tempo
from lemkin.core.planning.options import case_levers, exclusion_reasons
from lemkin.core.planning.package import Package, PackageItem
from lemkin.core.planning.profile import CaseProfile, PartnerRelation, PeaceProcess

PLAYBOOKS_PATH = Path(__file__).with_name("playbooks.yaml")
ROLES = ("united_states", "mediator", "partners", "regional_organisations", "neighbours", "patrons")
_ROLE = re.compile(r"\{(\w+)\}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class PlaybookError(ValueError):
    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))


@dataclass(frozen=True)
class Playbook:
    id: str
    title: str
    summary: str
    phases: Mapping[Phase, tuple[PackageItem, ...]]  # actors may hold {role} placeholders


@dataclass(frozen=True)
class Conflict:
    first: frozenset[str]
    second: frozenset[str]
    reason: str


@dataclass(frozen=True)
class ConflictHit:
    """Two chosen measures that work against each other."""

    tools: tuple[str, str]
    reason: str


@dataclass(frozen=True)
class Library:
    version: str
    playbooks: tuple[Playbook, ...]
    conflicts: tuple[Conflict, ...]

    def get(self, playbook_id: str) -> Playbook:
        for playbook in self.playbooks:
            if playbook.id == playbook_id:
                return playbook
        raise KeyError(playbook_id)


@dataclass(frozen=True)
class Dropped:
    phase: Phase
    tool: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AppliedPlaybook:
    playbook: str
    package: Package
    dropped: tuple[Dropped, ...]


def _item(raw: Any, path: str, problems: v.Problems, catalog: Catalog, phase: Phase | None) -> PackageItem | None:
    data = v.mapping(raw, path, problems)
    if data is None:
        return None
    before = len(problems.items)
    v.keys(data, path, problems, ("tool", "start_day", "multilateral", "actors"))
    tool = v.string(data.get("tool"), v.join(path, "tool"), problems) if "tool" in data else None
    if tool is not None and tool not in catalog:
        problems.add(v.join(path, "tool"), f"unknown tool {tool!r}")
    elif tool is not None and phase is not None and phase not in catalog.get(tool).phases:
        problems.add(v.join(path, "tool"), f"{tool!r} does not apply in the {phase} phase")
    start = (
        v.integer(data.get("start_day"), v.join(path, "start_day"), problems, minimum=0)
        if ("start_day" in data)
        else None
    )
    multilateral = (
        v.boolean(data.get("multilateral"), v.join(path, "multilateral"), problems)
        if ("multilateral" in data)
        else None
    )
    actors = v.string_list(data.get("actors"), v.join(path, "actors"), problems) if "actors" in data else None
    for index, actor in enumerate(actors or ()):
        for role in _ROLE.findall(actor):
            if role not in ROLES:
                problems.add(f"{path}.actors[{index}]", f"unknown role {{{role}}}; roles: {', '.join(ROLES)}")
    if len(problems.items) != before:
        return None
    assert tool is not None
    assert start is not None
    assert multilateral is not None
    assert actors is not None
    return PackageItem(tool, actors, multilateral, start)


def library_from_data(data: Any, catalog: Catalog, *, source: str = "<playbooks>") -> Library:
    """Validate the playbook library (every tool must exist in ``catalog`` and apply in its phase)."""
    problems = v.Problems()
    top = v.mapping(data, "", problems)
    if top is None:
        raise PlaybookError(source, problems.items)
    v.keys(top, "", problems, ("version", "playbooks", "conflicts"))
    version = v.string(top.get("version"), "version", problems)
    playbooks: list[Playbook] = []
    raw_books = top.get("playbooks", [])
    for index, raw in enumerate(raw_books if isinstance(raw_books, list) else []):
        path = f"playbooks[{index}]"
        book = v.mapping(raw, path, problems)
        if book is None:
            continue
        v.keys(book, path, problems, ("id", "title", "summary", "phases"))
        book_id = v.string(book.get("id"), f"{path}.id", problems, pattern=_SLUG, hint="a slug")
        title = v.string(book.get("title"), f"{path}.title", problems)
        summary = v.string(book.get("summary"), f"{path}.summary", problems)
        phases: dict[Phase, tuple[PackageItem, ...]] = {}
        raw_phases = v.mapping(book.get("phases"), f"{path}.phases", problems) or {}
        for name, raw_items in raw_phases.items():
            phase = v.choice(name, f"{path}.phases.{name}", problems, Phase)
            if not isinstance(raw_items, list):
                problems.add(f"{path}.phases.{name}", "expected a list of items")
                continue
            items = [
                _item(item, f"{path}.phases.{name}[{i}]", problems, catalog, phase) for i, item in enumerate(raw_items)
            ]
            if phase is not None:
                phases[phase] = tuple(item for item in items if item is not None)
        if book_id and title and summary:
            playbooks.append(Playbook(book_id, title, summary, phases))
    conflicts: list[Conflict] = []
    raw_conflicts = top.get("conflicts", [])
    for index, raw in enumerate(raw_conflicts if isinstance(raw_conflicts, list) else []):
        path = f"conflicts[{index}]"
        entry = v.mapping(raw, path, problems)
        if entry is None:
            continue
        v.keys(entry, path, problems, ("between", "reason"))
        reason = v.string(entry.get("reason"), f"{path}.reason", problems)
        sides = entry.get("between")
        if not (isinstance(sides, list) and len(sides) == 2):
            problems.add(f"{path}.between", "expected two lists of tool ids")
            continue
        parsed = [v.string_list(side, f"{path}.between[{i}]", problems) for i, side in enumerate(sides)]
        for side in parsed:
            for tool in side or ():
                if tool not in catalog:
                    problems.add(f"{path}.between", f"unknown tool {tool!r}")
        if reason and parsed[0] and parsed[1]:
            conflicts.append(Conflict(frozenset(parsed[0]), frozenset(parsed[1]), reason))
    if problems:
        raise PlaybookError(source, problems.items)
    assert version is not None
    return Library(version, tuple(playbooks), tuple(conflicts))


@functools.cache
def _default_library() -> Library:
    data = v.load_yaml(PLAYBOOKS_PATH.read_text(encoding="utf-8"))
    return library_from_data(data, load_catalog(), source=str(PLAYBOOKS_PATH))


def load_library(path: Path | None = None, catalog: Catalog | None = None) -> Library:
    """The playbook library in ``path`` (checked against ``catalog``), or the packaged default (cached)."""
    if path is None and catalog is None:
        return _default_library()
    file = path or PLAYBOOKS_PATH
    try:
        data = v.load_yaml(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise PlaybookError(str(file), [v.yaml_error_line(error)]) from error
    return library_from_data(data, catalog or load_catalog(), source=str(file))


def role_actors(profile: CaseProfile) -> dict[str, tuple[str, ...]]:
    """What each actor role means for this case."""
    partners = profile.partners or ()
    mediators = [p.name for p in partners if p.relation is PartnerRelation.MEDIATOR]
    patrons = [p.name for p in partners if p.relation is PartnerRelation.PATRON]
    return {
        "united_states": ("United States",),
        "mediator": (mediators[0],) if mediators else ("a mediator acceptable to the parties",),
        "partners": tuple(p.name for p in partners if p.relation is not PartnerRelation.PATRON),
        "regional_organisations": tuple(profile.country_profile.regional_organisations or ()),
        "neighbours": tuple(p.name for p in partners if p.relation is PartnerRelation.NEIGHBOUR),
        "patrons": tuple(patrons) if patrons else profile.country_profile.patrons,
    }


def _fill(actors: Iterable[str], roles: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    filled: list[str] = []
    for actor in actors:
        match = _ROLE.fullmatch(actor)
        filled.extend(roles[match.group(1)] if match else (actor,))
    return tuple(dict.fromkeys(filled))


def apply_playbook(playbook: Playbook, profile: CaseProfile, catalog: Catalog) -> AppliedPlaybook:
    """The playbook as a package for this case, and the items dropped with the reasons why."""
    levers = case_levers(profile)
    roles = role_actors(profile)
    phases: dict[Phase, dict[str, PackageItem]] = {}
    dropped: list[Dropped] = []
    for phase in sorted(playbook.phases, key=lambda p: p.order):
        target = phase if phase.order >= profile.phase.order else profile.phase
        for item in playbook.phases[phase]:
            tool = catalog.get(item.tool) if item.tool in catalog else None
            if tool is None or tool.retired:
                dropped.append(Dropped(phase, item.tool, ("retired or missing from the catalog",)))
                continue
            reasons = exclusion_reasons(tool, profile, levers)
            if not reasons and target not in tool.phases:
                reasons = (f"carried into the {target.label} phase, where it does not apply",)
            if reasons:
                dropped.append(Dropped(phase, item.tool, reasons))
                continue
            filled = PackageItem(item.tool, _fill(item.actors, roles), item.multilateral, item.start_day)
            slot = phases.setdefault(target, {})
            if item.tool not in slot or filled.start_day < slot[item.tool].start_day:
                slot[item.tool] = filled
    package = Package(profile.id, {phase: tuple(items.values()) for phase, items in phases.items()})
    return AppliedPlaybook(playbook.id, package, tuple(dropped))


def suggest_playbooks(profile: CaseProfile, library: Library) -> tuple[str, ...]:
    """Playbooks whose situation matches the profile, most specific first (a starting point to mix and match)."""
    cp = profile.country_profile
    wanted: list[str] = []
    if cp.peace_process is PeaceProcess.ONGOING:
        wanted.append("peace-process-crisis")
    if cp.patrons:
        wanted.append("patron-shielded-regime")
    if re.search(r"elect", " ".join((profile.title, *profile.actors.decision_makers)), re.IGNORECASE):
        wanted.append("election-violence")
    wanted.append("volcanic-onset" if profile.tempo is Tempo.VOLCANIC else "rolling-crisis")
    known = {playbook.id for playbook in library.playbooks}
    return tuple(book for book in wanted if book in known)


def find_conflicts(package: Package, conflicts: Iterable[Conflict]) -> tuple[ConflictHit, ...]:
    """Pairs of chosen measures that work against each other, in a stable order."""
    chosen = package.tool_ids()
    hits: list[ConflictHit] = []
    for conflict in conflicts:
        for first in sorted(conflict.first & chosen):
            for second in sorted(conflict.second & chosen):
                hits.append(ConflictHit((first, second), conflict.reason))
    return tuple(sorted(hits, key=lambda hit: hit.tools))
