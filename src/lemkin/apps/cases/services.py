"""Case files and the planning framework: views and API call these, never the core directly.

Every function takes the acting person; what a person may see is decided by ``lemkin.apps.accounts.access``.
Bad input raises ``CaseInputError`` with every problem named (field path and message); nothing is written.

**No lost updates.** A case file has a ``version``, raised by every change. Editors send the version they loaded;
a change re-reads the row under a lock (``SELECT ... FOR UPDATE``; SQLite's ``BEGIN IMMEDIATE`` serialises writers
the same way) and refuses with ``StaleEdit`` when another change came first, so two planners editing at once
never overwrite each other silently. Only the fields a change concerns are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from django.db import transaction

from lemkin.apps.accounts.access import visible
from lemkin.apps.accounts.models import Compartment, Person
from lemkin.apps.audit.models import Action
from lemkin.apps.audit.services import record
from lemkin.apps.planning.services import current_catalog, current_library
from lemkin.core.markings import Level
from lemkin.core.planning import (
    CaseProfile,
    CaseProfileError,
    ContractError,
    OptionsResult,
    Package,
    Phase,
    Review,
    apply_playbook,
    combine,
    find_conflicts,
    generate_options,
    package_from_data,
    package_to_json,
    parse_profile,
    review_package,
    suggest_playbooks,
)
from lemkin.core.planning.playbooks import ConflictHit, Dropped

from .models import Case


class CaseInputError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class StaleEdit(CaseInputError):
    """The case file changed after the editor loaded it: nothing is saved; ``current`` is the stored case now."""

    def __init__(self, current: Case, expected: int) -> None:
        self.current = current
        super().__init__(
            [
                f"version: the case file changed since you opened it (you edited version {expected}; it is now "
                f"version {current.version}, saved {current.updated_at:%Y-%m-%d %H:%M} UTC). Nothing was saved: "
                "your text is kept below beside the saved one; merge them and save again."
            ]
        )


def _locked(case: Case, expected_version: int | None) -> Case:
    """The case row re-read under a write lock, after checking that it is still the version the editor loaded."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current, expected_version)
    return current


def _save(current: Case, fields: list[str], case: Case) -> None:
    current.version += 1
    current.save(update_fields=[*fields, "version", "updated_at"])
    case.refresh_from_db()


def cases_for(person: Any) -> Any:
    return visible(Case.objects.select_related("compartment"), person)


def profile_of(case: Case) -> CaseProfile:
    return parse_profile(yaml.safe_load(case.profile_yaml), source=f"case {case.slug}")


def _parse(text: str, source: str) -> CaseProfile:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CaseInputError([f"{source}: not valid YAML ({error})"]) from None
    try:
        return parse_profile(data, source=source)
    except CaseProfileError as error:
        raise CaseInputError([f"{error.source}: {problem}" for problem in error.problems]) from None


def _check_marking(person: Person, classification: int, compartment: Compartment | None) -> None:
    """A person may only file a record they could read themselves (no writing up out of sight)."""
    problems = []
    if classification > person.clearance:
        problems.append(f"classification: {Level(classification).label} is above your clearance")
    if compartment is not None and compartment.code not in person.compartment_codes:
        problems.append(f"compartment: you are not read into {compartment.code}")
    if problems:
        raise CaseInputError(problems)


@transaction.atomic
def create_case(
    person: Person,
    profile_text: str,
    classification: int = 0,
    compartment: Compartment | None = None,
    *,
    is_exercise: bool = False,
) -> Case:
    profile = _parse(profile_text, "case profile")
    _check_marking(person, classification, compartment)
    if Case.objects.filter(slug=profile.id).exists():
        raise CaseInputError([f"id: a case {profile.id!r} exists already"])
    return Case.objects.create(
        slug=profile.id,
        title=profile.title,
        country_code=profile.country,
        profile_yaml=profile_text,
        classification=classification,
        compartment=compartment,
        is_exercise=is_exercise,
        created_by=person,
    )


@transaction.atomic
def update_profile(case: Case, profile_text: str, expected_version: int | None = None) -> Case:
    """Replace the case profile; ``expected_version`` is the version the editor loaded (``StaleEdit`` if it moved)."""
    profile = _parse(profile_text, f"case {case.slug}")
    if profile.id != case.slug:
        raise CaseInputError([f"id: the profile's id {profile.id!r} must stay {case.slug!r}"])
    current = _locked(case, expected_version)
    current.profile_yaml, current.title, current.country_code = profile_text, profile.title, profile.country
    _save(current, ["profile_yaml", "title", "country_code"], case)
    return case


def options_for(case: Case, phase: Phase | None = None) -> OptionsResult:
    return generate_options(profile_of(case), current_catalog(), phase)


@dataclass(frozen=True)
class PlaybookChoice:
    suggested: tuple[str, ...]
    library: Any
    package: Package | None
    conflicts: tuple[ConflictHit, ...]
    dropped: tuple[tuple[str, Dropped], ...]


def package_of(case: Case) -> Package | None:
    if not case.package_yaml:
        return None
    return package_from_data(yaml.safe_load(case.package_yaml), current_catalog(), source=f"case {case.slug}")


def playbooks_for(case: Case) -> PlaybookChoice:
    library = current_library()
    package = package_of(case)
    conflicts = find_conflicts(package, library.conflicts) if package else ()
    return PlaybookChoice(suggest_playbooks(profile_of(case), library), library, package, conflicts, ())


@transaction.atomic
def apply_playbooks(case: Case, playbook_ids: list[str], expected_version: int | None = None) -> PlaybookChoice:
    """Mix and match: apply each chosen playbook to the case, merge them, save the package, flag conflicts."""
    library = current_library()
    known = {book.id for book in library.playbooks}
    unknown = [book for book in playbook_ids if book not in known]
    if not playbook_ids or unknown:
        raise CaseInputError(
            [
                f"playbooks: choose from {', '.join(sorted(known))}"
                + (f" (unknown: {', '.join(unknown)})" if unknown else "")
            ]
        )
    current = _locked(case, expected_version)
    profile, catalog = profile_of(current), current_catalog()
    applied = [apply_playbook(library.get(book), profile, catalog) for book in playbook_ids]
    package = combine(*(a.package for a in applied), case=case.slug)
    _save_package(current, package, case, name="PlaybooksApplied", detail={"playbooks": playbook_ids})
    dropped = tuple((a.playbook, d) for a in applied for d in a.dropped)
    return PlaybookChoice(
        suggest_playbooks(profile, library), library, package, find_conflicts(package, library.conflicts), dropped
    )


def _save_package(current: Case, package: Package, case: Case, name: str, detail: dict[str, Any]) -> None:
    current.package_yaml = yaml.safe_dump(package_to_json(package), sort_keys=False, allow_unicode=True)
    _save(current, ["package_yaml"], case)
    record(Action.EVENT, case, name=name, detail=detail)


def parse_package(case: Case, data: Any) -> Package:
    try:
        package = package_from_data(data, current_catalog(), source="package")
    except ContractError as error:
        raise CaseInputError([str(error)]) from None
    if package.case != case.slug:
        raise CaseInputError([f"case: the package is for {package.case!r}, not {case.slug!r}"])
    return package


@transaction.atomic
def save_package_text(case: Case, text: str, expected_version: int | None = None) -> Package:
    """Replace the package with pasted text; ``expected_version`` as for :func:`update_profile`."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CaseInputError([f"package: not valid YAML ({error})"]) from None
    package = parse_package(case, data)
    current = _locked(case, expected_version)
    _save_package(current, package, case, name="PackageSaved", detail={"items": len(package)})
    return package


def review_for(case: Case, package: Package | None = None) -> Review | None:
    if package is None:  # not ``or``: a package with no measures is a package, and its review says so
        package = package_of(case)
    if package is None:
        return None
    return review_package(profile_of(case), package, current_catalog(), current_library().conflicts)
