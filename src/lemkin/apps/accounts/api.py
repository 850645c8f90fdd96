from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from .models import Agency, Person

router = Router()


class AgencyOut(Schema):
    code: str
    name: str
    description: str
    is_active: bool


class MeOut(Schema):
    username: str
    full_name: str
    agency: str | None
    roles: list[str]
    clearance: str
    compartments: list[str]


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    """The signed-in person: roles, clearance and compartments."""
    person: Person = request.user  # type: ignore[assignment]
    return MeOut(
        username=person.username,
        full_name=person.get_full_name(),
        agency=person.agency.code if person.agency else None,
        roles=sorted(person.roles),
        clearance=person.get_clearance_display(),
        compartments=sorted(person.compartment_codes),
    )


@router.get("/agencies", response=list[AgencyOut])
def list_agencies(request: HttpRequest) -> list[Agency]:
    """The committee's member agencies."""
    return list(Agency.objects.all())
