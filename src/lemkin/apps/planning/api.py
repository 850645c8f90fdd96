from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from .models import CatalogTool

router = Router()


@router.get("/tools", response=list[dict[str, Any]])
def list_tools(request: HttpRequest, include_retired: bool = False) -> list[dict[str, Any]]:
    """The catalog of tools and measures, in the catalog file's format."""
    rows = CatalogTool.objects.all() if include_retired else CatalogTool.objects.filter(retired=False)
    return [{**row.data, "retired": row.retired} for row in rows]
