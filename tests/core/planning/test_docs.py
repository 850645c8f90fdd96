"""Docs cannot drift: every catalog tool is in docs/catalog.md with its label, and every finding code, lever, review
tag, notice code, playbook and catalog field is in docs/planning-contract.md (with the code's guideline)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lemkin.core.planning.catalog import _TOOL_OPTIONAL, _TOOL_REQUIRED, Catalog
from lemkin.core.planning.contract import CATALOG_DOC_COMMAND, catalog_to_markdown
from lemkin.core.planning.enums import Lever, Tag
from lemkin.core.planning.playbooks import ROLES, load_library
from lemkin.core.planning.review import FINDINGS

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.fixture(scope="module")
def contract_doc() -> str:
    return (DOCS / "planning-contract.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def catalog_doc() -> str:
    return (DOCS / "catalog.md").read_text(encoding="utf-8")


def test_every_catalog_tool_is_documented_with_its_label(catalog: Catalog, catalog_doc: str) -> None:
    sections = dict(re.findall(r"^### `([a-z0-9-]+)`\n(.*?)(?=^### |^## |\Z)", catalog_doc, re.MULTILINE | re.DOTALL))
    missing = [tool.id for tool in catalog.tools if tool.id not in sections]
    assert not missing, f"add these tools to docs/catalog.md: {missing}"
    for tool in catalog.tools:
        assert f'"{tool.source_label}"' in sections[tool.id], tool.id
    assert not set(sections) - {tool.id for tool in catalog.tools}, "docs/catalog.md lists tools the catalog lacks"
    assert f"**{catalog.version}**" in catalog_doc, "docs/catalog.md names an old catalog version"


def test_catalog_doc_is_generated_from_the_current_catalog(catalog: Catalog, catalog_doc: str) -> None:
    assert catalog_doc == catalog_to_markdown(catalog), f"docs/catalog.md is out of date: run {CATALOG_DOC_COMMAND}"


def test_every_finding_code_is_documented_with_its_guideline(contract_doc: str) -> None:
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (4-4|4-5|sanctions) \|", contract_doc, re.MULTILINE))
    for code, spec in FINDINGS.items():
        assert code in rows, f"document finding code {code} in docs/planning-contract.md"
        assert rows[code] == spec.guideline.value, code
    assert set(rows) <= set(FINDINGS), "docs/planning-contract.md documents codes the review does not have"


def test_levers_tags_notices_playbooks_roles_and_fields_are_documented(contract_doc: str) -> None:
    for word in [
        *(f"`{lever.value}`" for lever in Lever),
        *(f"`{tag.value}`" for tag in Tag),
        "`narrow-range`",
        "`group-without-options`",
        *(f"`{book.id}`" for book in load_library().playbooks),
        *(f"`{{{role}}}`" for role in ROLES),
        *(f"| `{field}` |" for field in (*_TOOL_REQUIRED, *_TOOL_OPTIONAL)),
    ]:
        assert word in contract_doc, f"document {word} in docs/planning-contract.md"
