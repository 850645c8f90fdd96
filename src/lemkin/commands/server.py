"""``lemkin serve`` and ``lemkin manage`` (Django's management commands, for operators)."""

from __future__ import annotations

import os
import shutil
import sys

import typer

from . import console, fail, setup_django


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    workers: int = typer.Option(2, help="Worker processes"),
) -> None:
    """Apply migrations and serve Lemkin with gunicorn."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    if gunicorn is None:
        fail("gunicorn is not installed in this environment; run `make run`, which installs it")
    console.print(f"Lemkin is at [bold]http://{host}:{port}/[/] (stop with Ctrl-C)")
    argv = gunicorn_command(gunicorn, host, port, workers)
    sys.stdout.flush()
    os.execv(gunicorn, argv)  # noqa: S606 - replaces this process with the server, arguments are ours


def gunicorn_command(gunicorn: str, host: str, port: int, workers: int) -> list[str]:
    """The server's command line: gunicorn with Lemkin's settings (JSON log lines) on ``host:port``."""
    config = "python:lemkin.site.gunicorn_conf"
    return [
        gunicorn,
        "--config",
        config,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "lemkin.site.wsgi:application",
    ]


def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. ``lemkin manage migrate``."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lemkin manage", *ctx.args])
