"""The world map of risk and tiers, drawn on the server as SVG (no script; the CSP stays strict).

Shapes come from the ``world-atlas`` package (Natural Earth 1:110m, public domain; installed from the npm
registry by ``make``, never fetched at run time), whose country ids are ISO 3166-1 numeric codes. Exercise
countries are fictional and have no shape: the page lists them beside the map.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 960, 480
ATLAS = "countries-110m.json"


def atlas_path() -> Path:
    return Path(settings.PROJECT_DIR) / "node_modules" / "world-atlas" / ATLAS


def _project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular: longitude and latitude straight onto x and y."""
    return (lon + 180.0) / 360.0 * WIDTH, (90.0 - lat) / 180.0 * HEIGHT


@functools.cache
def shapes() -> dict[str, tuple[str, str]]:
    """ISO numeric code → (name, SVG path data), decoded once from the TopoJSON file."""
    topology = json.loads(atlas_path().read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # positions are quantised and delta-encoded
            x, y = x + dx, y + dy
            points.append(_project(x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> str:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"

    result: dict[str, tuple[str, str]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if "id" not in geometry or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        path = "".join(ring(r) for polygon in polygons for r in polygon)
        result[str(geometry["id"]).zfill(3)] = (geometry.get("properties", {}).get("name", ""), path)
    return result


def world_map_svg(fills: Mapping[str, tuple[str, str]]) -> SafeString:
    """The map with each country's fill: ``fills`` maps ISO numeric code → (colour, tooltip text)."""
    default = ("#dfe1e2", "")
    parts = format_html_join(
        "",
        '<path d="{}" fill="{}" stroke="#fff" stroke-width="0.4" data-iso="{}"><title>{}</title></path>',
        (
            (path, fills.get(code, default)[0], code, fills.get(code, default)[1] or name)
            for code, (name, path) in sorted(shapes().items())
        ),
    )
    return format_html(
        '<svg role="img" aria-label="World map of risk and watchlist tiers" viewBox="0 0 {w} {h}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg">{parts}</svg>',
        w=WIDTH,
        h=HEIGHT,
        parts=parts,
    )
