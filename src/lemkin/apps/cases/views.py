"""Case pages: the profile, its policy options, the playbook package and its guideline review.

Each view finds the case through the one access point (``get_visible_or_404``), parses input, calls one service
function, and shows domain errors with the field they concern."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lemkin.apps.accounts.access import get_visible_or_404, may
from lemkin.apps.accounts.models import Clearance, Compartment, Person
from lemkin.core.planning import Phase, TargetGroup

from . import services
from .models import Case


def _case(request: HttpRequest, slug: str) -> Case:
    return get_visible_or_404(Case.objects.select_related("compartment"), request.user, slug=slug)


def _expected_version(request: HttpRequest) -> int:
    """The version of the case file the form was loaded with (its hidden ``version`` field)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise services.CaseInputError(
            ["version: the form does not say which version of the case file it edits; reload the page and edit again"]
        ) from None


def _conflict(context: dict[str, Any], error: services.CaseInputError, saved: str) -> dict[str, Any]:
    """On a stale edit: the saved text beside the person's own, and the current version for the next save."""
    if isinstance(error, services.StaleEdit):
        context |= {"conflict": True, "saved_text": getattr(error.current, saved), "version": error.current.version}
    return context


def _status(error: services.CaseInputError | None) -> int:
    """409 Conflict for a stale edit; other input errors re-show the form as before."""
    return 409 if isinstance(error, services.StaleEdit) else 200


def case_list(request: HttpRequest) -> HttpResponse:
    person: Person = request.user  # type: ignore[assignment]
    errors: list[str] = []
    if request.method == "POST":
        compartment = Compartment.objects.filter(code=request.POST.get("compartment", "")).first()
        try:
            classification = int(request.POST.get("classification", "0"))
            case = services.create_case(person, request.POST.get("profile", ""), classification, compartment)
        except ValueError as error:
            errors = error.problems if isinstance(error, services.CaseInputError) else [str(error)]
        else:
            messages.success(request, f"Case {case.slug} filed.")
            return redirect("cases:case-detail", slug=case.slug)
    context = {
        "cases": services.cases_for(person),
        "can_create": may(person, "cases:case-list", "POST"),
        "errors": errors,
        "profile": request.POST.get("profile", ""),
        "levels": [(value, label) for value, label in Clearance.choices if value <= person.clearance],
        "compartments": sorted(person.compartment_codes),
    }
    return render(request, "cases/case_list.html", context)


def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = _case(request, slug)
    errors: list[str] = []
    failure: services.CaseInputError | None = None
    text = case.profile_yaml
    if request.method == "POST":
        text = request.POST.get("profile", "")
        try:
            services.update_profile(case, text, _expected_version(request))
        except services.CaseInputError as error:
            errors, failure = error.problems, error
        else:
            messages.success(request, "Case profile saved.")
            return redirect("cases:case-detail", slug=case.slug)
    context = {
        "case": case,
        "profile": services.profile_of(case),
        "text": text,
        "version": case.version,
        "errors": errors,
        "can_edit": may(request.user, "cases:case-detail", "POST"),
    }
    if failure is not None:
        context = _conflict(context, failure, "profile_yaml")
    return render(request, "cases/case_detail.html", context, status=_status(failure))


def case_options(request: HttpRequest, slug: str) -> HttpResponse:
    """Options grouped by target group and phase, each with why it is in; excluded tools with why they are out."""
    case = _case(request, slug)
    phase_value = request.GET.get("phase", "")
    phase = Phase(phase_value) if phase_value in {p.value for p in Phase} else None
    result = services.options_for(case, phase)
    grouped: dict[Any, dict[Any, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for option in result.options:
        grouped[option.target_group][option.phase].append(option)
    groups = [
        (group, [(p, grouped[group][p]) for p in Phase if grouped[group].get(p)])
        for group in TargetGroup
        if group in grouped
    ]
    context = {"case": case, "result": result, "groups": groups, "phases": list(Phase), "phase": phase_value}
    return render(request, "cases/case_options.html", context)


def case_playbook(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply one or more standard playbooks to the case (mix and match); conflicts are flagged."""
    case = _case(request, slug)
    errors: list[str] = []
    choice = services.playbooks_for(case)
    failure: services.CaseInputError | None = None
    if request.method == "POST":
        try:
            choice = services.apply_playbooks(case, request.POST.getlist("playbook"), _expected_version(request))
        except services.CaseInputError as error:
            errors, failure = error.problems, error
        else:
            messages.success(request, "Package saved from the chosen playbooks; review it against the guidelines.")
    context = {
        "case": case,
        "choice": choice,
        "version": case.version,
        "errors": errors,
        "can_edit": may(request.user, "cases:case-playbook", "POST"),
    }
    if failure is not None:
        context = _conflict(context, failure, "package_yaml")
    return render(request, "cases/case_playbook.html", context, status=_status(failure))


def case_review(request: HttpRequest, slug: str) -> HttpResponse:
    """The chosen package checked against the chapter's guidelines; a package may be pasted and saved (POST)."""
    case = _case(request, slug)
    errors: list[str] = []
    failure: services.CaseInputError | None = None
    text = case.package_yaml
    if request.method == "POST":
        text = request.POST.get("package", "")
        try:
            services.save_package_text(case, text, _expected_version(request))
        except services.CaseInputError as error:
            errors, failure = error.problems, error
        else:
            messages.success(request, "Package saved.")
            return redirect("cases:case-review", slug=case.slug)
    review = None if errors else services.review_for(case)
    context = {
        "case": case,
        "review": review,
        "text": text,
        "version": case.version,
        "errors": errors,
        "can_edit": may(request.user, "cases:case-review", "POST"),
    }
    if failure is not None:
        context = _conflict(context, failure, "package_yaml")
    return render(request, "cases/case_review.html", context, status=_status(failure))
