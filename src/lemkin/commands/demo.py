"""``lemkin demo load`` and ``lemkin demo reset``: the exercise world (fictional, marked EXERCISE)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from . import as_cli_actor, console, fail, setup_django

app = typer.Typer(help="The demo exercise world: fictional countries, people and a worked case.", no_args_is_help=True)


def _print_logins(logins: list[tuple[str, str, str]], path: str) -> None:
    table = Table(title="Demo logins (EXERCISE world)", caption=f"Also kept in {path} (mode 0600)")
    for column in ("username", "password", "who"):
        table.add_column(column, no_wrap=column != "who")
    for row in logins:
        table.add_row(*row)
    console.print(table)


@app.command()
def load(
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing (but show the logins) if already loaded"),
) -> None:
    """Migrate the database and load the exercise world; print the demo logins."""
    setup_django()
    from django.core.management import call_command

    from lemkin.site import demo

    with console.status("Preparing the database (migrations)"):
        call_command("migrate", interactive=False, verbosity=0)
    with as_cli_actor():
        if if_empty and demo.is_loaded():
            console.print("The exercise world is loaded already.")
        else:
            demo.load(progress=console)
            console.print("[green]Exercise world loaded.[/] Everything in it is fictional and marked EXERCISE.")
    _print_logins(demo.read_logins(), str(demo.logins_file()))


@app.command()
def panel(
    out: Path = typer.Argument(..., help="CSV file to write"),
    seed: int = typer.Option(20260101, help="Random seed of the synthetic panel"),
) -> None:
    """Write the exercise world's synthetic country-year panel (EWP columns) as CSV, e.g. for `lemkin risk`."""
    from lemkin.core.exercise.world import synthetic_panel

    if not out.parent.is_dir():
        fail(f"{out}: folder {out.parent} does not exist")
    frame = synthetic_panel(seed=seed)
    temporary = out.with_name(f".{out.name}.partial")
    frame.to_csv(temporary, index=False, na_rep="NA")
    temporary.replace(out)
    console.print(f"Wrote {len(frame)} EXERCISE country-years ({frame['year'].min()}-{frame['year'].max()}) to {out}")


@app.command()
def reset(yes: bool = typer.Option(False, "--yes", help="Confirm without asking")) -> None:
    """Remove the exercise world's records and load it afresh (the audit log keeps the history)."""
    setup_django()
    from django.core.management import call_command

    from lemkin.site import demo

    if not yes:
        typer.confirm("Remove every exercise record and load the world again?", abort=True)
    call_command("migrate", interactive=False, verbosity=0)
    with as_cli_actor():
        demo.unload()
        demo.load(progress=console)
    console.print("[green]Exercise world reset.[/]")
    _print_logins(demo.read_logins(), str(demo.logins_file()))
