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

    from lemkin.apps.watchlist.risk import store_run_and_propose
    from lemkin.core.risk.forecast import run_forecast

    frame = world.synthetic_panel()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "exercise-panel.csv"
        frame.to_csv(path, index=False, na_rep="NA")
        result = run_forecast(path, "elasticnet", int(frame["year"].max()))
    result.data_vintage = f"EXERCISE synthetic panel, seed {world.DEFAULT_SEED}"
    result.input_path = "exercise-panel.csv (lemkin demo panel)"
    run, _ = store_run_and_propose(result, created_by="system: lemkin demo load")
    _exercise_watchlist(run)


def _exercise_watchlist(run: Any) -> None:
    """The analyst's first decisions on the exercise world: Varenia listed high and rising (accepting the run's
    proposal), two countries of moderate concern, an indicator whose rule has fired, judgments and priority
    scores. Fictional throughout; the monthly series is a fixed, documented sequence, not data."""
    import datetime as dt

    from lemkin.apps.watchlist import indicators, judgment, tiers
    from lemkin.apps.watchlist.models import Indicator, TierProposal

    analyst = Person.objects.get(username="analyst")
    for proposal in TierProposal.objects.filter(run=run, country__iso3="XVA", status="open"):
        tiers.decide(analyst, proposal, "accept", "EXERCISE: the run ranks Varenia first and militias are mobilising")
    countries = {c.iso3: c for c in Country.objects.filter(is_exercise=True)}
    for code, why in (("XOS", "EXERCISE: rolling violence in the north"), ("XBZ", "EXERCISE: shielded by a patron")):
        if tiers.current_tier(countries[code], "atrocities").code == "not_listed":
            tiers.change_tier(analyst, countries[code], "atrocities", "moderate_concern", why)
    varenia = countries["XVA"]
    indicator, _ = Indicator.objects.get_or_create(
        country=varenia,
        name="Reported killings of Sendari civilians (EXERCISE)",
        defaults={
            "risk_factor": "rf9",
            "created_by": "analyst",
            "is_exercise": True,
            "description": "Monthly count from the exercise's fictional field reports.",
        },
    )
    # A quiet year, then the weeks after the assassination: the rise rule fires in the last two months.
    series = [2, 1, 3, 2, 0, 1, 2, 3, 1, 2, 14, 41]
    for offset, value in enumerate(series):
        indicators.record_observation(
            "analyst", indicator, dt.date(2024, 2 + offset, 1) if offset < 11 else dt.date(2025, 1, 1), value
        )
    if not indicator.rules.exists():
        indicators.add_rule("analyst", indicator, "rise", {"factor": 3, "months": 6, "minimum": 5})
    for code, probability, why in (
        ("XVA", 0.45, "EXERCISE: militias armed from police stocks"),
        ("XOS", 0.15, "EXERCISE: violence contained to the north"),
        ("XBZ", 0.10, "EXERCISE: patron restrains the regime"),
    ):
        judgment.record_judgment(analyst, countries[code], probability, 2025, 2026, why)
    for code, influence, interests in (("XVA", 4, 3), ("XOS", 2, 2), ("XBZ", 1, 5)):
        judgment.score_priority(
            analyst,
            countries[code],
            influence,
            interests,
            "EXERCISE: aid programmes, embassy presence, regional base access",
        )


@transaction.atomic
def unload() -> None:
    """Remove the exercise world's records (the audit log keeps their history)."""
    from lemkin.apps.watchlist import models as wl

    Case.objects.filter(is_exercise=True).delete()
    wl.EmergencyMeetingProposal.objects.filter(is_exercise=True).delete()
    wl.WarningStatusChange.objects.filter(warning__is_exercise=True).delete()
    for warning in wl.Warning.objects.filter(is_exercise=True).order_by("-month", "-pk"):
        warning.delete()  # newest first: each warning refers to the one before it
    for model in (wl.Judgment, wl.PriorityScore, wl.SurveillanceRequest, wl.TierChange, wl.Listing, wl.TierProposal):
        model.objects.filter(is_exercise=True).delete()
    wl.Indicator.objects.filter(is_exercise=True).delete()
    RiskRun.objects.filter(is_exercise=True).delete()
    Country.objects.filter(is_exercise=True).delete()
    Person.objects.filter(username__in=[p.username for p in world.demo_people()]).delete()
    logins_file().unlink(missing_ok=True)
