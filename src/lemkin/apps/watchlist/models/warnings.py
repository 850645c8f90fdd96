"""Case-specific indicators and warnings: indicators, their monthly observations, imported event data, warning
rules, the warnings they raise (with a life and a memory), emergency meeting proposals and heightened
surveillance requests."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from lemkin.apps.accounts.models import Marked

from .countries import Country


class Indicator(Marked):
    """A case-specific indicator for one country: from the UN Framework of Analysis catalogue or the analyst's own.

    An indicator may follow imported event data (``event_source``, ``event_type``, ``measure``): its monthly
    observations are then the monthly counts of that source and type."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(max_length=200)
    risk_factor = models.CharField(max_length=20, blank=True, help_text="Framework of Analysis risk factor id")
    framework_indicator = models.CharField(max_length=20, blank=True, help_text="Framework indicator id, if any")
    description = models.TextField(blank=True)
    event_source = models.CharField(max_length=20, blank=True, help_text="ucdp_ged or acled, for event series")
    event_type = models.CharField(max_length=40, blank=True)
    measure = models.CharField(max_length=20, blank=True, help_text="events or fatalities")
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["country__name", "name"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["country", "name"], name="one_indicator_name")]

    def __str__(self) -> str:
        return f"{self.country}: {self.name}"


class Observation(models.Model):
    """One month's value of an indicator, with where it came from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    month = models.DateField(help_text="First day of the month")
    value = models.FloatField()
    source = models.CharField(max_length=200, help_text="An event import, or the analyst who recorded it")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["indicator", "month"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["indicator", "month"], name="one_value_a_month")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m}: {self.value:g}"


class EventImport(models.Model):
    """One imported event-data file (UCDP GED or ACLED): checksum, size, months, drift found, who and when."""

    source = models.CharField(max_length=20)
    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    n_rows = models.PositiveIntegerField()
    n_monthly = models.PositiveIntegerField()
    first_month = models.DateField()
    last_month = models.DateField()
    drift = models.JSONField(default=list, help_text="What changed against the previous vintage, line by line")
    imported_by = models.CharField(max_length=150)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} import {self.pk}: {self.file_name}"


class MonthlyEventCount(models.Model):
    """Events and fatalities of one type in one country and month, from the latest import of a source.

    Derived rows: their import is audited as one ``EventsImported`` event with the file's checksum."""

    audit_rows = False

    event_import = models.ForeignKey(EventImport, on_delete=models.PROTECT, related_name="counts")
    source = models.CharField(max_length=20)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="event_counts")
    month = models.DateField()
    type = models.CharField(max_length=40)
    events = models.PositiveIntegerField()
    fatalities = models.PositiveIntegerField()

    class Meta:
        ordering: ClassVar = ["country", "month", "type"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["source", "country", "month", "type"], name="one_count_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.month:%Y-%m} {self.type}: {self.events} events, {self.fatalities} deaths"


class RuleKind(models.TextChoices):
    THRESHOLD = "threshold", "Threshold"
    RISE = "rise", "Rise over a baseline"
    ZSCORE = "zscore", "z-score against recent months"


class WarningRule(models.Model):
    """A rule on one indicator that raises warnings (parameters as ``lemkin.core.warning.rules`` takes them)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=10, choices=RuleKind.choices)
    parameters = models.JSONField(default=dict)
    active = models.BooleanField(default=True)
    retired_reason = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["indicator", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.indicator}"


class WarningStatus(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    UNDER_REVIEW = "under_review", "Under review"
    STOOD_DOWN = "stood_down", "Stood down"


class Warning(Marked):
    """A warning raised by a rule for one month, with its status, its history and its predecessor."""

    rule = models.ForeignKey(WarningRule, on_delete=models.PROTECT, related_name="warnings")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="warnings")
    month = models.DateField()
    value = models.FloatField()
    reason = models.TextField()
    status = models.CharField(max_length=15, choices=WarningStatus.choices, default=WarningStatus.NEW)
    raised_at = models.DateTimeField(auto_now_add=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The last earlier warning for the same country and indicator",
    )

    class Meta:
        ordering: ClassVar = ["-month", "-pk"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["rule", "month"], name="one_warning_a_month")]

    def __str__(self) -> str:
        return f"Warning {self.pk}: {self.country}, {self.month:%Y-%m}"


class WarningStatusChange(models.Model):
    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=15, choices=WarningStatus.choices)
    to_status = models.CharField(max_length=15, choices=WarningStatus.choices)
    changed_by = models.CharField(max_length=150)
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    class Meta:
        ordering: ClassVar = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.warning}: {self.from_status} → {self.to_status}"


class EmergencyMeetingProposal(Marked):
    """A warning on a high-and-rising country proposes an emergency committee meeting (the calendar acts on it)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    warning = models.ForeignKey(Warning, on_delete=models.PROTECT, related_name="meeting_proposals")
    reason = models.TextField()
    status = models.CharField(max_length=12, default="proposed", help_text="proposed, scheduled or declined")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Emergency meeting proposed on {self.country}"


class SurveillanceStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SurveillanceRequest(Marked):
    """A request for heightened intelligence surveillance of a high-and-rising country: what, by whom, how long."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="surveillance_requests")
    what = models.TextField(help_text="What to watch: indicators, places, actors")
    requested_by = models.CharField(max_length=150)
    requested_at = models.DateTimeField(auto_now_add=True)
    starts = models.DateField()
    ends = models.DateField()
    status = models.CharField(max_length=10, choices=SurveillanceStatus.choices, default=SurveillanceStatus.REQUESTED)
    status_reason = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["-requested_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(ends__gte=models.F("starts")), name="surveillance_ends_after")
        ]

    def __str__(self) -> str:
        return f"Surveillance of {self.country} ({self.get_status_display()})"
