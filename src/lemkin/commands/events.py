"""``lemkin events import FILE``: event data (UCDP GED or ACLED CSV) into monthly counts, all or nothing."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from . import as_cli_actor, console, errors, fail, setup_django

app = typer.Typer(help="Event data for indicators and warnings (UCDP GED, ACLED).", no_args_is_help=True)


@app.command("import")
def import_(
    path: Path = typer.Argument(..., help="A UCDP GED CSV or an ACLED CSV export"),
    source: str = typer.Option("", help="ucdp_ged or acled (default: read from the header)"),
    accept_drift: bool = typer.Option(
        False, "--accept-drift", help="Write even though the file differs from the previous vintage (after review)"
    ),
) -> None:
    """Validate the whole file, check it against the previous vintage, then store its monthly counts; warning
    rules on the affected indicators run afterwards."""
    setup_django()
    from lemkin.apps.watchlist.indicators import DriftNotAcknowledged, import_events
    from lemkin.core.warning.events import EventImportError

    if source not in {"", "ucdp_ged", "acled"}:
        fail(f"--source {source!r}: use ucdp_ged or acled")
    try:
        with console.status(f"Reading and validating {path.name}"), as_cli_actor():
            outcome = import_events(path, f"cli:{getpass.getuser()}", source=source or None, accept_drift=accept_drift)
    except EventImportError as error:
        for line in error.summary()[:20]:
            errors.print(f"  {line}", highlight=False)
        fail(f"{path}: {len(error.problems)} problem(s); nothing was imported. First: {error.problems[0]}")
    except DriftNotAcknowledged as drift:
        for line in drift.lines[:30]:
            errors.print(f"  {line}", highlight=False)
        fail(
            f"{path}: differs from the previous vintage ({len(drift.lines)} finding(s)); nothing was imported. "
            "Review the findings, then re-run with --accept-drift"
        )
    except OSError as error:
        fail(f"{path}: {error.strerror or error}")
    item = outcome.event_import
    console.print(
        f"Imported {item.n_rows:,} {item.source} events as {item.n_monthly:,} monthly counts "
        f"({item.first_month:%Y-%m} to {item.last_month:%Y-%m}); {len(outcome.drift)} drift finding(s); "
        f"{len(outcome.warnings)} new warning(s)"
    )
