"""Case files and the planning framework on the web: filing, options, playbooks, review, the catalog."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest
from django.urls import reverse

from lemkin.apps.accounts.models import Role
from lemkin.apps.audit.models import AuditEvent
from lemkin.apps.cases.models import Case
from lemkin.apps.cases.services import create_case
from lemkin.apps.planning.models import CatalogTool
from lemkin.core.markings import Level
from lemkin.core.planning import generate_options, load_catalog, options_to_json, parse_profile

PROFILE = (files("lemkin.core.exercise") / "case.yaml").read_text()


@pytest.fixture
def planner(a_person: Any) -> Any:
    return a_person(roles=[Role.PLANNER], clearance=Level.SECRET, compartments=["KESTREL"], username="pl")


@pytest.fixture
def case(planner: Any) -> Case:
    return create_case(planner, PROFILE, Level.SECRET, planner.compartments.get())


@pytest.mark.django_db
def test_a_planner_files_a_case_from_a_profile_and_the_page_is_marked(planner: Any, client_for: Any) -> None:
    client = client_for(planner)
    response = client.post(
        reverse("cases:case-list"), {"profile": PROFILE, "classification": "2", "compartment": "KESTREL"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.slug, case.marking.banner) == ("exercise-varenia-2025", "SECRET//KESTREL")
    page = client.get(reverse("cases:case-detail", kwargs={"slug": case.slug})).content.decode()
    assert 'id="banner-top" role="note" aria-label="Classification of this page">SECRET//KESTREL<' in page
    assert AuditEvent.objects.filter(object_type="cases.case", action="create").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("tempo: volcanic", "tempo: explosive"), "tempo"),
        (("window_days: 21", "window_days: 21\nmood: grim"), "mood"),
        (("phase: escalating", "phase: [escalating"), "not valid YAML"),
    ],
)
def test_a_bad_profile_is_refused_naming_the_field_and_nothing_is_filed(
    planner: Any, client_for: Any, change: tuple[str, str], message: str
) -> None:
    response = client_for(planner).post(reverse("cases:case-list"), {"profile": PROFILE.replace(*change)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_no_one_files_a_case_above_their_own_clearance_or_outside_their_compartments(
    a_person: Any, client_for: Any
) -> None:
    analyst = a_person(roles=[Role.ANALYST], clearance=Level.CONFIDENTIAL)
    body = (
        client_for(analyst)
        .post(reverse("cases:case-list"), {"profile": PROFILE, "classification": "2", "compartment": ""})
        .content.decode()
    )
    assert "classification: SECRET is above your clearance" in body
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_options_page_and_api_give_the_engine_s_answer_with_reasons(
    case: Case, planner: Any, client_for: Any
) -> None:
    client = client_for(planner)
    expected = options_to_json(generate_options(parse_profile(case.profile_yaml_data()), load_catalog()))
    api = client.get(f"/api/cases/{case.slug}/options").json()
    assert api == expected
    page = client.get(reverse("cases:case-options", kwargs={"slug": case.slug})).content.decode()
    first = api["options"][0]
    assert first["tool"] in page
    assert first["reasons"][0].split(";")[0][:30].replace("'", "&#x27;") in page
    assert api["excluded"], "a real case always rules some tools out, with reasons"


@pytest.mark.django_db
def test_playbooks_mix_into_a_saved_package_that_the_review_checks(case: Case, planner: Any, client_for: Any) -> None:
    client = client_for(planner)
    response = client.post(
        reverse("cases:case-playbook", kwargs={"slug": case.slug}),
        {"playbook": ["volcanic-onset", "rolling-crisis"], "version": case.version},
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert "phases:" in case.package_yaml
    review = client.get(reverse("cases:case-review", kwargs={"slug": case.slug}))
    assert review.status_code == 200
    assert AuditEvent.objects.filter(name="PlaybooksApplied", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_the_review_api_flags_a_lonely_unilateral_sanction(case: Case, planner: Any, client_for: Any) -> None:
    sanction = next(
        t for t in load_catalog().active if "sanction" in t.id and t.type.value == "economic" and t.table == 1
    )
    package = {
        "case": case.slug,
        "phases": {
            "escalating": [{"tool": sanction.id, "actors": ["United States"], "multilateral": False, "start_day": 0}]
        },
    }
    answer = client_for(planner).post(f"/api/cases/{case.slug}/review", package, content_type="application/json")
    assert answer.status_code == 200
    codes = {finding["code"] for finding in answer.json()["findings"]}
    assert {"sanctions-uncoupled", "no-victim-protection"} <= codes
    wrong = client_for(planner).post(
        f"/api/cases/{case.slug}/review", {"case": "other", "phases": {}}, content_type="application/json"
    )
    assert wrong.status_code == 422


@pytest.mark.django_db
def test_an_administrator_retires_a_tool_with_a_reason_and_the_engine_stops_offering_it(
    case: Case, planner: Any, a_person: Any, client_for: Any
) -> None:
    admin = a_person(roles=[Role.ADMINISTRATOR], username="ad")
    offered = client_for(planner).get(f"/api/cases/{case.slug}/options").json()["options"][0]["tool"]
    url = reverse("planning:tool-detail", kwargs={"tool_id": offered})
    assert client_for(admin).post(url, {"action": "retire", "reason": ""}).status_code == 302
    assert not CatalogTool.objects.get(tool_id=offered).retired, "no retirement without a reason"
    client_for(admin).post(url, {"action": "retire", "reason": "superseded by a newer authority"})
    assert CatalogTool.objects.get(tool_id=offered).retired
    tools = {o["tool"] for o in client_for(planner).get(f"/api/cases/{case.slug}/options").json()["options"]}
    assert offered not in tools
    event = AuditEvent.objects.get(name="ToolRetired")
    assert event.detail == {"reason": "superseded by a newer authority"}
    assert client_for(planner).post(url, {"action": "restore", "reason": "x"}).status_code == 403


@pytest.mark.django_db
def test_adding_a_tool_that_does_not_validate_lists_every_problem_and_adds_nothing(
    a_person: Any, client_for: Any
) -> None:
    admin = a_person(roles=[Role.ADMINISTRATOR], username="ad")
    before = CatalogTool.objects.count()
    body = (
        client_for(admin)
        .post(reverse("planning:tool-list"), {"tool": "id: new-tool\ntable: 3\ntype: magical\n"})
        .content.decode()
    )
    assert "table" in body
    assert "type" in body
    assert CatalogTool.objects.count() == before
