"""A case file holds its case profile (the YAML format of the planning framework) and the chosen package."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from lemkin.apps.accounts.models import Marked


class Case(Marked):
    slug = models.SlugField(max_length=100, unique=True, help_text="The case profile's id")
    title = models.CharField(max_length=300)
    country_code = models.CharField(max_length=3, help_text="ISO 3166-1 alpha-3 (exercise: X..)")
    profile_yaml = models.TextField(help_text="The case profile, validated by lemkin.core.planning")
    package_yaml = models.TextField(blank=True, help_text="The chosen package of options (contract format)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every change; editors send the one they loaded"
    )

    class Meta:
        ordering: ClassVar = ["title"]

    def __str__(self) -> str:
        return self.title

    def profile_yaml_data(self) -> object:
        """The stored profile as plain data (for the planning core)."""
        import yaml

        return yaml.safe_load(self.profile_yaml)
