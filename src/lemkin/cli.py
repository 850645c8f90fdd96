"""The ``lemkin`` command: one entry for serving, the demo world, people, audit, backups and analysis.

Each command lives in ``lemkin.commands.<area>`` and is a thin layer over the library or an app's services.
"""

from __future__ import annotations

import typer

from lemkin import __version__
from lemkin.commands import accounts, audit, backup, catalog, demo, events, planning, risk, server, watchlist

app = typer.Typer(
    name="lemkin",
    help="Lemkin: decision support for atrocity prevention.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(server.serve)
app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(server.manage)
app.add_typer(demo.app, name="demo")
app.command()(accounts.createuser)
app.add_typer(audit.app, name="audit")
app.command()(backup.backup)
app.command()(backup.restore)
app.command(help="Ranked policy options for a case profile (the standard planning framework).")(planning.options)
app.command(help="Check a package of options against the chapter's guidelines.")(planning.review)
app.add_typer(catalog.app, name="catalog")
risk.app.command("import")(watchlist.import_run)
app.add_typer(risk.app, name="risk")
app.add_typer(events.app, name="events")


@app.command()
def version() -> None:
    """Print Lemkin's version."""
    typer.echo(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
