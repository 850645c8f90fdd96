from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lemkin import __version__

from .areas import areas_for


def lemkin(request: HttpRequest) -> dict[str, Any]:
    """Version and the areas of the chapter the signed-in person may open (for the navigation)."""
    return {"lemkin_version": __version__, "areas": areas_for(request.user)}
