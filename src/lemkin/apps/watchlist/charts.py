"""Small server-rendered SVG charts (no script, so the Content-Security-Policy stays strict)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, PAD = 480, 160, 30


def risk_history_svg(history: Sequence[Any]) -> SafeString:
    """A line of the two-year risk by base year; empty when there is nothing to draw."""
    points = [(f.run.base_year, f.risk_2yr) for f in history]
    if not points:
        return SafeString("")
    years = [year for year, _ in points]
    first, last = min(years), max(years)
    top = max(max(risk for _, risk in points), 0.01)
    span = max(last - first, 1)

    def x(year: int) -> str:
        return f"{PAD + (year - first) / span * (WIDTH - 2 * PAD):.1f}"

    def y(risk: float) -> str:
        return f"{HEIGHT - PAD - risk / top * (HEIGHT - 2 * PAD):.1f}"

    line = " ".join(f"{x(year)},{y(risk)}" for year, risk in points)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3"><title>{}: {}</title></circle>',
        ((x(year), y(risk), year, f"{risk:.1%}") for year, risk in points),
    )
    return format_html(
        '<svg role="img" aria-label="Two-year risk of onset by base year" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">'
        '<polyline fill="none" stroke="#005ea2" stroke-width="2" points="{line}"/>{dots}'
        '<text x="{pad}" y="{bottom}" font-size="11">{first}</text>'
        '<text x="{right}" y="{bottom}" font-size="11" text-anchor="end">{last}</text>'
        '<text x="4" y="{label_y}" font-size="11">{top}</text></svg>',
        w=WIDTH,
        h=HEIGHT,
        line=line,
        dots=dots,
        pad=PAD,
        bottom=HEIGHT - 8,
        right=WIDTH - PAD,
        first=first,
        last=last,
        label_y=PAD - 8,
        top=f"{top:.1%}",
    )


def series_svg(values: Any, width: int = WIDTH, height: int = 120) -> SafeString:
    """A monthly series (pandas Series indexed by "YYYY-MM") as a line; empty when fewer than two points."""
    points = [(str(month), float(value)) for month, value in values.items()]
    if len(points) < 2:
        return SafeString("")
    top = max(max(v for _, v in points), 1.0)
    step = (width - 2 * PAD) / (len(points) - 1)
    line = " ".join(
        f"{PAD + i * step:.1f},{height - PAD - v / top * (height - 2 * PAD):.1f}" for i, (_, v) in enumerate(points)
    )
    return format_html(
        '<svg role="img" aria-label="Monthly values from {first} to {last}" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">'
        '<polyline fill="none" stroke="#b50909" stroke-width="1.5" points="{line}"/>'
        '<text x="{pad}" y="{bottom}" font-size="11">{first}</text>'
        '<text x="{right}" y="{bottom}" font-size="11" text-anchor="end">{last}</text>'
        '<text x="4" y="{label_y}" font-size="11">max {top}</text></svg>',
        w=width,
        h=height,
        line=line,
        pad=PAD,
        bottom=height - 8,
        right=width - PAD,
        first=points[0][0],
        last=points[-1][0],
        label_y=PAD - 8,
        top=f"{top:g}",
    )
