"""AN-1 (part): a person with a second factor reaches nothing but the code page until the code is given."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lemkin.apps.accounts.models import Role


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def let_the_throttle_delay_pass(device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)


@pytest.mark.django_db
def test_a_person_with_a_confirmed_device_must_give_a_code_before_any_page(a_person: Any, client: Any) -> None:
    person = a_person(roles=[Role.ANALYST], username="otp-user")
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    signed_in = client.post(
        reverse("login"),
        {"username": "otp-user", "password": "correct horse battery staple", "acknowledge": "on"},
    )
    assert signed_in.status_code == 302
    for url in (reverse("dashboard"), reverse("watchlist:country-list")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, reverse("accounts:otp-verify"))
    assert client.get("/api/accounts/me").status_code == 401
    refused = client.post(reverse("accounts:otp-verify"), {"token": "000000"})
    assert "That code does not match" in refused.content.decode()
    throttled = client.post(reverse("accounts:otp-verify"), {"token": current_code(device)})
    assert throttled.status_code == 200, "right after a wrong code even the right one waits (throttling)"
    let_the_throttle_delay_pass(device)
    accepted = client.post(reverse("accounts:otp-verify"), {"token": current_code(device)})
    assert accepted.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_adding_a_second_factor_needs_a_valid_code_from_the_new_device(a_person: Any, client_for: Any) -> None:
    person = a_person(roles=[Role.PLANNER])
    client = client_for(person)
    page = client.get(reverse("accounts:otp-setup"))
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()  # showing the key stores no device
    shown = TOTPDevice(key=page.context["key"])
    client.post(reverse("accounts:otp-setup"), {"token": "123456" if current_code(shown) != "123456" else "654321"})
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    assert device.key == page.context["key"] == client.get(reverse("accounts:otp-setup")).context["key"]
    assert not TOTPDevice.objects.filter(user=person, confirmed=True).exists()
    let_the_throttle_delay_pass(device)
    client.post(reverse("accounts:otp-setup"), {"token": current_code(device)})
    assert TOTPDevice.objects.filter(user=person, confirmed=True).count() == 1
