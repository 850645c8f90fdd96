"""Builders for people and marked records, by intent: ``a_person(roles=[...], clearance=..., compartments=[...])``;
and ``served``, the application behind a real gunicorn as ``lemkin serve`` starts it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lemkin.apps.accounts.models import Agency, Compartment, Person
from lemkin.commands.server import gunicorn_command
from lemkin.core.markings import Level

PersonBuilder = Callable[..., Person]


@pytest.fixture
def a_person(db: Any) -> PersonBuilder:
    """Make a person of an agency with the given roles, clearance (a ``Level``) and compartment codes."""
    counter = iter(range(1, 10_000))

    def build(
        roles: list[str] | tuple[str, ...] = (),
        clearance: Level = Level.UNCLASSIFIED,
        compartments: list[str] | tuple[str, ...] = (),
        agency: str = "STATE",
        username: str | None = None,
    ) -> Person:
        person = Person.objects.create_user(
            username or f"person{next(counter)}",
            password="correct horse battery staple",
            agency=Agency.objects.get(code=agency),
        )
        person.clearance = int(clearance)
        person.save()
        person.set_roles(list(roles))
        person.compartments.set(
            [Compartment.objects.get_or_create(code=c, defaults={"name": c})[0] for c in compartments]
        )
        return person

    return build


@pytest.fixture
def client_for() -> Callable[[Person], Client]:
    """A test client signed in as ``person``."""

    def build(person: Person) -> Client:
        client = Client()
        client.force_login(person)
        return client

    return build


@dataclass(frozen=True)
class Served:
    """A running server: its loopback port and the files its standard output and error go to."""

    port: int
    stdout: Path
    stderr: Path


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """gunicorn serving Lemkin with the command line of ``lemkin serve`` (its config, JSON logs), one worker, the
    test settings and an empty SQLite database, on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LEMKIN_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "lemkin.site.settings.test",
        "LEMKIN_DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
    }
    result = Served(port, tmp_path / "stdout.log", tmp_path / "stderr.log")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    with result.stdout.open("wb") as stdout, result.stderr.open("wb") as stderr:
        command = gunicorn_command(gunicorn, "127.0.0.1", port, 1)
        server = subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            yield result
        finally:
            server.terminate()
            server.wait(timeout=30)
