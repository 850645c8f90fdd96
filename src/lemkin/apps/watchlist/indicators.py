"""Indicators and warnings: event-data imports, observations, warning rules, warnings and their life, emergency
meeting proposals and heightened surveillance requests.

Imports are all or nothing: the file is validated whole (``lemkin.core.warning.events``), compared with the
previous vintage (``lemkin.core.warning.drift``) and refused while the drift is not acknowledged, then written in
one transaction. Warnings follow ``WARNING_TRANSITIONS``; every step has a person and a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import transaction

from lemkin.apps.audit.models import Action
from lemkin.apps.audit.services import record
from lemkin.core import countries as country_table
from lemkin.core.warning import rules as core_rules
from lemkin.core.warning.drift import compare_vintages
from lemkin.core.warning.events import complete_months, read_events

from . import tiers
from .models import (
    Country,
    EmergencyMeetingProposal,
    EventImport,
    Indicator,
    MonthlyEventCount,
    Observation,
    Outcome,
    SurveillanceRequest,
    SurveillanceStatus,
    TierChange,
    Warning,
    WarningRule,
    WarningStatus,
    WarningStatusChange,
    Watchlist,
)

#: The life of a warning: from each status, the statuses it may move to.
WARNING_TRANSITIONS: dict[str, tuple[str, ...]] = {
    WarningStatus.NEW: (WarningStatus.ACKNOWLEDGED, WarningStatus.UNDER_REVIEW, WarningStatus.STOOD_DOWN),
    WarningStatus.ACKNOWLEDGED: (WarningStatus.UNDER_REVIEW, WarningStatus.STOOD_DOWN),
    WarningStatus.UNDER_REVIEW: (WarningStatus.ACKNOWLEDGED, WarningStatus.STOOD_DOWN),
    WarningStatus.STOOD_DOWN: (),
}


class IndicatorError(ValueError):
    """A refused import, rule, transition or request; the message says what and why."""


class DriftNotAcknowledged(IndicatorError):
    """The new vintage differs from the previous one in ways a person must look at first; nothing was written."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__(
            f"{len(lines)} drift finding(s) against the previous vintage; review and re-run with the "
            "drift acknowledged: " + "; ".join(lines[:5])
        )


def _month(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value.replace(day=1)
    year, month = str(value)[:7].split("-")
    return dt.date(int(year), int(month), 1)


def _country(iso3: str) -> Country:
    """The Country row for an ISO code from the country table (created, unclassified, on first use)."""
    existing = Country.objects.filter(iso3=iso3).first()
    if existing is not None:
        return existing
    real = country_table.by_iso3(iso3)
    ccode = real.cow if getattr(real, "cow", None) and not Country.objects.filter(ccode=real.cow).exists() else None
    return Country.objects.create(iso3=iso3, name=real.name, ccode=ccode)


def _previous_aggregate(source: str) -> pd.DataFrame:
    rows = MonthlyEventCount.objects.filter(source=source).values_list(
        "country__iso3", "month", "type", "events", "fatalities"
    )
    frame = pd.DataFrame(list(rows), columns=["iso3", "month", "type", "events", "fatalities"])
    if len(frame):
        frame["month"] = frame["month"].map(lambda d: f"{d:%Y-%m}")
    return frame


@dataclass
class ImportOutcome:
    event_import: EventImport
    drift: list[str] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


def import_events(
    path: Path, imported_by: str, *, source: str | None = None, accept_drift: bool = False
) -> ImportOutcome:
    """Validate, check drift, then write the monthly counts of an event file in one transaction.

    Raises ``EventImportError`` (every problem, with row, column, value) or ``DriftNotAcknowledged``."""
    parsed = read_events(path, source)  # type: ignore[arg-type]
    monthly = parsed.monthly
    previous = _previous_aggregate(parsed.source)
    drift_lines: list[str] = []
    if len(previous):
        # months without events count as zeros on both sides, over the span each vintage covers
        report = compare_vintages(
            complete_months(previous),
            complete_months(monthly),
            entity=("iso3", "type"),
            time="month",
            values=["events", "fatalities"],
        )
        drift_lines = report.lines()
        if report.warnings and not accept_drift:
            raise DriftNotAcknowledged(drift_lines)
    with transaction.atomic():
        countries = {code: _country(code) for code in sorted(monthly["iso3"].unique())}
        months = sorted(monthly["month"].unique())
        event_import = EventImport.objects.create(
            source=parsed.source,
            file_name=Path(parsed.path).name,
            sha256=parsed.sha256,
            n_rows=parsed.n_rows,
            n_monthly=len(monthly),
            first_month=_month(months[0]),
            last_month=_month(months[-1]),
            drift=drift_lines,
            imported_by=imported_by,
        )
        # The new vintage replaces the source's counts for the months it covers.
        MonthlyEventCount.objects.filter(
            source=parsed.source, month__gte=event_import.first_month, month__lte=event_import.last_month
        ).delete()
        MonthlyEventCount.objects.bulk_create(
            (
                MonthlyEventCount(
                    event_import=event_import,
                    source=parsed.source,
                    country=countries[str(iso3)],
                    month=_month(str(month)),
                    type=str(kind),
                    events=int(events),
                    fatalities=int(fatalities),
                )
                for iso3, month, kind, events, fatalities in zip(
                    monthly["iso3"].tolist(),
                    monthly["month"].tolist(),
                    monthly["type"].tolist(),
                    monthly["events"].tolist(),
                    monthly["fatalities"].tolist(),
                    strict=True,
                )
            ),
            batch_size=5000,
        )
        record(
            Action.IMPORT,
            event_import,
            name="EventsImported",
            detail={
                "source": parsed.source,
                "sha256": parsed.sha256,
                "rows": parsed.n_rows,
                "monthly": len(monthly),
                "drift": len(drift_lines),
            },
        )
        raised: list[Warning] = []
        for indicator in Indicator.objects.filter(event_source=parsed.source, country__in=countries.values()):
            refresh_event_observations(indicator)
            raised += evaluate(indicator)
    return ImportOutcome(event_import, drift_lines, raised)


def refresh_event_observations(indicator: Indicator) -> int:
    """Set an event-backed indicator's observations from the monthly counts (months without events are 0).

    Only months whose value or source changed are written, so importing the same counts again writes nothing
    (and audits nothing); returns the number of observations written."""
    counts = MonthlyEventCount.objects.filter(
        source=indicator.event_source, country=indicator.country, type=indicator.event_type
    ).values_list("month", indicator.measure or "events")
    values = dict(counts)
    if not values:
        return 0
    first = min(values)
    last = max(MonthlyEventCount.objects.filter(source=indicator.event_source).values_list("month", flat=True))
    source = f"{indicator.event_source} monthly counts"
    existing = {observation.month: observation for observation in indicator.observations.all()}
    month, written = first, 0
    while month <= last:
        value = float(values.get(month, 0))
        observation = existing.get(month)
        if observation is None:
            Observation.objects.create(indicator=indicator, month=month, value=value, source=source)
            written += 1
        elif (observation.value, observation.source) != (value, source):
            observation.value, observation.source = value, source
            observation.save()
            written += 1
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return written


def record_observation(person: str, indicator: Indicator, month: str | dt.date, value: float) -> Observation:
    observation, _ = Observation.objects.update_or_create(
        indicator=indicator, month=_month(month), defaults={"value": float(value), "source": person}
    )
    return observation


def series(indicator: Indicator) -> pd.Series:
    rows = list(indicator.observations.values_list("month", "value"))
    return pd.Series({f"{m:%Y-%m}": v for m, v in rows}, dtype=float)


def core_rule(rule: WarningRule) -> core_rules.WarningRule:
    """The rule as ``lemkin.core.warning.rules`` evaluates it; ``IndicatorError`` for bad parameters."""
    p = dict(rule.parameters)
    try:
        if rule.kind == "threshold":
            return core_rules.threshold(float(p["value"]))
        if rule.kind == "rise":
            return core_rules.rise(float(p["factor"]), int(p.get("months", 6)), minimum=float(p.get("minimum", 1)))
        return core_rules.zscore(float(p["z"]), int(p.get("months", 12)), minimum=float(p.get("minimum", 1)))
    except KeyError as missing:
        raise IndicatorError(f"a {rule.kind} rule needs the parameter {missing}") from None
    except (TypeError, ValueError) as error:
        raise IndicatorError(f"rule parameters: {error}") from None


@transaction.atomic
def add_rule(person: str, indicator: Indicator, kind: str, parameters: dict[str, Any]) -> WarningRule:
    rule = WarningRule(indicator=indicator, kind=kind, parameters=parameters, created_by=person)
    core_rule(rule)  # validates before anything is written
    rule.save()
    evaluate(indicator)
    return rule


@transaction.atomic
def retire_rule(person: str, rule: WarningRule, reason: str) -> WarningRule:
    """Stop a rule raising warnings (its warnings and track record stay); the reason is kept and audited."""
    if not rule.active:
        raise IndicatorError(f"rule {rule.pk} is retired already")
    if not reason or not reason.strip():
        raise IndicatorError("retiring a rule needs a reason, e.g. its track record")
    rule.active, rule.retired_reason = False, reason.strip()
    rule.save()
    record(Action.TRANSITION, rule, name="WarningRuleRetired", detail={"reason": rule.retired_reason, "by": person})
    return rule


@transaction.atomic
def evaluate(indicator: Indicator) -> list[Warning]:
    """Run the indicator's active rules over its series; raise a warning for each firing month not yet warned.

    A warning on a country that is high and rising on the Atrocities Watchlist proposes an emergency meeting."""
    values = series(indicator)
    raised: list[Warning] = []
    high = tiers.current_tier(indicator.country, Watchlist.ATROCITIES).code == "high_and_rising"
    for rule in indicator.rules.filter(active=True):
        for firing in core_rules.evaluate(core_rule(rule), values):
            month = _month(str(firing.month))
            if Warning.objects.filter(rule=rule, month=month).exists():
                continue
            previous = Warning.objects.filter(rule__indicator=indicator, month__lt=month).order_by("-month").first()
            warning = Warning.objects.create(
                rule=rule,
                country=indicator.country,
                month=month,
                value=firing.value,
                reason=firing.reason,
                previous=previous,
                **indicator.marking_fields(),
            )
            record(Action.EVENT, warning, name="WarningRaised", detail={"rule": rule.pk, "month": f"{month:%Y-%m}"})
            if high:
                proposal = EmergencyMeetingProposal.objects.create(
                    country=indicator.country,
                    warning=warning,
                    reason=f"Warning on a high-and-rising country: {firing.reason}",
                    **warning.marking_fields(),
                )
                record(Action.EVENT, proposal, name="EmergencyMeetingProposed", detail={"warning": warning.pk})
            raised.append(warning)
    return raised


@transaction.atomic
def move_warning(person: str, warning: Warning, to: str, reason: str) -> Warning:
    """Acknowledge, review or stand down a warning, with a reason (``WARNING_TRANSITIONS``)."""
    warning = Warning.objects.select_for_update().get(pk=warning.pk)
    allowed = WARNING_TRANSITIONS[warning.status]
    if to not in allowed:
        choices = ", ".join(WarningStatus(s).label.lower() for s in allowed) or "nothing: it is stood down"
        raise IndicatorError(
            f"warning {warning.pk} is {warning.get_status_display().lower()}; it can move to {choices}"
        )
    if not reason or not reason.strip():
        raise IndicatorError("moving a warning needs a reason")
    WarningStatusChange.objects.create(
        warning=warning, from_status=warning.status, to_status=to, changed_by=person, reason=reason.strip()
    )
    before, warning.status = warning.status, to
    warning.save()
    record(Action.TRANSITION, warning, name="WarningStatusChanged", detail={"from": before, "to": to})
    return warning


def outcome_months(country: Country) -> list[str]:
    """Dated outcomes a rule should have warned of: tier rises on either watchlist and recorded onsets."""
    rises = [
        f"{change.changed_at:%Y-%m}"
        for change in TierChange.objects.filter(listing__country=country).select_related("from_tier", "to_tier")
        if change.from_tier is None or change.to_tier.rank > change.from_tier.rank
    ]
    onsets = [f"{o.year}-01" for o in Outcome.objects.filter(country=country, onset=True)]
    return sorted(set(rises + onsets))


def track_record(rule: WarningRule, horizon: int = 3) -> core_rules.TrackRecord:
    """How the rule would have done on the history in the database."""
    return core_rules.track_record(
        core_rule(rule), series(rule.indicator), outcome_months(rule.indicator.country), horizon=horizon
    )


@transaction.atomic
def request_surveillance(
    person: str, country: Country, what: str, starts: dt.date, ends: dt.date
) -> SurveillanceRequest:
    """Heightened surveillance is for countries high and rising on the Atrocities Watchlist."""
    if tiers.current_tier(country, Watchlist.ATROCITIES).code != "high_and_rising":
        raise IndicatorError(f"{country} is not high and rising on the Atrocities Watchlist")
    if not what.strip():
        raise IndicatorError("say what is to be watched")
    if ends < starts:
        raise IndicatorError("the request must end on or after its start")
    request = SurveillanceRequest.objects.create(
        country=country,
        what=what.strip(),
        requested_by=person,
        starts=starts,
        ends=ends,
        **country.marking_fields(),
    )
    record(Action.EVENT, request, name="SurveillanceRequested", detail={"starts": str(starts), "ends": str(ends)})
    return request


SURVEILLANCE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    SurveillanceStatus.REQUESTED: (SurveillanceStatus.ACTIVE, SurveillanceStatus.WITHDRAWN),
    SurveillanceStatus.ACTIVE: (SurveillanceStatus.ENDED,),
    SurveillanceStatus.ENDED: (),
    SurveillanceStatus.WITHDRAWN: (),
}


@transaction.atomic
def move_surveillance(person: str, request: SurveillanceRequest, to: str, reason: str) -> SurveillanceRequest:
    if to not in SURVEILLANCE_TRANSITIONS[request.status]:
        raise IndicatorError(f"a {request.get_status_display().lower()} request cannot become {to}")
    if not reason.strip():
        raise IndicatorError("changing a request's status needs a reason")
    request.status, request.status_reason = to, reason.strip()
    request.save()
    record(Action.TRANSITION, request, name="SurveillanceStatusChanged", detail={"to": to, "by": person})
    return request


def framework_indicators() -> Iterable[Any]:
    """The UN Framework of Analysis catalogue's indicators, for choosing a case-specific indicator."""
    from lemkin.core.warning.framework import load_framework

    return load_framework().indicators()
