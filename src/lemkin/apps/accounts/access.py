"""The one access-control point.

Two questions decide what a person may do, and both are answered here and only here:

1. **May this person use this page or API operation?** ``RULES`` maps every named URL (``view_name``) to the
   roles that may read it (GET, HEAD) and the roles that may change through it (POST, PUT, PATCH, DELETE).
   ``AccessControlMiddleware`` enforces it for every request: a URL without a rule is refused (deny by
   default) and ``tests/web/test_access.py`` fails until the rule is added here.
2. **May this person see this record?** ``visibility_filter`` (used by ``Marked.objects.visible_to``) and
   ``may_see``: the record's classification is at or below the person's clearance, and the record's
   compartment, if any, is one the person belongs to. Roles never override need-to-know. Lists, search,
   exports, counts and generated documents all filter through it; a record one may not see answers 404,
   exactly like one that does not exist.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.dispatch import Signal, receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string

from lemkin.core.markings import MarkingError
from lemkin.core.markings import parse as parse_marking

from .models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import Marked, Person

#: Sent on every refused request (the audit app records it): sender=None, request, view_name, reason.
access_denied = Signal()

EVERYONE = frozenset(Role.values)
NOBODY: frozenset[str] = frozenset()
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Rule:
    """Who may read through a URL (safe methods) and who may change through it (unsafe methods)."""

    read: frozenset[str]
    write: frozenset[str] = NOBODY

    def allows(self, person: Person, method: str) -> bool:
        roles = self.read if method in SAFE_METHODS else self.write
        return person.has_role(*roles)


def roles(*names: Role) -> frozenset[str]:
    return frozenset(str(name) for name in names)


ADMINS = roles(Role.ADMINISTRATOR)
AUDITORS = roles(Role.AUDITOR)
#: Who works on case files: reads them (need-to-know still applies to each case) and writes them.
CASE_READERS = roles(Role.ANALYST, Role.PLANNER, Role.COMMITTEE_MEMBER, Role.DEPUTY, Role.PRINCIPAL)
CASE_WRITERS = roles(Role.ANALYST, Role.PLANNER)
#: Who moves countries between tiers and decides on proposals.
ANALYSTS = roles(Role.ANALYST)

#: Pages anyone may open, signed in or not.
PUBLIC = frozenset({"login", "logout", "health"})

#: Pages a signed-in person uses to set up or give their second factor (reachable before giving it).
SECOND_FACTOR = frozenset({"accounts:otp-verify", "accounts:otp-setup"})

#: Pages any signed-in person may open whatever their roles (their own account).
SIGNED_IN = SECOND_FACTOR | {"accounts:profile"}

#: Every other named URL, page and API operation alike. Add a rule here when you add a URL.
RULES: dict[str, Rule] = {
    # site
    "dashboard": Rule(read=EVERYONE),
    # accounts: agencies are editable by administrators; people are managed by administrators
    "accounts:agency-list": Rule(read=EVERYONE, write=ADMINS),
    "accounts:agency-edit": Rule(read=ADMINS, write=ADMINS),
    "accounts:person-list": Rule(read=ADMINS),
    # watchlist
    "watchlist:country-list": Rule(read=EVERYONE),
    "watchlist:country-detail": Rule(read=EVERYONE),
    "api:list_countries": Rule(read=EVERYONE),
    "watchlist:watchlists": Rule(read=EVERYONE),
    "watchlist:country-tier": Rule(read=EVERYONE, write=ANALYSTS),
    "watchlist:proposal-list": Rule(read=EVERYONE),
    "watchlist:proposal-decide": Rule(read=EVERYONE, write=ANALYSTS),
    "watchlist:world-map": Rule(read=EVERYONE),
    "watchlist:export": Rule(read=EVERYONE),
    "watchlist:country-indicators": Rule(read=EVERYONE, write=ANALYSTS),
    "watchlist:country-judgments": Rule(read=EVERYONE, write=ANALYSTS),
    "watchlist:warning-list": Rule(read=EVERYONE),
    "watchlist:warning-detail": Rule(read=EVERYONE, write=ANALYSTS),
    "watchlist:surveillance-update": Rule(read=NOBODY, write=ANALYSTS),
    "watchlist:judgment-scores": Rule(read=EVERYONE),
    "watchlist:prioritisation": Rule(read=EVERYONE, write=ANALYSTS),
    "api:list_listings": Rule(read=EVERYONE),
    "api:list_warnings": Rule(read=EVERYONE),
    "api:list_proposals": Rule(read=EVERYONE),
    "watchlist:risk-run-list": Rule(read=EVERYONE),
    "watchlist:risk-run-detail": Rule(read=EVERYONE),
    "api:list_risk_runs": Rule(read=EVERYONE),
    "api:risk_run_forecasts": Rule(read=EVERYONE),
    "api:country_risk_history": Rule(read=EVERYONE),
    # planning framework: the catalog is reference data; administrators add and retire tools
    "planning:tool-list": Rule(read=EVERYONE, write=ADMINS),
    "planning:tool-detail": Rule(read=EVERYONE, write=ADMINS),
    "api:list_tools": Rule(read=EVERYONE),
    # case files: profiles, options, playbook package, guideline review
    "cases:case-list": Rule(read=CASE_READERS, write=CASE_WRITERS),
    "cases:case-detail": Rule(read=CASE_READERS, write=CASE_WRITERS),
    "cases:case-options": Rule(read=CASE_READERS),
    "cases:case-playbook": Rule(read=CASE_READERS, write=CASE_WRITERS),
    "cases:case-review": Rule(read=CASE_READERS, write=CASE_WRITERS),
    "api:list_cases": Rule(read=CASE_READERS),
    "api:case_options": Rule(read=CASE_READERS),
    # reviewing a package through the API writes nothing, but it is planning work: POST by case writers
    "api:review_case": Rule(read=NOBODY, write=CASE_WRITERS),
    # audit: readable by auditors only
    "audit:log": Rule(read=AUDITORS),
    "audit:event": Rule(read=AUDITORS),
    # API
    "api:api-root": Rule(read=EVERYONE),
    "api:openapi-json": Rule(read=EVERYONE),
    "api:me": Rule(read=EVERYONE),
    "api:list_agencies": Rule(read=EVERYONE),
    "api:list_audit_events": Rule(read=AUDITORS),
}


def rule_for(view_name: str) -> Rule | None:
    return RULES.get(view_name)


def may(person: Person | AnonymousUser, view_name: str, method: str = "GET") -> bool:
    """Whether ``person`` may use the named URL with ``method`` (for showing or hiding links and forms)."""
    rule = rule_for(view_name)
    if rule is None or not person.is_authenticated or not person.is_active:
        return False
    return rule.allows(person, method)


# --- records ---------------------------------------------------------------------------------------
def visibility_filter(person: Person | AnonymousUser, prefix: str = "") -> Q:
    """The need-to-know rule as a query filter. ``prefix`` filters related records, e.g. ``"case__"``."""
    if not person.is_authenticated or not person.is_active:
        return Q(pk__in=[])
    compartments = person.compartment_codes
    return Q(**{f"{prefix}classification__lte": person.clearance}) & (
        Q(**{f"{prefix}compartment__isnull": True}) | Q(**{f"{prefix}compartment__code__in": compartments})
    )


def may_see(person: Person | AnonymousUser, record: Marked) -> bool:
    """The same rule for one record already in memory."""
    if not person.is_authenticated or not person.is_active:
        return False
    return person.ceiling.dominates(record.marking)


def may_see_marking(person: Person | AnonymousUser, banner: str) -> bool:
    """The same rule for a marking given as its banner text (e.g. a record described in the audit log)."""
    if not person.is_authenticated or not person.is_active:
        return False
    try:
        marking = parse_marking(banner)
    except MarkingError:
        return False  # fail closed
    return person.ceiling.dominates(marking)


def visible[M: Model](queryset: QuerySet[M], person: Person | AnonymousUser) -> QuerySet[M]:
    """``queryset`` restricted to what ``person`` may see."""
    return queryset.filter(visibility_filter(person))


def get_visible_or_404[M: Model](queryset: QuerySet[M], person: Person | AnonymousUser, **lookup: Any) -> M:
    """One record the person may see, else 404 (the same answer as for a record that does not exist)."""
    try:
        return visible(queryset, person).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404("No such record.") from None


def filter_visible(person: Person | AnonymousUser, records: Iterable[Marked]) -> list[Marked]:
    """Records from any source (search hits, agenda items, export rows) that ``person`` may see."""
    return [record for record in records if may_see(person, record)]


# --- requests -------------------------------------------------------------------------------------
def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _deny(request: HttpRequest, view_name: str, reason: str, status: int = 403) -> HttpResponse:
    access_denied.send(sender=None, request=request, view_name=view_name, reason=reason)
    if _is_api(request):
        return JsonResponse({"detail": "Forbidden" if status == 403 else "Not found"}, status=status)
    body = render_to_string("403.html", {"reason": reason}, request=request)
    return HttpResponseForbidden(body)


class AccessControlMiddleware:
    """Enforces ``RULES`` for every resolved URL; refuses URLs without a rule."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if view_name in PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            if _is_api(request):
                return JsonResponse({"detail": "Authentication required"}, status=401)
            return redirect_to_login(request.get_full_path())
        person: Person = user
        if not person.is_active:
            return _deny(request, view_name, "account inactive")
        if session_outlived(request):
            return _end_session(request, view_name)
        if view_name in SECOND_FACTOR and needs_second_factor(request, person) is not None:
            return None
        if needs_second_factor(request, person):
            if _is_api(request):
                return JsonResponse({"detail": "Second factor required: sign in on the web first"}, status=401)
            return redirect("accounts:otp-verify")
        if view_name in SIGNED_IN:
            return None
        rule = rule_for(view_name)
        if rule is None:
            return _deny(
                request,
                view_name,
                f"no access rule for {view_name or request.path!r}: add one to lemkin.apps.accounts.access.RULES",
            )
        if not rule.allows(person, request.method or "GET"):
            return _deny(request, view_name, "your roles do not include this page or action")
        return None


# --- sessions -------------------------------------------------------------------------------------
#: Session key holding the time of sign-in (seconds since the epoch).
SIGNED_IN_AT = "lemkin_signed_in_at"


@receiver(user_logged_in, dispatch_uid="lemkin-session-signed-in-at")
def _stamp_sign_in(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


def session_outlived(request: HttpRequest) -> bool:
    """True when the session began longer ago than ``LEMKIN_SESSION_ABSOLUTE_LIMIT`` seconds, whatever the
    activity since (the idle limit is Django's ``SESSION_COOKIE_AGE``). A session without a sign-in time did not
    start through sign-in and counts as outlived: fail closed."""
    started = request.session.get(SIGNED_IN_AT)
    if not isinstance(started, int | float):
        return True
    return time.time() - started > settings.LEMKIN_SESSION_ABSOLUTE_LIMIT


def _end_session(request: HttpRequest, view_name: str) -> HttpResponse:
    access_denied.send(sender=None, request=request, view_name=view_name, reason="session outlived its time limit")
    logout(request)
    if _is_api(request):
        return JsonResponse({"detail": "Session expired: sign in again"}, status=401)
    return redirect_to_login(request.get_full_path())


def needs_second_factor(request: HttpRequest, person: Person) -> bool:
    """A person with a confirmed TOTP device (or everyone, when LEMKIN_REQUIRE_OTP) must verify it first."""
    verified = getattr(request.user, "is_verified", lambda: False)()
    if verified:
        return False
    if getattr(settings, "LEMKIN_REQUIRE_OTP", False):
        return True
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(person, confirmed=True))
