"""The catalog of tools (Table 1) and targeted measures (Table 2): loading and validation.

The catalog is data, not code: ``catalog.yaml`` beside this module is the versioned default, and the same loader
accepts a plain mapping or a list of tool mappings so that administrators can add or retire tools through the
database without a release (``catalog_from_data``). Every problem is reported at once, each with the path of the
field (``tools[12].levers[0]``) and the source it came from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lemkin.core.planning import _validate as v
from lemkin.core.planning.enums import CostBand, Lever, Mode, Phase, Tag, TargetGroup, Tempo, ToolType

CATALOG_PATH = Path(__file__).with_name("catalog.yaml")

_TOOL_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SOURCE_TAG = re.compile(r"C4|S\d{1,3}")
_TOOL_REQUIRED = (
    "id",
    "source_label",
    "table",
    "type",
    "mode",
    "target_groups",
    "phases",
    "tempo",
    "lead_time_days",
    "lead_time_basis",
    "lead_agency",
    "levers",
    "needs_partners",
    "cost_band",
    "legal_authority",
    "effectiveness",
)
_TOOL_OPTIONAL = ("levers_any", "tags", "maps_to", "retired")


class CatalogError(ValueError):
    """A catalog that does not validate; ``problems`` lists every problem with its field path."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))


@dataclass(frozen=True)
class Effectiveness:
    """Known effectiveness evidence in the catalog's own words ("unknown" when none), with its source tags."""

    evidence: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tool:
    """One tool of Table 1 or one targeted measure of Table 2, with what the options engine needs to judge it.

    ``source_label`` is the exact wording of the table entry; one entry may yield several tools (a Security
    Council route and a route without the Council, for example), which then share the label.
    """

    id: str
    source_label: str
    table: int
    type: ToolType
    mode: Mode
    target_groups: tuple[TargetGroup, ...]
    phases: tuple[Phase, ...]
    tempo: Tempo
    lead_time_days: int | None
    lead_time_basis: str
    lead_agency: str
    levers: tuple[Lever, ...]
    needs_partners: bool
    cost_band: CostBand
    legal_authority: str
    effectiveness: Effectiveness
    levers_any: tuple[Lever, ...] = ()
    tags: frozenset[Tag] = frozenset()
    maps_to: tuple[str, ...] = ()
    retired: bool = False

    def has(self, tag: Tag) -> bool:
        return tag in self.tags

    def to_dict(self) -> dict[str, Any]:
        """The tool as plain data in the catalog file's format (for export and the database)."""
        return {
            "id": self.id,
            "source_label": self.source_label,
            "table": self.table,
            "type": self.type.value,
            "mode": self.mode.value,
            "target_groups": [group.value for group in self.target_groups],
            "phases": [phase.value for phase in self.phases],
            "tempo": self.tempo.value,
            "lead_time_days": self.lead_time_days,
            "lead_time_basis": self.lead_time_basis,
            "lead_agency": self.lead_agency,
            "levers": [lever.value for lever in self.levers],
            "levers_any": [lever.value for lever in self.levers_any],
            "needs_partners": self.needs_partners,
            "cost_band": self.cost_band.value,
            "legal_authority": self.legal_authority,
            "effectiveness": {"evidence": self.effectiveness.evidence, "sources": list(self.effectiveness.sources)},
            "tags": sorted(tag.value for tag in self.tags),
            "maps_to": list(self.maps_to),
            "retired": self.retired,
        }


@dataclass(frozen=True)
class Catalog:
    """A validated, versioned set of tools. ``tools`` keeps retired tools; ``active`` leaves them out."""

    version: str
    tools: tuple[Tool, ...]
    sources: Mapping[str, str] = field(default_factory=dict)
    _by_id: Mapping[str, Tool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {tool.id: tool for tool in self.tools})

    @property
    def active(self) -> tuple[Tool, ...]:
        return tuple(tool for tool in self.tools if not tool.retired)

    def get(self, tool_id: str) -> Tool:
        """The tool with this id; ``KeyError`` when there is none."""
        return self._by_id[tool_id]

    def __contains__(self, tool_id: object) -> bool:
        return tool_id in self._by_id

    def with_label(self, source_label: str) -> tuple[Tool, ...]:
        """Active tools derived from the table entry with exactly this wording."""
        return tuple(tool for tool in self.active if tool.source_label == source_label)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "tools": [tool.to_dict() for tool in self.tools],
            "sources": dict(self.sources),
        }


def _parse_tool(raw: Any, path: str, problems: v.Problems) -> Tool | None:
    data = v.mapping(raw, path, problems)
    if data is None:
        return None
    before = len(problems.items)
    v.keys(data, path, problems, _TOOL_REQUIRED, _TOOL_OPTIONAL)

    def at(key: str) -> str:
        return v.join(path, key)

    tool_id = (
        v.string(data.get("id"), at("id"), problems, pattern=_TOOL_ID, hint="a lowercase slug")
        if ("id" in data)
        else None
    )
    label = v.string(data.get("source_label"), at("source_label"), problems) if "source_label" in data else None
    table = data.get("table")
    if "table" in data and table not in (1, 2):
        problems.add(at("table"), f"{v.show(table)} is not 1 or 2")
    tool_type = v.choice(data.get("type"), at("type"), problems, ToolType) if "type" in data else None
    mode = v.choice(data.get("mode"), at("mode"), problems, Mode) if "mode" in data else None
    groups = (
        v.choice_list(data.get("target_groups"), at("target_groups"), problems, TargetGroup)
        if ("target_groups" in data)
        else None
    )
    if groups == ():
        problems.add(at("target_groups"), "name at least one target group")
    phases = v.choice_list(data.get("phases"), at("phases"), problems, Phase) if "phases" in data else None
    if phases == ():
        problems.add(at("phases"), "name at least one phase")
    tempo = v.choice(data.get("tempo"), at("tempo"), problems, Tempo) if "tempo" in data else None
    lead = data.get("lead_time_days")
    if lead is not None:
        lead = v.integer(lead, at("lead_time_days"), problems, minimum=0)
    basis = (
        v.string(data.get("lead_time_basis"), at("lead_time_basis"), problems) if ("lead_time_basis" in data) else None
    )
    agency = v.string(data.get("lead_agency"), at("lead_agency"), problems) if "lead_agency" in data else None
    levers = v.choice_list(data.get("levers"), at("levers"), problems, Lever) if "levers" in data else None
    levers_any = v.choice_list(data.get("levers_any", []), at("levers_any"), problems, Lever)
    partners = (
        v.boolean(data.get("needs_partners"), at("needs_partners"), problems) if ("needs_partners" in data) else None
    )
    cost = v.choice(data.get("cost_band"), at("cost_band"), problems, CostBand) if "cost_band" in data else None
    authority = (
        v.string(data.get("legal_authority"), at("legal_authority"), problems) if ("legal_authority" in data) else None
    )
    effectiveness = None
    if "effectiveness" in data:
        eff = v.mapping(data["effectiveness"], at("effectiveness"), problems)
        if eff is not None:
            epath = at("effectiveness")
            v.keys(eff, epath, problems, ("evidence", "sources"))
            evidence = v.string(eff.get("evidence"), v.join(epath, "evidence"), problems)
            sources = v.string_list(
                eff.get("sources", []), v.join(epath, "sources"), problems, pattern=_SOURCE_TAG, hint="a source tag"
            )
            if evidence is not None and sources is not None:
                effectiveness = Effectiveness(evidence, sources)
    tags = v.choice_list(data.get("tags", []), at("tags"), problems, Tag)
    maps_to = v.string_list(data.get("maps_to", []), at("maps_to"), problems, pattern=_TOOL_ID, hint="a tool id")
    retired = v.boolean(data.get("retired", False), at("retired"), problems)
    if len(problems.items) != before:
        return None
    assert tool_id is not None
    assert label is not None
    assert tool_type is not None
    assert mode is not None
    assert groups is not None
    assert phases is not None
    assert tempo is not None
    assert basis is not None
    assert agency is not None
    assert levers is not None
    assert levers_any is not None
    assert partners is not None
    assert cost is not None
    assert authority is not None
    assert effectiveness is not None
    assert tags is not None
    assert maps_to is not None
    assert retired is not None
    assert isinstance(table, int)
    return Tool(
        id=tool_id,
        source_label=label,
        table=table,
        type=tool_type,
        mode=mode,
        target_groups=groups,
        phases=tuple(sorted(set(phases), key=lambda phase: phase.order)),
        tempo=tempo,
        lead_time_days=lead,
        lead_time_basis=basis,
        lead_agency=agency,
        levers=levers,
        levers_any=levers_any,
        needs_partners=partners,
        cost_band=cost,
        legal_authority=authority,
        effectiveness=effectiveness,
        tags=frozenset(tags),
        maps_to=maps_to,
        retired=retired,
    )


def catalog_from_data(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    source: str = "<catalog data>",
    version: str | None = None,
    sources: Mapping[str, str] | None = None,
) -> Catalog:
    """Validate plain data into a ``Catalog``.

    ``data`` is either the catalog file's mapping (``version``, ``tools``, ``sources``) or a bare list of tool
    mappings, as the database holds them; then ``version`` (required) and ``sources`` are given separately.
    Raises ``CatalogError`` listing every problem.
    """
    problems = v.Problems()
    raw_sources: Any
    if isinstance(data, Mapping):
        v.keys(data, "", problems, ("version", "tools"), ("sources",))
        raw_version: Any = data.get("version")
        raw_tools: Any = data.get("tools", [])
        raw_sources = data.get("sources", {})
    else:
        raw_version, raw_tools, raw_sources = version, data, sources or {}
    cat_version = v.string(raw_version, "version", problems)
    source_map: dict[str, str] = {}
    src = v.mapping(raw_sources, "sources", problems)
    for tag, text in (src or {}).items():
        if not isinstance(tag, str) or not _SOURCE_TAG.fullmatch(tag):
            problems.add(f"sources.{tag}", "is not a source tag (C4 or S<number>)")
        elif v.string(text, f"sources.{tag}", problems) is not None:
            source_map[tag] = text
    tools: list[Tool] = []
    if not isinstance(raw_tools, list):
        problems.add("tools", f"expected a list, got {v.show(raw_tools)}")
    else:
        for index, raw in enumerate(raw_tools):
            tool = _parse_tool(raw, f"tools[{index}]", problems)
            if tool is not None:
                tools.append(tool)
    _cross_check(tools, source_map, problems, check_sources=bool(source_map) or isinstance(data, Mapping))
    if problems:
        raise CatalogError(source, problems.items)
    assert cat_version is not None
    return Catalog(version=cat_version, tools=tuple(tools), sources=source_map)


def _cross_check(
    tools: Iterable[Tool], sources: Mapping[str, str], problems: v.Problems, *, check_sources: bool
) -> None:
    """Unique ids, ``maps_to`` naming Table 1 tools, and every cited source tag resolved."""
    tools = list(tools)
    ids: dict[str, int] = {}
    for index, tool in enumerate(tools):
        if tool.id in ids:
            problems.add(f"tools[{index}].id", f"duplicate id {tool.id!r} (first at tools[{ids[tool.id]}])")
        else:
            ids[tool.id] = index
    by_id = {tool.id: tool for tool in tools}
    for index, tool in enumerate(tools):
        for target in tool.maps_to:
            if target not in by_id or by_id[target].table != 1:
                problems.add(f"tools[{index}].maps_to", f"{target!r} is not a Table 1 tool id")
        if check_sources:
            cited = set(tool.effectiveness.sources)
            cited.update(re.findall(r"\[(C4|S\d{1,3})\]", " ".join([tool.lead_time_basis, tool.lead_agency])))
            cited.update(
                re.findall(r"\[(C4|S\d{1,3})\]", " ".join([tool.legal_authority, tool.effectiveness.evidence]))
            )
            for tag in sorted(cited - set(sources)):
                problems.add(f"tools[{index}]", f"cites source {tag} which is not listed under sources")


def catalog_from_yaml(text: str, *, source: str = "<catalog yaml>") -> Catalog:
    """Parse and validate catalog YAML text."""
    try:
        data = v.load_yaml(text)
    except yaml.YAMLError as error:
        raise CatalogError(source, [v.yaml_error_line(error)]) from error
    if not isinstance(data, Mapping):
        raise CatalogError(source, ["expected a mapping with version, tools and sources"])
    return catalog_from_data(data, source=source)


@functools.cache
def _default_catalog() -> Catalog:
    return catalog_from_yaml(CATALOG_PATH.read_text(encoding="utf-8"), source=str(CATALOG_PATH))


def load_catalog(path: Path | None = None) -> Catalog:
    """The catalog in ``path``, or the packaged default (read once and cached: catalogs are immutable)."""
    if path is None:
        return _default_catalog()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError(str(path), [f"cannot read: {error.strerror}"]) from error
    return catalog_from_yaml(text, source=str(path))
