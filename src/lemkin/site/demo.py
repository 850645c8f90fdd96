"""Loads the demo exercise world (``lemkin.core.exercise``) into the database.

Everything loaded is fictional and marked EXERCISE: the countries of the Velmar Basin and the demo people. The
demo people get random passwords, printed by ``lemkin demo load`` and kept in ``<data dir>/demo-logins.txt``
(mode 0600) so that ``make run`` can show them again; a real deployment does not load the demo world.
"""

from __future__ import annotations

import secrets
from importlib.resources import files
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from lemkin.apps.accounts.models import Agency, Compartment, Person
from lemkin.apps.audit.models import Action
from lemkin.apps.audit.services import record
from lemkin.apps.cases.models import Case
from lemkin.apps.watchlist.models import Country, RiskRun
from lemkin.core.exercise import world
from lemkin.core.markings import Level

CLEARANCES = {"U": 0, "C": 1, "S": 2, "TS": 3}


def logins_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.txt"


def is_loaded() -> bool:
    return Country.objects.filter(is_exercise=True).exists() and logins_file().exists()


def read_logins() -> list[tuple[str, str, str]]:
    """(username, password, description) of each demo person, as written by ``load``."""
    path = logins_file()
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            username, password, description = line.split("\t", 2)
            rows.append((username, password, description))
    return rows


def _write_logins(rows: list[tuple[str, str, str]]) -> None:
    path = logins_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# EXERCISE demo logins (username, password, who): made by `lemkin demo load`\n"
    text += "".join(f"{u}\t{p}\t{d}\n" for u, p, d in rows)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(text)


@transaction.atomic
def load(progress: Any = None, *, with_risk: bool = True) -> None:
    """Create the exercise countries, the worked case's compartment, the demo people, the worked case and (unless
    ``with_risk`` is false) a risk run from the synthetic panel, all or nothing."""
    compartment, _ = Compartment.objects.get_or_create(
        code=world.COMPARTMENT, defaults={"name": "Kestrel (EXERCISE worked case)"}
    )
    for country in world.COUNTRIES:
        Country.objects.update_or_create(
            iso3=country.code,
            defaults={
                "ccode": country.ccode,
                "name": country.name,
                "region": country.region,
                "profile": f"EXERCISE. {country.profile}",
                "is_exercise": True,
            },
        )
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    logins = []
    for demo in world.demo_people():
        password = secrets.token_urlsafe(12)
        first, _, last = demo.full_name.partition(" ")
        person = Person.objects.filter(username=demo.username).first() or Person(username=demo.username)
        person.first_name, person.last_name, person.title = first, last, f"{demo.title} (EXERCISE)"
        person.agency = agencies[demo.agency]
        person.clearance = CLEARANCES[demo.clearance]
        person.set_password(password)
        person.save()
        person.set_roles([demo.role])
        person.compartments.set([compartment] if world.COMPARTMENT in demo.compartments else [])
        description = f"{demo.role.replace('_', ' ')}, {demo.agency}, clearance {demo.clearance}"
        if demo.compartments:
            description += f", read into {', '.join(demo.compartments)}"
        logins.append((demo.username, password, description))
    _file_worked_case(compartment)
    if with_risk:
        _import_exercise_risk_run()
    record(Action.IMPORT, name="ExerciseWorldLoaded", detail={"countries": len(world.COUNTRIES)})
    _write_logins(logins)
    if progress is not None:
        progress.print(f"{len(world.COUNTRIES)} exercise countries, {len(logins)} demo people")


def _file_worked_case(compartment: Compartment) -> None:
    """The worked case (SECRET//KESTREL, exercise), filed by the demo planner, with the suggested playbooks applied."""
    from lemkin.apps.cases import services as cases

    profile = (files("lemkin.core.exercise") / "case.yaml").read_text(encoding="utf-8")
    slug = str(world.worked_case()["id"])
    if cases.Case.objects.filter(slug=slug).exists():
        return
    planner = Person.objects.get(username="planner")
    case = cases.create_case(planner, profile, Level.SECRET, compartment, is_exercise=True)
    suggested = list(cases.playbooks_for(case).suggested)
    if suggested:
        cases.apply_playbooks(case, suggested)


def _import_exercise_risk_run() -> None:
    """The elastic net (the EWP model) fitted on the synthetic panel, forecasting from its last year."""
    import tempfile

    from lemkin.apps.watchlist.risk import store_run
    from lemkin.apps.watchlist.tiers import propose_from_run
    from lemkin.core.risk.forecast import run_forecast

    frame = world.synthetic_panel()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "exercise-panel.csv"
        frame.to_csv(path, index=False, na_rep="NA")
        result = run_forecast(path, "elasticnet", int(frame["year"].max()))
    result.data_vintage = f"EXERCISE synthetic panel, seed {world.DEFAULT_SEED}"
    result.input_path = "exercise-panel.csv (lemkin demo panel)"
    run = store_run(result, created_by="system: lemkin demo load")
    propose_from_run(run)


@transaction.atomic
def unload() -> None:
    """Remove the exercise world's records (the audit log keeps their history)."""
    Case.objects.filter(is_exercise=True).delete()
    RiskRun.objects.filter(is_exercise=True).delete()
    Country.objects.filter(is_exercise=True).delete()
    Person.objects.filter(username__in=[p.username for p in world.demo_people()]).delete()
    logins_file().unlink(missing_ok=True)
