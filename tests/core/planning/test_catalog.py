"""The catalog holds every Table 1 tool and every Table 2 measure of the chapter, with the fields the engine needs,
and it can be loaded from plain data (the database) as well as from the versioned file."""

from __future__ import annotations

import re

import pytest

from lemkin.core.planning.catalog import Catalog, CatalogError, catalog_from_data, catalog_from_yaml, load_catalog
from lemkin.core.planning.enums import Mode, TargetGroup, ToolType
from lemkin.core.planning.options import generate_options
from tests.core.planning.builders import a_case

TABLE1_ROWS = {
    "DIPLOMATIC": ToolType.DIPLOMATIC,
    "ECONOMIC": ToolType.ECONOMIC,
    "LEGAL": ToolType.LEGAL,
    "MILITARY (OVERT/COVERT)": ToolType.MILITARY,
}
TABLE2_ROWS = {
    "DECISION MAKERS": TargetGroup.DECISION_MAKERS,
    "PERPETRATORS": TargetGroup.PERPETRATORS,
    "VICTIMS": TargetGroup.VICTIMS,
    "THIRD PARTIES": TargetGroup.THIRD_PARTIES,
}


def table1_from_chapter(text: str) -> dict[tuple[ToolType, Mode], set[str]]:
    """Table 1 as printed in the chapter: one line per type, a tab-separated cell per column of <li> items."""
    table: dict[tuple[ToolType, Mode], set[str]] = {}
    for line in text.splitlines():
        head, _, rest = line.partition("\t")
        if head in TABLE1_ROWS and "<li>" in rest:
            cooperative, coercive = rest.split("\t")[:2]
            for mode, cell in ((Mode.COOPERATIVE, cooperative), (Mode.COERCIVE, coercive)):
                items = {re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", cell)}
                table[(TABLE1_ROWS[head], mode)] = items
    return table


def table2_from_chapter(text: str) -> dict[TargetGroup, str]:
    """Table 2 as printed: one line per target group, the measures run together in one cell."""
    table: dict[TargetGroup, str] = {}
    for line in text.splitlines():
        head, _, rest = line.partition("\t")
        if head in TABLE2_ROWS:
            table[TABLE2_ROWS[head]] = rest.strip()
    return table


def test_chapter_tables_parse(chapter_text: str) -> None:
    """The parsers find all of both tables (guards the comparisons below against a silent empty parse)."""
    table1 = table1_from_chapter(chapter_text)
    assert len(table1) == 8
    assert sum(len(items) for items in table1.values()) == 35  # 10 diplomatic, 9 economic, 5 legal, 11 military
    assert set(table2_from_chapter(chapter_text)) == set(TargetGroup)


def test_every_table1_entry_is_in_the_catalog_with_its_type_and_mode(catalog: Catalog, chapter_text: str) -> None:
    """Each <li> of Table 1 is the source_label of at least one tool of that type and mode, and nothing else is."""
    for (tool_type, mode), labels in table1_from_chapter(chapter_text).items():
        in_catalog = {t.source_label for t in catalog.tools if t.table == 1 and t.type is tool_type and t.mode is mode}
        assert in_catalog == labels, (tool_type, mode)


def test_every_table2_measure_is_in_the_catalog_for_its_group(catalog: Catalog, chapter_text: str) -> None:
    """The Table 2 labels of a group, in order of appearance, spell out the chapter's cell exactly."""
    for group, cell in table2_from_chapter(chapter_text).items():
        labels = {t.source_label for t in catalog.tools if t.table == 2 and group in t.target_groups}
        assert all(label in cell for label in labels), group
        assert " ".join(sorted(labels, key=cell.index)) == cell, group


def test_table2_tools_act_on_their_own_group_only(catalog: Catalog) -> None:
    for tool in catalog.tools:
        if tool.table == 2:
            assert len(tool.target_groups) == 1, tool.id


def test_catalog_is_versioned_and_every_tool_is_complete(catalog: Catalog) -> None:
    assert catalog.version
    assert len({tool.id for tool in catalog.tools}) == len(catalog.tools)
    for tool in catalog.tools:
        assert tool.lead_agency
        assert tool.legal_authority
        assert tool.lead_time_basis
        assert tool.effectiveness.evidence
        if tool.lead_time_days is None:
            assert tool.lead_time_basis.startswith("unknown"), tool.id
        # evidence either cites a source or says it is unknown
        assert tool.effectiveness.sources or "unknown" in tool.effectiveness.evidence, tool.id


def test_every_cited_source_is_listed(catalog: Catalog) -> None:
    for tool in catalog.tools:
        for tag in tool.effectiveness.sources:
            assert tag in catalog.sources, (tool.id, tag)


def test_catalog_loads_from_a_list_of_tools_as_the_database_holds_them(catalog: Catalog) -> None:
    tools = [tool.to_dict() for tool in catalog.tools]
    again = catalog_from_data(tools, version="db-7", sources=catalog.sources)
    assert again.tools == catalog.tools
    assert again.version == "db-7"
    assert catalog_from_data(catalog.to_dict()) == catalog


def test_a_retired_tool_is_never_offered_nor_excluded(catalog: Catalog) -> None:
    data = catalog.to_dict()
    for tool in data["tools"]:
        if tool["id"] == "mediation":
            tool["retired"] = True
    retired = catalog_from_data(data)
    result = generate_options(a_case(), retired)
    assert "mediation" not in result.offered_tools()
    assert "mediation" not in result.excluded_tools
    assert "mediation" in generate_options(a_case(), catalog).offered_tools()


def test_an_administrator_can_add_a_tool(catalog: Catalog) -> None:
    data = catalog.to_dict()
    new = dict(data["tools"][0], id="mediation-standby-team", source_label="Dialogue facilitation/mediation")
    data["tools"].append(new)
    extended = catalog_from_data(data)
    assert "mediation-standby-team" in generate_options(a_case(), extended).offered_tools()


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"type": "cultural"}, "tools[0].type", "is not one of diplomatic"),
        ({"levers": ["goodwill"]}, "tools[0].levers[0]", "is not one of"),
        ({"lead_time_days": -3}, "tools[0].lead_time_days", ">= 0"),
        ({"table": 3}, "tools[0].table", "not 1 or 2"),
        ({"colour": "red"}, "tools[0].colour", "unknown field"),
        ({"id": "Bad Id"}, "tools[0].id", "lowercase slug"),
        ({"phases": []}, "tools[0].phases", "at least one phase"),
        ({"effectiveness": {"evidence": "x", "sources": ["S999"]}}, "tools[0]", "S999"),
        ({"maps_to": ["nowhere"]}, "tools[0].maps_to", "not a Table 1 tool id"),
    ],
)
def test_bad_catalog_entries_are_rejected_with_the_field_named(
    catalog: Catalog, change: dict[str, object], path: str, message: str
) -> None:
    data = catalog.to_dict()
    data["tools"][0] = {**data["tools"][0], **change}
    with pytest.raises(CatalogError) as raised:
        catalog_from_data(data, source="admin-upload")
    assert any(p.startswith(path) and message in p for p in raised.value.problems), raised.value.problems
    assert str(raised.value).startswith("admin-upload: ")


def test_duplicate_ids_and_duplicate_yaml_keys_are_rejected(catalog: Catalog) -> None:
    data = catalog.to_dict()
    data["tools"].append(data["tools"][0])
    with pytest.raises(CatalogError, match="duplicate id 'mediation'"):
        catalog_from_data(data)
    with pytest.raises(CatalogError, match="duplicate key 'version'"):
        catalog_from_yaml("version: a\nversion: b\ntools: []\n")


def test_default_catalog_is_cached_and_immutable() -> None:
    assert load_catalog() is load_catalog()
    with pytest.raises(AttributeError):
        load_catalog().tools[0].id = "x"  # type: ignore[misc]
