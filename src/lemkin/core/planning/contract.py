"""The JSON contract of the planning framework (docs/planning-contract.md), and its Markdown rendering.

Three shapes, stable for the command line and the API alike:

* options: ``{"case", "options": [{"tool", "source_label", "target_group", "phase", "rank", "reasons"}],
  "excluded": [{"tool", "source_label", "reasons"}], "notices": [{"code", "phase", "target_group", "message"}]}``
* a package file (YAML or JSON): ``{"case", "phases": {PHASE: [{"tool" | "source_label", "actors",
  "multilateral", "start_day"}]}}``
* review: ``{"case", "findings": [{"code", "guideline", "severity", "message", "tools"}]}``

Readers are strict: unknown fields and bad values are errors naming the field path and the source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from lemkin.core.planning import _validate as v
from lemkin.core.planning.catalog import Catalog, Tool
from lemkin.core.planning.enums import Guideline, Mode, Phase, Severity, TargetGroup, ToolType
from lemkin.core.planning.options import Exclusion, Notice, Option, OptionsResult
from lemkin.core.planning.package import Package, PackageItem
from lemkin.core.planning.review import FINDINGS, Finding, Review

_SECONDARY = "secondary:"


class ContractError(ValueError):
    """Data that does not follow the contract; ``problems`` lists every problem with its field path."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {problem}" for problem in problems))

    def one_line(self) -> str:
        return f"{self.source}: " + "; ".join(self.problems)


class PackageError(ContractError):
    """A package file that does not validate."""


def dumps(data: Any) -> str:
    """JSON text as the command line prints it: indented, UTF-8 kept, keys in contract order."""
    return json.dumps(data, indent=2, ensure_ascii=False)


# --- options --------------------------------------------------------------------------------------------------


def options_to_json(result: OptionsResult) -> dict[str, Any]:
    return {
        "case": result.case,
        "options": [
            {
                "tool": option.tool,
                "source_label": option.source_label,
                "target_group": option.target_group.value,
                "phase": option.phase.value,
                "rank": option.rank,
                "reasons": list(option.reasons),
            }
            for option in result.options
        ],
        "excluded": [
            {"tool": ex.tool, "source_label": ex.source_label, "reasons": list(ex.reasons)} for ex in result.excluded
        ],
        "notices": [
            {
                "code": notice.code,
                "phase": notice.phase.value if notice.phase else None,
                "target_group": notice.target_group.value if notice.target_group else None,
                "message": notice.message,
            }
            for notice in result.notices
        ],
    }


def options_from_json(data: Any, *, source: str = "<options json>") -> OptionsResult:
    """Read options JSON back (for clients and tests); ``primary`` is recovered from the "secondary:" reason."""
    problems = v.Problems()
    top = v.mapping(data, "", problems)
    if top is None:
        raise ContractError(source, problems.items)
    v.keys(top, "", problems, ("case", "options", "excluded"), ("notices",))
    case = v.string(top.get("case"), "case", problems)
    options: list[Option] = []
    for index, raw in enumerate(_list(top.get("options"), "options", problems)):
        path = f"options[{index}]"
        item = v.mapping(raw, path, problems)
        if item is None:
            continue
        v.keys(item, path, problems, ("tool", "source_label", "target_group", "phase", "rank", "reasons"))
        tool = v.string(item.get("tool"), f"{path}.tool", problems)
        label = v.string(item.get("source_label"), f"{path}.source_label", problems)
        group = v.choice(item.get("target_group"), f"{path}.target_group", problems, TargetGroup)
        phase = v.choice(item.get("phase"), f"{path}.phase", problems, Phase)
        rank = v.integer(item.get("rank"), f"{path}.rank", problems, minimum=1)
        reasons = v.string_list(item.get("reasons"), f"{path}.reasons", problems)
        if tool and label and group and phase and rank and reasons is not None:
            primary = not any(reason.startswith(_SECONDARY) for reason in reasons)
            options.append(Option(tool, label, group, phase, rank, reasons, primary))
    excluded: list[Exclusion] = []
    for index, raw in enumerate(_list(top.get("excluded"), "excluded", problems)):
        path = f"excluded[{index}]"
        item = v.mapping(raw, path, problems)
        if item is None:
            continue
        v.keys(item, path, problems, ("tool", "source_label", "reasons"))
        tool = v.string(item.get("tool"), f"{path}.tool", problems)
        label = v.string(item.get("source_label"), f"{path}.source_label", problems)
        reasons = v.string_list(item.get("reasons"), f"{path}.reasons", problems)
        if tool and label and reasons:
            excluded.append(Exclusion(tool, label, reasons))
    notices: list[Notice] = []
    for index, raw in enumerate(_list(top.get("notices", []), "notices", problems)):
        path = f"notices[{index}]"
        item = v.mapping(raw, path, problems)
        if item is None:
            continue
        v.keys(item, path, problems, ("code", "phase", "target_group", "message"))
        code = v.string(item.get("code"), f"{path}.code", problems)
        message = v.string(item.get("message"), f"{path}.message", problems)
        phase = None if item.get("phase") is None else v.choice(item["phase"], f"{path}.phase", problems, Phase)
        group = (
            None
            if item.get("target_group") is None
            else v.choice(item["target_group"], f"{path}.target_group", problems, TargetGroup)
        )
        if code and message:
            notices.append(Notice(code, message, phase, group))
    if problems:
        raise ContractError(source, problems.items)
    assert case is not None
    phases = tuple(sorted({option.phase for option in options}, key=lambda p: p.order))
    return OptionsResult(case, phases, tuple(options), tuple(excluded), tuple(notices))


def _list(value: Any, path: str, problems: v.Problems) -> list[Any]:
    if not isinstance(value, list):
        problems.add(path, f"expected a list, got {v.show(value)}")
        return []
    return value


# --- package files --------------------------------------------------------------------------------------------


def _resolve(item: Mapping[str, Any], path: str, problems: v.Problems, catalog: Catalog) -> str | None:
    """The tool id of a package item given by ``tool`` or by the exact ``source_label`` of a table entry."""
    tool_id = item.get("tool")
    label = item.get("source_label")
    if tool_id is None and label is None:
        problems.add(path, "give either tool (an id) or source_label (a table entry's wording)")
        return None
    if tool_id is not None:
        if v.string(tool_id, f"{path}.tool", problems) is None:
            return None
        if tool_id not in catalog or catalog.get(tool_id).retired:
            problems.add(f"{path}.tool", f"unknown or retired tool {tool_id!r}")
            return None
        if label is not None and catalog.get(tool_id).source_label != label:
            problems.add(f"{path}.source_label", f"{v.show(label)} is not the label of {tool_id!r}")
            return None
        return str(tool_id)
    text = v.string(label, f"{path}.source_label", problems)
    if text is None:
        return None
    matches = catalog.with_label(text)
    if not matches:
        problems.add(f"{path}.source_label", f"no table entry reads {v.show(label)}")
        return None
    if len(matches) > 1:
        ids = ", ".join(sorted(tool.id for tool in matches))
        problems.add(f"{path}.source_label", f"{v.show(label)} yields several tools; name one with tool: {ids}")
        return None
    return matches[0].id


def package_from_data(data: Any, catalog: Catalog, *, source: str = "<package>") -> Package:
    """Validate a package (plain data from YAML or JSON) against the catalog."""
    problems = v.Problems()
    top = v.mapping(data, "", problems)
    if top is None:
        raise PackageError(source, ["expected a mapping with case and phases"])
    v.keys(top, "", problems, ("case", "phases"))
    case = v.string(top.get("case"), "case", problems) if "case" in top else None
    phases: dict[Phase, tuple[PackageItem, ...]] = {}
    raw_phases = v.mapping(top["phases"], "phases", problems) if "phases" in top else None
    for name, raw_items in (raw_phases or {}).items():
        phase = v.choice(name, f"phases.{name}", problems, Phase)
        if not isinstance(raw_items, list):
            problems.add(f"phases.{name}", f"expected a list of measures, got {v.show(raw_items)}")
            continue
        items: list[PackageItem] = []
        for index, raw in enumerate(raw_items):
            path = f"phases.{name}[{index}]"
            item = v.mapping(raw, path, problems)
            if item is None:
                continue
            v.keys(item, path, problems, ("actors", "multilateral", "start_day"), ("tool", "source_label"))
            tool = _resolve(item, path, problems, catalog)
            actors = v.string_list(item["actors"], f"{path}.actors", problems) if "actors" in item else None
            multilateral = (
                v.boolean(item["multilateral"], f"{path}.multilateral", problems) if ("multilateral" in item) else None
            )
            start = (
                v.integer(item["start_day"], f"{path}.start_day", problems, minimum=0)
                if ("start_day" in item)
                else None
            )
            if tool is not None and actors is not None and multilateral is not None and start is not None:
                items.append(PackageItem(tool, actors, multilateral, start))
        if phase is not None:
            phases[phase] = tuple(items)
    if problems:
        raise PackageError(source, problems.items)
    assert case is not None
    return Package(case, phases)


def package_from_text(text: str, catalog: Catalog, *, source: str = "<package>") -> Package:
    """Parse a package file's text; YAML 1.1 reads JSON too."""
    try:
        data = v.load_yaml(text)
    except yaml.YAMLError as error:
        raise PackageError(source, [v.yaml_error_line(error)]) from error
    return package_from_data(data, catalog, source=source)


def load_package(path: Path, catalog: Catalog) -> Package:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PackageError(str(path), [f"cannot read: {error.strerror or error}"]) from error
    except UnicodeDecodeError as error:
        raise PackageError(str(path), [f"not UTF-8 text ({error.reason})"]) from error
    return package_from_text(text, catalog, source=str(path))


def package_to_json(package: Package) -> dict[str, Any]:
    """The package file's shape, always naming tools by id."""
    return {
        "case": package.case,
        "phases": {
            phase.value: [
                {
                    "tool": item.tool,
                    "actors": list(item.actors),
                    "multilateral": item.multilateral,
                    "start_day": item.start_day,
                }
                for item in package.phases[phase]
            ]
            for phase in sorted(package.phases, key=lambda p: p.order)
        },
    }


# --- review ---------------------------------------------------------------------------------------------------


def review_to_json(review: Review) -> dict[str, Any]:
    return {
        "case": review.case,
        "findings": [
            {
                "code": finding.code,
                "guideline": finding.guideline.value,
                "severity": finding.severity.value,
                "message": finding.message,
                "tools": list(finding.tools),
            }
            for finding in review.findings
        ],
    }


def review_from_json(data: Any, *, source: str = "<review json>") -> Review:
    problems = v.Problems()
    top = v.mapping(data, "", problems)
    if top is None:
        raise ContractError(source, problems.items)
    v.keys(top, "", problems, ("case", "findings"))
    case = v.string(top.get("case"), "case", problems)
    findings: list[Finding] = []
    for index, raw in enumerate(_list(top.get("findings"), "findings", problems)):
        path = f"findings[{index}]"
        item = v.mapping(raw, path, problems)
        if item is None:
            continue
        v.keys(item, path, problems, ("code", "guideline", "severity", "message", "tools"))
        code = item.get("code")
        if code not in FINDINGS:
            problems.add(f"{path}.code", f"{v.show(code)} is not a finding code")
        guideline = v.choice(item.get("guideline"), f"{path}.guideline", problems, Guideline)
        severity = v.choice(item.get("severity"), f"{path}.severity", problems, Severity)
        message = v.string(item.get("message"), f"{path}.message", problems)
        tools = v.string_list(item.get("tools"), f"{path}.tools", problems)
        if code in FINDINGS and guideline and severity and message and tools is not None:
            if FINDINGS[code].guideline is not guideline:
                problems.add(f"{path}.guideline", f"{code} comes from guideline {FINDINGS[code].guideline}")
            findings.append(Finding(code, guideline, severity, message, tools))
    if problems:
        raise ContractError(source, problems.items)
    assert case is not None
    return Review(case, tuple(findings))


# --- Markdown -------------------------------------------------------------------------------------------------


def options_to_markdown(result: OptionsResult) -> str:
    """A readable options assessment: grouped by phase and target group, with the reasons, then exclusions."""
    lines = [f"# Policy options: {result.case}", ""]
    for notice in result.notices:
        lines.append(f"> **{notice.code}**: {notice.message}")
    if result.notices:
        lines.append("")
    for phase in result.phases:
        lines += [f"## Phase: {phase.label}", ""]
        for group in TargetGroup:
            options = result.for_group(group, phase)
            lines += [f"### {group.label.capitalize()}", ""]
            if not options:
                lines += ["_No option (see the notices)._", ""]
                continue
            for option in options:
                lines.append(f"{option.rank}. **{option.tool}** ({option.source_label}): {'; '.join(option.reasons)}")
            lines.append("")
    lines += ["## Excluded", ""]
    for ex in result.excluded:
        lines.append(f"- **{ex.tool}** ({ex.source_label}): {'; '.join(ex.reasons)}")
    if not result.excluded:
        lines.append("_None._")
    return "\n".join(lines) + "\n"


def review_to_markdown(review: Review) -> str:
    lines = [f"# Guideline review: {review.case}", ""]
    if not review.findings:
        lines.append("_No findings._")
    for finding in review.findings:
        tools = f" ({', '.join(finding.tools)})" if finding.tools else ""
        lines.append(
            f"- **{finding.severity.value}** `{finding.code}` [guideline {finding.guideline.value}]: "
            f"{finding.message}{tools}"
        )
    return "\n".join(lines) + "\n"


CATALOG_DOC_COMMAND = (
    ".venv/bin/python -c 'from lemkin.core.planning.contract import write_catalog_doc; write_catalog_doc()'"
)


def _tool_markdown(tool: Tool) -> list[str]:
    lead = "unknown" if tool.lead_time_days is None else f"~{tool.lead_time_days} days"
    levers = ", ".join(f"`{lever}`" for lever in tool.levers) or "none"
    if tool.levers_any:
        levers += "; one of " + ", ".join(f"`{lever}`" for lever in tool.levers_any)
    sources = " ".join(f"[{tag}]" for tag in tool.effectiveness.sources)
    lines = [
        f"### `{tool.id}`",
        "",
        f'- **Source label** (Table {tool.table}): "{tool.source_label}"',
        f"- **Type / mode:** {tool.type} / {tool.mode}" + ("; **retired**" if tool.retired else ""),
        f"- **Target groups:** {', '.join(group.label for group in tool.target_groups)}",
        f"- **Phases:** {', '.join(phase.label for phase in tool.phases)}; **tempo:** {tool.tempo}",
        f"- **Lead time:** {lead}: {tool.lead_time_basis}",
        f"- **Lead agency:** {tool.lead_agency}",
        f"- **Levers needed:** {levers}; **needs partners:** {'yes' if tool.needs_partners else 'no'}; "
        f"**cost band:** {tool.cost_band}",
        f"- **Legal authority:** {tool.legal_authority}",
        f"- **Effectiveness:** {tool.effectiveness.evidence}" + (f" Sources: {sources}." if sources else ""),
    ]
    if tool.tags:
        lines.append(f"- **Review tags:** {', '.join(f'`{tag}`' for tag in sorted(tool.tags))}")
    if tool.maps_to:
        lines.append(f"- **Maps to Table 1:** {', '.join(f'`{tool_id}`' for tool_id in tool.maps_to)}")
    return [*lines, ""]


def catalog_to_markdown(catalog: Catalog) -> str:
    """docs/catalog.md: every tool, grouped as in Table 1 (type, mode) and Table 2 (target group), then sources."""
    lines = [
        "# The catalog of tools and targeted measures",
        "",
        f"Catalog version **{catalog.version}** (`src/lemkin/core/planning/catalog.yaml`). Every tool of Table 1 and "
        "every measure of Table 2 of chapter 4 of *Preventing Genocide* (2008) is listed below; one table entry may "
        "yield several tools (for example a Security Council route and a route without the Council), and each keeps "
        "the entry's exact wording as its source label. The fields are described in "
        "[planning-contract.md](planning-contract.md#the-catalog-format); source tags ([C4], [S1]...) resolve in "
        "the [sources](#sources) at the end.",
        "",
        'Conventions: lead times are the *fastest observed* in the cited cases, not averages; "unknown" means no '
        "source was found and nothing was filled in from memory; `[INFERENCE]` marks a reading rather than a sourced "
        "fact; cost bands are the catalog authors' ordinal estimate; (E1) to (E16) name the cross-cutting findings of "
        "the project's evidence notes (`planning-evidence.md`, section 1), whose sources are listed with the tool.",
        "",
        f"This page is generated from the catalog; after editing the catalog run `{CATALOG_DOC_COMMAND}`. "
        "`tests/core/planning/test_docs.py` fails when it is out of date.",
        "",
    ]
    for tool_type in ToolType:
        for mode in Mode:
            lines += [f"## Table 1: {tool_type}, {mode}", ""]
            for tool in catalog.tools:
                if tool.table == 1 and tool.type is tool_type and tool.mode is mode:
                    lines += _tool_markdown(tool)
    for group in TargetGroup:
        lines += [f"## Table 2: {group.label}", ""]
        for tool in catalog.tools:
            if tool.table == 2 and group in tool.target_groups:
                lines += _tool_markdown(tool)
    lines += ["## Sources", ""]
    lines += [f"- **[{tag}]** {text}" for tag, text in catalog.sources.items()]
    return "\n".join(lines) + "\n"


def write_catalog_doc(path: Path | None = None) -> Path:
    """Regenerate docs/catalog.md (beside ``src/`` in a checkout) from the packaged catalog."""
    from lemkin.core.planning.catalog import load_catalog

    target = path or Path(__file__).resolve().parents[4] / "docs" / "catalog.md"
    target.write_text(catalog_to_markdown(load_catalog()), encoding="utf-8")
    return target
