from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lemkin.apps.accounts.access import get_visible_or_404, visible

from .models import Country


def country_list(request: HttpRequest) -> HttpResponse:
    countries = visible(Country.objects.all(), request.user)
    return render(request, "watchlist/country_list.html", {"countries": countries})


def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    country = get_visible_or_404(Country.objects.all(), request.user, iso3=iso3.upper())
    return render(request, "watchlist/country_detail.html", {"country": country})
