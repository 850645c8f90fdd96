"""Row history for every model of substance, plus sign-in, sign-out and refused requests.

Every model in an audited app is recorded on create, update (with the changed fields, secrets redacted) and
delete, and on changes to its many-to-many links, in the same transaction as the change itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from lemkin.apps.accounts.access import access_denied

from .context import Actor, acting_as, current_actor
from .middleware import client_ip
from .models import Action
from .services import record, redact

#: App labels whose models are audited (every Lemkin app, plus the second-factor devices).
AUDITED_APPS = frozenset(
    {"accounts", "watchlist", "cases", "committee", "lessons", "readiness", "planning", "otp_totp", "site"}
)
_SKIP_FIELDS = frozenset({"last_login"})


def is_audited(model: type[Model]) -> bool:
    """Models of the audited apps, except derived tables that say ``audit_rows = False`` (their import is one
    named event with its checksum instead of one event per derived row)."""
    return model._meta.app_label in AUDITED_APPS and not model._meta.abstract and getattr(model, "audit_rows", True)


def _values(instance: Model) -> dict[str, Any]:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in _SKIP_FIELDS
    }


def _before_save(sender: type[Model], instance: Model, raw: bool = False, **_: Any) -> None:
    if raw or not is_audited(sender) or instance._state.adding or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = _values(old) if old is not None else None  # type: ignore[attr-defined]


def _after_save(sender: type[Model], instance: Model, created: bool, raw: bool = False, **_: Any) -> None:
    if raw or not is_audited(sender):
        return
    after = _values(instance)
    if created:
        changes = {name: [None, redact(name, value)] for name, value in after.items()}
        record(Action.CREATE, instance, detail={"changes": changes})
        return
    before = getattr(instance, "_audit_before", None) or {}
    changes = {
        name: [redact(name, before.get(name)), redact(name, value)]
        for name, value in after.items()
        if before.get(name) != value
    }
    if changes:
        record(Action.UPDATE, instance, detail={"changes": changes})


def _after_delete(sender: type[Model], instance: Model, **_: Any) -> None:
    if is_audited(sender):
        before = {name: redact(name, value) for name, value in _values(instance).items()}
        record(Action.DELETE, instance, detail={"before": before})


def _links_changed(sender: Any, instance: Model, action: str, model: type[Model], pk_set: Any, **_: Any) -> None:
    if not is_audited(type(instance)) or action not in {"post_add", "post_remove", "post_clear"}:
        return
    field = next(
        (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender),
        model._meta.model_name,
    )
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    ids = sorted(str(pk) for pk in pk_set or [])
    record(Action.UPDATE, instance, detail={"links": {field: {verb: ids}}})


def _logged_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    actor = Actor.of(user, ip=client_ip(request), request_id=current_actor().request_id)
    with acting_as(actor):
        record(Action.LOGIN, user)


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any) -> None:
    attempted = str(credentials.get("username", ""))[:150]
    record(Action.LOGIN_FAILED, detail={"username": attempted}, actor_override=f"anonymous:{attempted}")


def _logged_out(sender: Any, request: Any, user: Any, **_: Any) -> None:
    if user is not None:
        record(Action.LOGOUT, user)


def _denied(sender: Any, request: Any, view_name: str, reason: str, **_: Any) -> None:
    record(
        Action.DENIED,
        detail={"view": view_name, "path": request.path, "method": request.method, "reason": reason},
    )


def connect() -> None:
    # Row signals per audited model, so that other models keep Django's fast bulk delete.
    from django.apps import apps

    for model in apps.get_models():
        if is_audited(model):
            label = model._meta.label_lower
            pre_save.connect(_before_save, sender=model, dispatch_uid=f"lemkin-audit-pre-save-{label}")
            post_save.connect(_after_save, sender=model, dispatch_uid=f"lemkin-audit-post-save-{label}")
            post_delete.connect(_after_delete, sender=model, dispatch_uid=f"lemkin-audit-post-delete-{label}")
    m2m_changed.connect(_links_changed, dispatch_uid="lemkin-audit-m2m")
    user_logged_in.connect(_logged_in, dispatch_uid="lemkin-audit-login")
    user_login_failed.connect(_login_failed, dispatch_uid="lemkin-audit-login-failed")
    user_logged_out.connect(_logged_out, dispatch_uid="lemkin-audit-logout")
    access_denied.connect(_denied, dispatch_uid="lemkin-audit-denied")
