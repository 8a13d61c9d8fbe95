"""Organisations (tenants), the people in them and their roles, sign-in state, and the audit log."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class OrganisationKind(models.TextChoices):
    ICB = "icb", "Integrated Care Board"
    PLACE = "place", "Place partnership"
    TRUST = "trust", "NHS trust"
    COUNCIL = "council", "Local authority"
    HEALTHWATCH = "healthwatch", "Healthwatch"
    OTHER = "other", "Other partner"


class Organisation(models.Model):
    """A tenant: every row of organisation data carries one, and every selector scopes by it."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    # Demonstration organisations let their people skip the second factor, and every page says so.
    is_demo = models.BooleanField(default=False)
    # The small-number rule for every figure that leaves the building (heard.core.disclosure): counts from 1 up
    # to ``suppress_below - 1`` show as "*", the rest are rounded to the nearest ``round_to``. NHS Digital's
    # rule is the default: 1-7 suppressed, others to the nearest 5.
    suppress_below = models.PositiveSmallIntegerField(default=8)
    round_to = models.PositiveSmallIntegerField(default=5)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ENGAGEMENT_LEAD = "engagement_lead", "Engagement lead"
    ANALYST = "analyst", "Analyst"
    CASE_HANDLER = "case_handler", "Case handler"
    VIEWER = "viewer", "Viewer"


class User(AbstractUser):
    """A member of staff. Public respondents never have accounts."""

    # Sign-in state that must survive across sessions; see heard.core.services.signin.
    failed_signins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Set when an administrator chose the password: the person picks their own before anything else.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A person's role in one organisation. A person may belong to several organisations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")
        ]
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} as {self.get_role_display()}"


class TwoFactorDevice(models.Model):
    """An authenticator app registered to a user. The shared secret is encrypted with HEARD_ENCRYPTION_KEY."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    encrypted_secret = models.BinaryField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted, so that one code cannot be replayed within its 30 seconds.
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Authenticator app of {self.user}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-use code for when the authenticator app is lost. Only a SHA-256 digest is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code of {self.user}"


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log cannot be changed.")


class AuditEntry(models.Model):
    """Who did what, when, from where, and (for a view of identifiable data) why.

    Rows are only ever added, by ``heard.core.audit.audit_record``. The model refuses updates and deletes, and
    database triggers (migration 0002) refuse them to anyone who goes round the model.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Kept as text as well, so the entry reads the same if the account is later renamed.
    actor_label = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    identifiable = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=20, default="web")  # web, api, command line, task

    objects: ClassVar[models.Manager[AuditEntry]] = AuditEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log cannot be changed.")
