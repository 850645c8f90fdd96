"""``lemkin audit verify`` and ``lemkin audit checkpoint``."""

from __future__ import annotations

from pathlib import Path

import typer

from . import console, fail, setup_django

app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


@app.command()
def verify(
    checkpoint: Path | None = typer.Option(None, help="A checkpoint file written by `lemkin audit checkpoint`"),
) -> None:
    """Walk the chain; name the first row edited, inserted, deleted or swapped out of band (exit 1 if any)."""
    setup_django()
    from lemkin.apps.audit.services import verify as verify_chain

    try:
        verdict = verify_chain(checkpoint)
    except ValueError as error:
        fail(str(error))
    if verdict.ok:
        console.print(f"[green]{verdict}[/]")
        return
    console.print(f"[bold red]{verdict}[/]")
    raise typer.Exit(1)


@app.command()
def checkpoint(path: Path = typer.Argument(..., help="Where to write the signed checkpoint")) -> None:
    """Record the chain's head in a signed file (keep it away from the database) to detect cut-off rows."""
    setup_django()
    from lemkin.apps.audit.services import write_checkpoint

    if not path.parent.is_dir():
        fail(f"{path}: folder {path.parent} does not exist")
    mark = write_checkpoint(path)
    console.print(f"Checkpoint at seq {mark['seq']} written to {path}")
