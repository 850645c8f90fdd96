"""Stored risk assessments: a run with its provenance and one forecast per country."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from lemkin.apps.accounts.models import Marked
from lemkin.core.markings import Marking, combine

from .countries import Country


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
    drift = models.JSONField(default=list, blank=True, help_text="Differences from the previous run, line by line")

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
