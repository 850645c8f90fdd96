"""Computes each page's classification banner from the portion marks it actually displays.

Templates mark every displayed record with ``{% portion record %}``, which renders the portion mark with a
``data-marking`` attribute. ``BannerMiddleware`` reads those attributes from the finished page, combines them
(``lemkin.core.markings.combine``: highest level, union of compartments, EXERCISE if any) and writes the result
into the top and bottom banner placeholders. The banner therefore cannot disagree with the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lemkin.core.markings import Marking, combine, parse

PLACEHOLDER = "__LEMKIN_BANNER__"
LEVEL_PLACEHOLDER = "__LEMKIN_BANNER_LEVEL__"
_MARK = re.compile(r'data-marking="([^"]*)"')


def page_marking(body: str) -> Marking:
    return combine(parse(html.unescape(found)) for found in _MARK.findall(body))


class BannerMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if getattr(response, "streaming", False) or not content_type.startswith("text/html"):
            return response
        body = response.content.decode(response.charset or "utf-8")
        if PLACEHOLDER not in body:
            return response
        marking = page_marking(body)
        body = body.replace(PLACEHOLDER, html.escape(marking.banner))
        body = body.replace(LEVEL_PLACEHOLDER, f"lemkin-level-{int(marking.level)}")
        response.content = body.encode(response.charset or "utf-8")
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
