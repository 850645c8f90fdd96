from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from lemkin.apps.accounts.access import visible

from .models import Country

router = Router()


class CountryOut(Schema):
    iso3: str
    ccode: int | None
    name: str
    region: str
    marking: str
    exercise: bool

    @staticmethod
    def resolve_marking(obj: Country) -> str:
        return obj.marking.banner

    @staticmethod
    def resolve_exercise(obj: Country) -> bool:
        return obj.is_exercise


@router.get("/countries", response=list[CountryOut])
def list_countries(request: HttpRequest) -> list[Country]:
    """Countries the signed-in person may see, each with its marking."""
    return list(visible(Country.objects.select_related("compartment"), request.user))
