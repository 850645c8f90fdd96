"""``lemkin createuser``: add a person with an agency, roles, a clearance and compartments."""

from __future__ import annotations

import secrets
import sys

import typer

from . import as_cli_actor, console, fail, setup_django

CLEARANCES = {"U": 0, "C": 1, "S": 2, "TS": 3}


def createuser(
    username: str = typer.Argument(..., help="Sign-in name"),
    agency: str = typer.Option(..., help="Agency code, e.g. STATE"),
    role: list[str] = typer.Option(..., "--role", help="A role (repeat for several), e.g. analyst"),
    clearance: str = typer.Option("U", help="U, C, S or TS"),
    compartment: list[str] = typer.Option([], "--compartment", help="A compartment code (repeat)"),
    full_name: str = typer.Option("", help="First and last name"),
    email: str = typer.Option("", help="E-mail address"),
    password_stdin: bool = typer.Option(False, help="Read the password from standard input instead of making one"),
) -> None:
    """Create a person. Without --password-stdin a random password is made and shown once."""
    setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from lemkin.apps.accounts.models import Agency, Compartment, Person, Role

    if Person.objects.filter(username=username).exists():
        fail(f"username {username!r}: a person with this name exists already")
    found = Agency.objects.filter(code__iexact=agency).first()
    if found is None:
        codes = ", ".join(Agency.objects.values_list("code", flat=True))
        fail(f"--agency {agency!r}: no such agency; known: {codes}")
    unknown = sorted(set(role) - set(Role.values))
    if unknown:
        fail(f"--role {', '.join(unknown)}: unknown role; choose from {', '.join(Role.values)}")
    level = CLEARANCES.get(clearance.upper())
    if level is None:
        fail(f"--clearance {clearance!r}: use one of {', '.join(CLEARANCES)}")
    compartments = list(Compartment.objects.filter(code__in=[c.upper() for c in compartment]))
    missing = sorted({c.upper() for c in compartment} - {c.code for c in compartments})
    if missing:
        fail(f"--compartment {', '.join(missing)}: no such compartment")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else secrets.token_urlsafe(15)
    first, _, last = full_name.partition(" ")
    candidate = Person(username=username, first_name=first, last_name=last, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        fail(f"password: {' '.join(error.messages)}")
    with as_cli_actor(), transaction.atomic():
        person = Person.objects.create_user(
            username, email=email, password=password, first_name=first, last_name=last, agency=found
        )
        person.clearance = level
        person.save()
        person.set_roles(role)
        person.compartments.set(compartments)
    console.print(f"Created {username} ({found.code}; {', '.join(sorted(role))}; clearance {clearance.upper()}).")
    if not password_stdin:
        console.print(f"Password (shown once): [bold]{password}[/]")
