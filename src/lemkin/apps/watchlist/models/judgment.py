"""Expert judgment beside the model (an opinion pool), the outcomes that score both, and the analysts' scores
of U.S. influence and impact on other U.S. interests used for prioritisation."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from lemkin.apps.accounts.models import Marked

from .countries import Country


class Judgment(Marked):
    """An analyst's probability of onset in a country over a horizon, with a short rationale."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="judgments")
    analyst = models.CharField(max_length=150)
    probability = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    horizon_start = models.PositiveSmallIntegerField(help_text="First year of the horizon, e.g. 2025")
    horizon_end = models.PositiveSmallIntegerField(help_text="Last year of the horizon, e.g. 2026")
    rationale = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=0) & models.Q(probability__lte=1), name="judgment_is_a_probability"
            )
        ]

    def __str__(self) -> str:
        return f"{self.analyst} on {self.country}: {self.probability:.0%}"


class Outcome(models.Model):
    """Whether a mass-killing episode began in a country in a year (for scoring judgments and models)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="outcomes")
    year = models.PositiveSmallIntegerField()
    onset = models.BooleanField()
    source = models.CharField(max_length=300)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["country", "year"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["country", "year"], name="one_outcome_a_year")]

    def __str__(self) -> str:
        return f"{self.country} {self.year}: {'onset' if self.onset else 'no onset'}"


class PriorityScore(Marked):
    """An analyst's scores (1-5) of U.S. influence in a country and the impact on other U.S. interests."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="priority_scores")
    influence = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    interests = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    rationale = models.TextField()
    scored_by = models.CharField(max_length=150)
    scored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-scored_at", "-pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(influence__gte=1, influence__lte=5, interests__gte=1, interests__lte=5),
                name="priority_scores_on_the_scale",
            )
        ]

    def __str__(self) -> str:
        return f"{self.country}: influence {self.influence}, interests {self.interests}"
