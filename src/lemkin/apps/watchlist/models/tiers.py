"""The two watchlists, the tier ladder, listings, tier changes and tier proposals."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from lemkin.apps.accounts.models import Marked

from .countries import Country
from .risk import RiskRun


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
