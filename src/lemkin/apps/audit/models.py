"""The audit log: one row per event, each row's MAC chained to the previous row's.

Rows are only ever inserted (database triggers refuse UPDATE, DELETE and TRUNCATE; see migration 0002), and
``services.verify`` recomputes the chain to find the first row edited, inserted, deleted or swapped out of band.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Action(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    TRANSITION = "transition", "Workflow step"
    EXPORT = "export", "Exported"
    IMPORT = "import", "Imported"
    READ = "read", "Read"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOGOUT = "logout", "Signed out"
    DENIED = "denied", "Access denied"
    EVENT = "event", "Event"


class AuditEvent(models.Model):
    """One audited event. ``seq`` numbers events without gaps; ``mac`` chains each row to ``prev_mac``."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(help_text="UTC")
    actor = models.CharField(max_length=150, help_text="Username, 'system', 'anonymous' or 'cli:<name>'")
    actor_person_id = models.BigIntegerField(null=True, blank=True)
    agency = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    name = models.CharField(max_length=64, blank=True, help_text="Named event, e.g. TierChanged, PlanApproved")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    object_marking = models.CharField(max_length=200, blank=True, help_text="Banner of the record concerned")
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering: ClassVar = ["-seq"]
        indexes: ClassVar = [
            models.Index(fields=["actor_person_id", "-seq"], name="audit_by_actor"),
            models.Index(fields=["object_type", "object_id"], name="audit_by_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.object_type}"
