"""Countries: real (ISO 3166 / Correlates of War) or fictional exercise countries."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from lemkin.apps.accounts.models import Marked


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
