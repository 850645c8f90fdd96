"""``lemkin catalog import FILE``: bring a catalog file's new and changed tools into the database."""

from __future__ import annotations

from pathlib import Path

import typer

from . import as_cli_actor, console, fail, setup_django

app = typer.Typer(help="The planning framework's catalog of tools and measures in the database.", no_args_is_help=True)


@app.command("import")
def import_(path: Path = typer.Argument(..., help="A catalog YAML file (format: docs/planning-contract.md)")) -> None:
    """Validate the whole file, then add new tools and update changed ones (retired flags are kept)."""
    setup_django()
    from lemkin.apps.planning.services import import_catalog_file
    from lemkin.core.planning import CatalogError

    try:
        with as_cli_actor():
            result = import_catalog_file(path)
    except CatalogError as error:
        fail(f"{error.source}: " + "; ".join(error.problems))
    console.print(
        f"Catalog {result.version}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged"
    )


@app.command("list")
def list_(include_retired: bool = typer.Option(False, help="Also list retired tools")) -> None:
    """The tools in the database: id, table, type, status."""
    setup_django()
    from rich.table import Table

    from lemkin.apps.planning.models import CatalogTool

    table = Table("tool", "table", "type", "mode", "status")
    rows = CatalogTool.objects.all() if include_retired else CatalogTool.objects.filter(retired=False)
    for row in rows:
        status = "retired" if row.retired else "active"
        table.add_row(row.tool_id, str(row.table), row.data.get("type", ""), row.data.get("mode", ""), status)
    console.print(table)
