"""Agencies, people, roles, clearances, compartments, and the ``Marked`` base of every record of substance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from lemkin.core.markings import Level, Marking

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Clearance(models.IntegerChoices):
    """A person's clearance, the same scale as a record's classification (``lemkin.core.markings.Level``)."""

    UNCLASSIFIED = Level.UNCLASSIFIED, "Unclassified"
    CONFIDENTIAL = Level.CONFIDENTIAL, "Confidential"
    SECRET = Level.SECRET, "Secret"
    TOP_SECRET = Level.TOP_SECRET, "Top Secret"


class Role(models.TextChoices):
    """What a person does in the committee's work; a person may hold several roles."""

    ANALYST = "analyst", "Analyst"
    PLANNER = "planner", "Planner"
    COMMITTEE_MEMBER = "committee_member", "Committee member"
    DEPUTY = "deputy", "Deputy"
    PRINCIPAL = "principal", "Principal"
    CONGRESSIONAL_LIAISON = "congressional_liaison", "Congressional liaison"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Auditor"


class Agency(models.Model):
    """A member agency of the Atrocities Prevention Committee (NSC, State, Defense incl. the Joint Chiefs, ...)."""

    code = models.SlugField(max_length=16, unique=True, help_text="Short code, e.g. STATE")
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Compartment(models.Model):
    """A need-to-know list: only its members see records placed in it, whatever their clearance."""

    code = models.CharField(
        max_length=32, unique=True, help_text="2-32 capital letters, digits or hyphens, e.g. KESTREL"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return self.code


class RoleGrant(models.Model):
    """One role held by one person."""

    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["person", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return f"{self.person} as {self.get_role_display()}"


class PersonManager(UserManager["Person"]):
    pass


class Person(AbstractUser):
    """A user of Lemkin: belongs to an agency, holds roles, a clearance and compartment memberships."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="people")
    title = models.CharField(max_length=200, blank=True, help_text="Position, e.g. Deputy Assistant Secretary")
    clearance = models.PositiveSmallIntegerField(choices=Clearance.choices, default=Clearance.UNCLASSIFIED)
    compartments = models.ManyToManyField(Compartment, blank=True, related_name="members")

    objects: ClassVar[PersonManager] = PersonManager()

    class Meta:
        ordering: ClassVar = ["username"]
        verbose_name = "person"
        verbose_name_plural = "people"

    @property
    def roles(self) -> frozenset[str]:
        """The person's roles (cached for the request)."""
        cached: frozenset[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True)) if self.pk else frozenset()
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def set_roles(self, roles: list[str] | set[str] | frozenset[str]) -> None:
        """Replace the person's roles (each change is audited as a RoleGrant create or delete)."""
        unknown = set(roles) - set(Role.values)
        if unknown:
            raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}; choose from {', '.join(Role.values)}")
        for grant in self.role_grants.exclude(role__in=roles):
            grant.delete()
        for role in sorted(set(roles) - set(self.role_grants.values_list("role", flat=True))):
            RoleGrant.objects.create(person=self, role=role)
        self.__dict__.pop("_roles_cache", None)

    @property
    def compartment_codes(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_compartments_cache", None)
        if cached is None:
            cached = frozenset(self.compartments.values_list("code", flat=True)) if self.pk else frozenset()
            self._compartments_cache = cached
        return cached

    @property
    def ceiling(self) -> Marking:
        """The highest marking this person may see: their clearance and their compartments."""
        return Marking(Level(self.clearance), self.compartment_codes)


class MarkedQuerySet(models.QuerySet[Any]):
    def visible_to(self, person: Person | AnonymousUser) -> MarkedQuerySet:
        """Only the records ``person`` may see. The rule lives in ``lemkin.apps.accounts.access``."""
        from .access import visibility_filter

        return self.filter(visibility_filter(person))


class Marked(models.Model):
    """Base of every record of substance: a classification, an optional compartment, an exercise flag."""

    classification = models.PositiveSmallIntegerField(choices=Clearance.choices, default=Clearance.UNCLASSIFIED)
    compartment = models.ForeignKey(Compartment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_exercise = models.BooleanField(default=False, help_text="Exercise material (the demo world)")

    objects = MarkedQuerySet.as_manager()

    class Meta:
        abstract = True

    def marking_fields(self) -> dict[str, Any]:
        """This record's classification, compartment and exercise flag, for a record derived from it."""
        return {
            "classification": self.classification,
            "compartment": self.compartment,
            "is_exercise": self.is_exercise,
        }

    @property
    def marking(self) -> Marking:
        compartments = frozenset([self.compartment.code]) if self.compartment_id and self.compartment else frozenset()
        return Marking(Level(self.classification), compartments, self.is_exercise)
