from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from lemkin.core.markings import Marking

register = template.Library()


@register.simple_tag
def portion(record: Any) -> str:
    """The portion mark of a displayed record; the page banner is computed from these."""
    marking: Marking = record if isinstance(record, Marking) else record.marking
    return format_html(
        '<span class="lemkin-portion" data-marking="{}" title="{}">{}</span>',
        marking.banner,
        marking.banner,
        marking.portion,
    )


@register.simple_tag
def hidden_marks(records: Any) -> str:
    """Markers (no visible text) for records shown where a portion mark cannot go, e.g. inside <option>s;
    the page banner counts them like any portion."""
    from django.utils.html import format_html_join

    return format_html_join(
        "", '<span hidden data-marking="{}"></span>', ((record.marking.banner,) for record in records)
    )
