"""Sub-commands of the ``lemkin`` command line, one module per area; each exposes a Typer ``app`` or functions.

Commands are thin: parse arguments, call the library (``lemkin.core``) or an app's ``services``, print.
Bad input ends with one clear line on standard error (what, where) and exit code 2, having written nothing.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console

console = Console()
errors = Console(stderr=True)

DEFAULT_SETTINGS = "lemkin.site.settings.dev"


BAD_INPUT = 2


def bad_input(message: str, code: int = BAD_INPUT) -> typer.Exit:
    """Print one line saying what went wrong and where; return the exit to raise (``raise bad_input(...)``)."""
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    """Print one line saying what went wrong and where, and stop with a non-zero exit code."""
    raise bad_input(message, code)


def setup_django() -> None:
    """Configure Django for commands that use the database (``DJANGO_SETTINGS_MODULE`` or the dev settings)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django
    from django.apps import apps

    if not apps.ready:  # once per process: a second setup would configure logging again, onto today's stderr
        django.setup()


@contextmanager
def as_cli_actor() -> Iterator[None]:
    """Attribute everything a command changes to ``cli:<operating-system user>`` in the audit log."""
    from lemkin.apps.audit.context import Actor, acting_as

    with acting_as(Actor(username=f"cli:{getpass.getuser()}")):
        yield
