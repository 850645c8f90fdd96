"""Pages for indicators and warnings: a country's indicators and rules (with track records), the warnings list,
one warning's life, surveillance requests and emergency meeting proposals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lemkin.apps.accounts.access import get_visible_or_404, may, visible

from . import indicators
from .charts import series_svg
from .models import (
    Country,
    EmergencyMeetingProposal,
    Indicator,
    RuleKind,
    SurveillanceRequest,
    SurveillanceStatus,
    Warning,
    WarningRule,
    WarningStatus,
)


def _name(request: HttpRequest) -> str:
    return str(request.user.get_username())


def country_indicators(request: HttpRequest, iso3: str) -> HttpResponse:
    """A country's case-specific indicators with their series, rules and track records; analysts add them."""
    country = get_visible_or_404(Country.objects.all(), request.user, iso3=iso3.upper())
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "indicator":
                _add_indicator(request, country)
            elif action == "rule":
                indicator = get_visible_or_404(Indicator.objects.all(), request.user, pk=request.POST.get("indicator"))
                parameters = {
                    k: request.POST[k] for k in ("value", "factor", "months", "z", "minimum") if request.POST.get(k)
                }
                indicators.add_rule(_name(request), indicator, request.POST.get("kind", ""), parameters)
            elif action == "retire":
                rule = WarningRule.objects.filter(pk=request.POST.get("rule", ""), indicator__country=country).first()
                if rule is None:
                    raise Http404("No such rule.")
                get_visible_or_404(Indicator.objects.all(), request.user, pk=rule.indicator_id)
                indicators.retire_rule(_name(request), rule, request.POST.get("reason", ""))
            elif action == "observation":
                indicator = get_visible_or_404(Indicator.objects.all(), request.user, pk=request.POST.get("indicator"))
                indicators.record_observation(
                    _name(request), indicator, request.POST.get("month", ""), float(request.POST.get("value", ""))
                )
                indicators.evaluate(indicator)
            elif action == "surveillance":
                indicators.request_surveillance(
                    _name(request),
                    country,
                    request.POST.get("what", ""),
                    dt.date.fromisoformat(request.POST.get("starts", "")),
                    dt.date.fromisoformat(request.POST.get("ends", "")),
                )
            else:
                raise indicators.IndicatorError(f"unknown action {action!r}")
        except (ValueError, KeyError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Saved.")
        return redirect("watchlist:country-indicators", iso3=country.iso3)
    rows = []
    for indicator in visible(Indicator.objects.filter(country=country), request.user):
        rules = [(rule, indicators.core_rule(rule).describe(), _safe_record(rule)) for rule in indicator.rules.all()]
        rows.append((indicator, series_svg(indicators.series(indicator)), rules))
    context = {
        "country": country,
        "rows": rows,
        "kinds": RuleKind.choices,
        "framework": list(indicators.framework_indicators()),
        "surveillance": visible(SurveillanceRequest.objects.filter(country=country), request.user),
        "can_edit": may(request.user, "watchlist:country-indicators", "POST"),
    }
    return render(request, "watchlist/country_indicators.html", context)


def _safe_record(rule: Any) -> Any:
    try:
        return indicators.track_record(rule)
    except ValueError:
        return None


def _add_indicator(request: HttpRequest, country: Country) -> None:
    framework_id = request.POST.get("framework_indicator", "")
    name = request.POST.get("name", "").strip()
    risk_factor = ""
    if framework_id:
        from lemkin.core.warning.framework import load_framework

        item = load_framework().indicator(framework_id)
        name = name or item.text[:200]
        risk_factor = item.risk_factor
    if not name:
        raise indicators.IndicatorError("name the indicator, or choose one from the Framework of Analysis")
    event_source, measure = request.POST.get("event_source", ""), request.POST.get("measure", "")
    problems = []
    if event_source not in EVENT_SOURCES:
        problems.append(f"event_source: {event_source[:40]!r} is not one of {', '.join(EVENT_SOURCES[1:])}")
    if measure not in MEASURES:
        problems.append(f"measure: {measure[:40]!r} is not one of {', '.join(MEASURES[1:])}")
    indicator = Indicator(
        country=country,
        name=name,
        risk_factor=risk_factor,
        framework_indicator=framework_id,
        description=request.POST.get("description", ""),
        event_source=event_source,
        event_type=request.POST.get("event_type", ""),
        measure=measure,
        created_by=_name(request),
        **country.marking_fields(),
    )
    try:
        indicator.full_clean()  # lengths too: PostgreSQL refuses an over-long value with a server error
    except ValidationError as error:
        problems += [f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()]
    if problems:
        raise indicators.IndicatorError("; ".join(problems))
    indicator.save()


#: Allowed values of an indicator's event source and measure ("" for an indicator with no event series).
EVENT_SOURCES = ("", "ucdp_ged", "acled")
MEASURES = ("", "events", "fatalities")


def warning_list(request: HttpRequest) -> HttpResponse:
    warnings = visible(Warning.objects.select_related("country", "rule__indicator"), request.user).filter(
        country__in=visible(Country.objects.all(), request.user)
    )
    status = request.GET.get("status", "")
    if status in WarningStatus.values:
        warnings = warnings.filter(status=status)
    proposals = visible(EmergencyMeetingProposal.objects.select_related("country", "warning"), request.user)
    context = {"warnings": warnings[:500], "status": status, "statuses": WarningStatus.choices, "proposals": proposals}
    return render(request, "watchlist/warning_list.html", context)


def warning_detail(request: HttpRequest, warning_id: int) -> HttpResponse:
    """One warning: why it fired, its history, the earlier warnings it follows; move it on (POST) with a reason."""
    warning = get_visible_or_404(
        Warning.objects.select_related("country", "rule__indicator"), request.user, pk=warning_id
    )
    if request.method == "POST":
        try:
            indicators.move_warning(_name(request), warning, request.POST.get("to", ""), request.POST.get("reason", ""))
        except indicators.IndicatorError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Warning updated.")
        return redirect("watchlist:warning-detail", warning_id=warning.pk)
    earlier: list[Warning] = []
    cursor = warning.previous
    while cursor is not None and len(earlier) < 20:
        earlier.append(cursor)
        cursor = cursor.previous
    context = {
        "warning": warning,
        "earlier": [w for w in earlier if w in visible(Warning.objects.filter(pk=w.pk), request.user)],
        "next_statuses": [(s, WarningStatus(s).label) for s in indicators.WARNING_TRANSITIONS[warning.status]],
        "can_move": may(request.user, "watchlist:warning-detail", "POST"),
    }
    return render(request, "watchlist/warning_detail.html", context)


def surveillance_update(request: HttpRequest, request_id: int) -> HttpResponse:
    item = get_visible_or_404(SurveillanceRequest.objects.all(), request.user, pk=request_id)
    try:
        indicators.move_surveillance(_name(request), item, request.POST.get("to", ""), request.POST.get("reason", ""))
    except indicators.IndicatorError as error:
        messages.error(request, str(error))
    return redirect("watchlist:country-indicators", iso3=item.country.iso3)


__all__ = ["SurveillanceStatus"]
