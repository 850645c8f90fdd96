"""The catalog in the database: one row per tool (Table 1) or targeted measure (Table 2), and the sources cited.

``data`` holds the tool in the catalog file's format (``lemkin.core.planning.catalog.Tool.to_dict``) so the core
validates database and file alike; ``retired`` is kept apart because administrators change it.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class CatalogTool(models.Model):
    tool_id = models.SlugField(max_length=80, unique=True)
    source_label = models.TextField(help_text="Exact wording of the Table 1 or Table 2 entry")
    table = models.PositiveSmallIntegerField()
    data = models.JSONField()
    retired = models.BooleanField(default=False)
    origin = models.CharField(max_length=200, help_text="Where the row came from: a catalog file version or a person")

    class Meta:
        ordering: ClassVar = ["table", "tool_id"]

    def __str__(self) -> str:
        return self.tool_id


class CatalogSource(models.Model):
    tag = models.CharField(max_length=8, unique=True, help_text="C4 (the chapter) or S<number>")
    text = models.TextField()

    class Meta:
        ordering: ClassVar = ["tag"]

    def __str__(self) -> str:
        return self.tag
