"""The identifiable-data vault: contact details people chose to give, encrypted, apart from their feedback."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from heard.core.models import Organisation


class VaultPurpose(models.TextChoices):
    HEAR_BACK = "hear_back", "To hear back about what changed"
    COMPLAINT = "complaint", "To handle a complaint or concern"
    FOLLOW_UP = "follow_up", "To follow up what they told us"


class VaultEntry(models.Model):
    """One person's contact details, linked to their feedback only by a keyed pseudonym.

    The details are Fernet-encrypted with HEARD_ENCRYPTION_KEY; the database never holds them in the clear.
    Reading them is an audited act with a reason (``heard.privacy.vault.vault_read``).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="vault_entries")
    pseudonym = models.CharField(max_length=64)
    purpose = models.CharField(max_length=20, choices=VaultPurpose.choices)
    encrypted_details = models.BinaryField()
    retain_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "pseudonym"])]
        verbose_name_plural = "vault entries"

    def __str__(self) -> str:
        return f"Vault entry {self.pk} ({self.get_purpose_display()})"
