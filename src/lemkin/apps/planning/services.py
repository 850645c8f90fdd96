"""The catalog as other apps use it: ``current_catalog()`` builds the core ``Catalog`` from the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from lemkin.apps.audit.models import Action
from lemkin.apps.audit.services import record
from lemkin.core.planning import Catalog, CatalogError, catalog_from_data
from lemkin.core.planning.catalog import CATALOG_PATH, catalog_from_yaml
from lemkin.core.planning.playbooks import Library, load_library

from .models import CatalogSource, CatalogTool


@dataclass(frozen=True)
class SyncResult:
    version: str
    added: int
    updated: int
    unchanged: int


def _tool_data(row: CatalogTool) -> dict[str, Any]:
    return {**row.data, "retired": row.retired}


def current_catalog() -> Catalog:
    """The catalog as the database holds it (the packaged file until the database has been loaded)."""
    rows = list(CatalogTool.objects.all())
    if not rows:
        return catalog_from_yaml(CATALOG_PATH.read_text(encoding="utf-8"), source=str(CATALOG_PATH))
    sources = dict(CatalogSource.objects.values_list("tag", "text"))
    version = f"database ({len(rows)} tools)"
    return catalog_from_data(
        [_tool_data(row) for row in rows], source="the catalog in the database", version=version, sources=sources
    )


def current_library() -> Library:
    """The standard playbooks, checked against the current catalog."""
    return load_library(catalog=current_catalog())


@transaction.atomic
def sync_catalog(catalog: Catalog, origin: str) -> SyncResult:
    """Add new tools and update changed ones from a validated catalog (all or nothing).

    A tool's ``retired`` flag in the database is the administrators' decision and is kept; tools missing from
    the file stay as they are (retire them explicitly)."""
    added = updated = unchanged = 0
    for tool in catalog.tools:
        data = tool.to_dict()
        data.pop("retired")
        row = CatalogTool.objects.filter(tool_id=tool.id).first()
        if row is None:
            CatalogTool.objects.create(
                tool_id=tool.id,
                source_label=tool.source_label,
                table=tool.table,
                data=data,
                retired=tool.retired,
                origin=origin,
            )
            added += 1
        elif row.data != data or row.source_label != tool.source_label:
            row.data, row.source_label, row.table, row.origin = data, tool.source_label, tool.table, origin
            row.save()
            updated += 1
        else:
            unchanged += 1
    for tag, text in catalog.sources.items():
        CatalogSource.objects.update_or_create(tag=tag, defaults={"text": text})
    record(
        Action.IMPORT,
        name="CatalogSynced",
        detail={"origin": origin, "added": added, "updated": updated, "unchanged": unchanged},
    )
    return SyncResult(catalog.version, added, updated, unchanged)


def import_catalog_file(path: Path) -> SyncResult:
    """Validate a catalog file whole, then sync it; raises ``CatalogError`` listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError(str(path), [f"cannot read: {error.strerror}"]) from None
    catalog = catalog_from_yaml(text, source=str(path))
    return sync_catalog(catalog, origin=f"{path.name} version {catalog.version}")


def load_packaged_catalog_if_empty(**_: Any) -> None:
    """After migrations: a new database gets the packaged catalog."""
    if not CatalogTool.objects.exists():
        catalog = catalog_from_yaml(CATALOG_PATH.read_text(encoding="utf-8"), source=str(CATALOG_PATH))
        sync_catalog(catalog, origin=f"packaged catalog version {catalog.version}")


@transaction.atomic
def add_tool(text: str, person: Any) -> CatalogTool:
    """Add one tool given as YAML in the catalog file's format, checked together with the whole catalog."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CatalogError("the new tool", [f"not valid YAML: {error}"]) from None
    if not isinstance(raw, dict):
        raise CatalogError("the new tool", ["expected one mapping with the tool's fields"])
    existing = current_catalog()
    tools = [tool.to_dict() for tool in existing.tools] + [raw]
    catalog = catalog_from_data(tools, source="the new tool", version=existing.version, sources=existing.sources)
    tool = catalog.get(str(raw.get("id")))
    data = tool.to_dict()
    data.pop("retired")
    return CatalogTool.objects.create(
        tool_id=tool.id,
        source_label=tool.source_label,
        table=tool.table,
        data=data,
        retired=False,
        origin=f"added by {person.get_username()}",
    )


def set_retired(tool_id: str, retired: bool, reason: str) -> CatalogTool:
    """Retire a tool (the options engine stops offering it) or bring it back; the reason is audited."""
    if not reason.strip():
        raise ValueError("give a reason for retiring or restoring a tool")
    row = CatalogTool.objects.get(tool_id=tool_id)
    row.retired = retired
    row.save()
    record(Action.TRANSITION, row, name="ToolRetired" if retired else "ToolRestored", detail={"reason": reason})
    return row
