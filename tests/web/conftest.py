"""Builders for people and marked records, by intent: ``a_person(roles=[...], clearance=..., compartments=[...])``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lemkin.apps.accounts.models import Agency, Compartment, Person
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
