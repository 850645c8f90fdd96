from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema
from ninja.errors import HttpError

from lemkin.apps.accounts.access import get_visible_or_404
from lemkin.core.planning import Phase, options_to_json, review_to_json

from . import services
from .models import Case

router = Router()

_TEXT: dict[str, Any] = {"type": "string", "pattern": r"\S"}

#: The package format of docs/planning-contract.md as JSON Schema, for the API's document. The contract's parser
#: (``lemkin.core.planning.contract.package_from_data``) stays the one validator; what a schema cannot say (a tool
#: id known to the catalog and not retired, a source label naming one tool, ``case`` being the case of the path)
#: it answers with 422 and the reasons.
PACKAGE_SCHEMA: dict[str, Any] = {
    "title": "Package",
    "type": "object",
    "required": ["case", "phases"],
    "additionalProperties": False,
    "properties": {
        "case": {**_TEXT, "description": "The case profile's id: the case of the path."},
        "phases": {
            "type": "object",
            "propertyNames": {"enum": [phase.value for phase in Phase]},
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["actors", "multilateral", "start_day"],
                    "anyOf": [{"required": ["tool"]}, {"required": ["source_label"]}],
                    "additionalProperties": False,
                    "properties": {
                        "tool": {**_TEXT, "description": "A catalog tool id."},
                        "source_label": {**_TEXT, "description": "The exact wording of a table entry."},
                        "actors": {"type": "array", "items": _TEXT},
                        "multilateral": {"type": "boolean"},
                        "start_day": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
    },
}


class CaseOut(Schema):
    id: str
    title: str
    country: str
    marking: str


@router.get("/", response=list[CaseOut])
def list_cases(request: HttpRequest) -> list[dict[str, str]]:
    """Case files the signed-in person may see."""
    return [
        {"id": c.slug, "title": c.title, "country": c.country_code, "marking": c.marking.banner}
        for c in services.cases_for(request.user)
    ]


@router.get("/{slug}/options", response=dict[str, Any])
def case_options(request: HttpRequest, slug: str, phase: Phase | None = None) -> dict[str, Any]:
    """Ranked options per target group and phase with reasons, and excluded tools (docs/planning-contract.md)."""
    case = get_visible_or_404(Case.objects.all(), request.user, slug=slug)
    return options_to_json(services.options_for(case, phase))


@router.post(
    "/{slug}/review",
    response=dict[str, Any],
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": PACKAGE_SCHEMA}}}},
)
def review_case(request: HttpRequest, slug: str, package: Body[dict[str, Any]]) -> dict[str, Any]:
    """Review a package (the contract's package format) against the chapter's guidelines; nothing is saved."""
    case = get_visible_or_404(Case.objects.all(), request.user, slug=slug)
    try:
        parsed = services.parse_package(case, package)
    except services.CaseInputError as error:
        raise HttpError(422, str(error)) from None
    review = services.review_for(case, parsed)
    assert review is not None
    return review_to_json(review)
