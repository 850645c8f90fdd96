from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import Agency, Person

SYSTEM_USE_NOTICE = (
    "You are accessing a decision-support system for atrocity prevention. Use it only for authorised work. "
    "Everything you do here is recorded in an audit log that auditors can read, and may be reviewed. "
    "Handle every record according to its marking; do not move material to a system not accredited for it."
)


class AcknowledgingAuthenticationForm(AuthenticationForm):
    """Sign-in that refuses to proceed until the system use notice is acknowledged."""

    acknowledge = forms.BooleanField(
        required=True,
        error_messages={"required": "Acknowledge the system use notice to sign in."},
    )

    def clean(self) -> dict[str, Any]:
        # Check the acknowledgement before the password, so that no authentication is attempted without it.
        if not self.data.get("acknowledge"):
            raise forms.ValidationError("Acknowledge the system use notice to sign in.", code="no_acknowledgement")
        return super().clean()


class UswdsForm:
    """Gives every widget the design system's classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = {
                "checkbox": "usa-checkbox__input",
                "select": "usa-select",
            }.get(getattr(widget, "input_type", ""), "usa-input")
            if isinstance(widget, forms.Textarea):
                css = "usa-textarea"
            widget.attrs.setdefault("class", css)


class AgencyForm(UswdsForm, forms.ModelForm):
    class Meta:
        model = Agency
        fields: ClassVar = ["code", "name", "description", "is_active"]


class TokenForm(UswdsForm, forms.Form):
    token = forms.RegexField(
        regex=r"^\d{6}$", max_length=6, error_messages={"invalid": "Enter the 6 digits your app shows."}
    )


def attempted_username(request: Any, credentials: dict[str, Any] | None) -> str:
    """The user name of a sign-in attempt as django-axes records it: cut to the longest a person can have.

    A longer name cannot belong to anyone, and axes stores what it is given in a column that PostgreSQL holds to
    255 characters; uncut, a 10 kB name turned a failed sign-in into a server error."""
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(name)[: Person._meta.get_field("username").max_length]
