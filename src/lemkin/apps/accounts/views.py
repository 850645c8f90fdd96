"""Sign-in and sign-out, one's own account and second factor, agencies and people (administrators)."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from lemkin.apps.audit.context import Actor, acting_as, current_actor
from lemkin.apps.audit.middleware import client_ip
from lemkin.apps.audit.models import Action
from lemkin.apps.audit.services import record

from .access import may
from .forms import SYSTEM_USE_NOTICE, AcknowledgingAuthenticationForm, AgencyForm, TokenForm
from .models import Agency, Person


class LoginView(auth_views.LoginView):
    """Sign-in with the system use notice; its acknowledgement is audited."""

    form_class = AcknowledgingAuthenticationForm
    redirect_authenticated_user = True
    extra_context = {"system_use_notice": SYSTEM_USE_NOTICE}  # noqa: RUF012

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        person = form.get_user()
        actor = Actor.of(person, ip=client_ip(self.request), request_id=current_actor().request_id)
        with acting_as(actor):
            record(Action.EVENT, person, name="SystemUseNoticeAcknowledged")
        return response


class LogoutView(auth_views.LogoutView):
    pass


def agency_list(request: HttpRequest) -> HttpResponse:
    """The committee's member agencies. Administrators add agencies here (POST)."""
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = form.save()
        messages.success(request, f"Agency {agency.code} added.")
        return redirect("accounts:agency-list")
    context = {
        "agencies": Agency.objects.all(),
        "form": form,
        "can_edit": may(request.user, "accounts:agency-list", "POST"),
    }
    return render(request, "accounts/agency_list.html", context)


def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=pk)
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Agency {agency.code} saved.")
        return redirect("accounts:agency-list")
    return render(request, "accounts/agency_edit.html", {"agency": agency, "form": form})


def person_list(request: HttpRequest) -> HttpResponse:
    people = Person.objects.select_related("agency").prefetch_related("role_grants", "compartments")
    return render(request, "accounts/person_list.html", {"people": people})


def profile(request: HttpRequest) -> HttpResponse:
    person: Person = request.user  # type: ignore[assignment]
    has_device = TOTPDevice.objects.filter(user=person, confirmed=True).exists()
    return render(request, "accounts/profile.html", {"person": person, "has_device": has_device})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


_PENDING_KEY = "otp_pending_key"


def _pending_device(request: HttpRequest, person: Person) -> TOTPDevice:
    """The device being added: the stored unconfirmed one (after a first try), else an unsaved one whose key is
    kept in the session, so that showing the setup page writes nothing but the session (SE-5)."""
    stored = TOTPDevice.objects.filter(user=person, confirmed=False).first()
    if stored is not None:
        return stored
    key = request.session.setdefault(_PENDING_KEY, random_hex(20))
    device = TOTPDevice(user=person, confirmed=False, name="authenticator", key=key)
    if request.method == "POST":
        device.save()  # a try is recorded, so that the throttle counts failed codes
    return device


def otp_setup(request: HttpRequest) -> HttpResponse:
    """Add a TOTP second factor: show the key as a QR code, confirm it with one code from the app."""
    person: Person = request.user  # type: ignore[assignment]
    device = _pending_device(request, person)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            request.session.pop(_PENDING_KEY, None)
            otp_login(request, device)
            messages.success(request, "Second factor added: you will be asked for a code at each sign-in.")
            return redirect("accounts:profile")
        form.add_error("token", "That code does not match; check the time on your device and try again.")
    context = {"form": form, "qr": _qr_svg(device.config_url), "key": device.key}
    return render(request, "accounts/otp_setup.html", context)


def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in for people with a second factor."""
    person: Person = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=person, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                record(Action.EVENT, person, name="SecondFactorVerified")
                return redirect("dashboard")
        record(Action.LOGIN_FAILED, person, name="SecondFactorRejected")
        form.add_error("token", "That code does not match.")
    return render(request, "accounts/otp_verify.html", {"form": form})


__all__ = ["LoginView", "LogoutView"]
