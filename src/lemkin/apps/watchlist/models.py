"""Countries. (Watchlists, tiers, risk runs, indicators and warnings build on these.)"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from lemkin.apps.accounts.models import Marked
from lemkin.core.markings import Marking, combine


class Country(Marked):
    """A country the committee can follow: real (ISO 3166 / Correlates of War codes) or an exercise country."""

    iso3 = models.CharField(max_length=3, unique=True, help_text="ISO 3166-1 alpha-3 (exercise: X..)")
    ccode = models.PositiveIntegerField(
        unique=True, null=True, blank=True, help_text="Correlates of War code (exercise: 1000 and up)"
    )
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=200, blank=True)
    profile = models.TextField(blank=True, help_text="A short description")

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class RiskRun(Marked):
    """A stored statistical risk assessment: where its numbers came from and what they are.

    Provenance (the input file's SHA-256, its name and data vintage, the model and its parameters, the training
    years, the rows dropped and why, who imported it and when) is kept with the forecasts so that every figure
    on the watchlist can say where it came from."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, help_text="Username, or cli:<user> for the command line")
    model_name = models.CharField(max_length=40, help_text="As asked for, e.g. best")
    model_resolved = models.CharField(max_length=40, help_text="The model it stands for, e.g. blend")
    parameters = models.JSONField(default=dict)
    input_name = models.CharField(max_length=300)
    input_sha256 = models.CharField(max_length=64)
    data_vintage = models.CharField(max_length=100)
    base_year = models.PositiveSmallIntegerField()
    train_first = models.PositiveSmallIntegerField()
    train_last = models.PositiveSmallIntegerField()
    n_train = models.PositiveIntegerField()
    dropped_rows = models.JSONField(default=dict, help_text="Rows left out (incomplete cases), by reason")
    backtest_scores = models.JSONField(default=dict, blank=True, help_text="Scores of the run's backtest, if given")
    plots = models.JSONField(default=dict, blank=True, help_text="Backtest plots as base64 PNG, by name")

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Risk run {self.pk}: {self.model_resolved}, base year {self.base_year} ({self.data_vintage})"


class RiskForecast(models.Model):
    """One country's forecast in a run: risk of onset in the next two years and next year, rank, change, factors."""

    run = models.ForeignKey(RiskRun, on_delete=models.CASCADE, related_name="forecasts")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="forecasts")
    risk_2yr = models.FloatField()
    rank_2yr = models.PositiveIntegerField()
    risk_1yr = models.FloatField()
    rank_1yr = models.PositiveIntegerField()
    previous_risk_2yr = models.FloatField(null=True, blank=True)
    change_2yr = models.FloatField(null=True, blank=True)
    rank_change = models.IntegerField(null=True, blank=True, help_text="Positive: moved up the list")
    factors = models.JSONField(default=list, help_text="Main contributing factors: [name, log-odds contribution]")

    class Meta:
        ordering: ClassVar = ["run", "rank_2yr"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["run", "country"], name="one_forecast_per_country")]

    def __str__(self) -> str:
        return f"{self.country} {self.risk_2yr:.3f}"

    @property
    def marking(self) -> Marking:
        """A forecast shows its run and its country, so it carries both markings (audit log, exports)."""
        return combine([self.run.marking, self.country.marking])


class Watchlist(models.TextChoices):
    """The chapter's two lists: the Atrocities Watchlist (AWL) and the related Instability Watchlist."""

    ATROCITIES = "atrocities", "Atrocities Watchlist"
    INSTABILITY = "instability", "Instability Watchlist"


class Tier(models.Model):
    """A rung of the ladder ("moderate concern", "high and rising"); administrators may add rungs.

    ``rank`` orders the ladder: 0 is "not listed", higher is more concern."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField(unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["rank"]

    def __str__(self) -> str:
        return self.name


class Listing(Marked):
    """A country's current tier on one watchlist (its history is the ``TierChange`` rows)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="listings")
    watchlist = models.CharField(max_length=20, choices=Watchlist.choices)
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["watchlist", "-tier__rank", "country__name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["country", "watchlist"], name="one_listing_per_country_and_list")
        ]

    def __str__(self) -> str:
        return f"{self.country} on the {self.get_watchlist_display()}: {self.tier}"


class Evidence(models.TextChoices):
    RISK_RUN = "risk_run", "A risk run"
    WARNING = "warning", "A warning"
    JUDGMENT = "judgment", "Analyst judgment"


class TierChange(Marked):
    """One change of a country's tier: who, when, why, on what evidence. Never edited, never without a reason."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="changes")
    from_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.CharField(max_length=150)
    reason = models.TextField()
    evidence = models.CharField(max_length=20, choices=Evidence.choices)
    risk_run = models.ForeignKey(RiskRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    proposal = models.ForeignKey("TierProposal", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering: ClassVar = ["-changed_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="tier_change_has_a_reason")
        ]

    def __str__(self) -> str:
        return f"{self.listing.country}: {self.from_tier or 'new'} → {self.to_tier}"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    AMENDED = "amended", "Amended"
    REJECTED = "rejected", "Rejected"


class TierProposal(Marked):
    """A tier change Lemkin proposes from a risk run; an analyst accepts, amends or rejects it with a reason."""

    run = models.ForeignKey(RiskRun, on_delete=models.CASCADE, related_name="proposals")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    watchlist = models.CharField(max_length=20, choices=Watchlist.choices)
    current_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    proposed_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    factors = models.JSONField(default=list, help_text="Why: the thresholds met and the run's main factors")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["status", "-proposed_tier__rank", "country__name"]

    def __str__(self) -> str:
        return f"Proposal: {self.country} {self.current_tier} → {self.proposed_tier} ({self.get_status_display()})"
