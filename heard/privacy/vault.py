"""The identifiable-data vault: store contact details apart, read them only with a reason, erase them for good."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from heard.core import crypto
from heard.core.audit import audit_record
from heard.core.models import Organisation, User
from heard.privacy.models import VaultEntry, VaultPurpose
from heard.privacy.pseudonyms import pseudonym_for

PSEUDONYM_PURPOSE = "respondent"


@dataclass(frozen=True)
class ContactDetails:
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""

    def is_empty(self) -> bool:
        return not any(asdict(self).values())

    def key_identifier(self) -> str:
        """What identifies the person best, so that the same person gets the same pseudonym each time."""
        return (
            self.email
            or self.phone
            or (f"{self.name}|{self.postcode}" if self.name and self.postcode else "")
        )


def respondent_pseudonym(details: ContactDetails, *, organisation: Organisation) -> str:
    """The keyed pseudonym that links a person's feedback to their vault entry.

    Keyed per organisation as well as per purpose, so that two tenants' feedback cannot be matched by it.
    """
    identifier = details.key_identifier()
    if not identifier:
        # Nothing stable to key on: a random stand-in still links this one item to its details.
        return secrets.token_hex(32)
    return pseudonym_for(identifier, purpose=f"{PSEUDONYM_PURPOSE}:{organisation.pk}")


@transaction.atomic
def vault_store(
    *,
    organisation: Organisation,
    details: ContactDetails,
    purpose: VaultPurpose | str,
    retain_days: int | None = None,
) -> str:
    """Encrypts and keeps the details; returns the pseudonym to put on the feedback instead."""
    pseudonym = respondent_pseudonym(details, organisation=organisation)
    VaultEntry.objects.create(
        organisation=organisation,
        pseudonym=pseudonym,
        purpose=purpose,
        encrypted_details=crypto.encrypt(json.dumps(asdict(details)).encode()),
        retain_until=timezone.now() + timedelta(days=retain_days) if retain_days else None,
    )
    # The audit entry says that details were kept, never what they were.
    audit_record(
        actor=None, action="vault.stored", organisation=organisation, detail={"purpose": str(purpose)}
    )
    return pseudonym


def vault_holds(*, organisation: Organisation, pseudonym: str) -> bool:
    return (
        bool(pseudonym) and VaultEntry.objects.filter(organisation=organisation, pseudonym=pseudonym).exists()
    )


@dataclass(frozen=True)
class VaultRecord:
    purpose: str
    details: ContactDetails
    stored_at: str


@transaction.atomic
def vault_read(*, actor: User, organisation: Organisation, pseudonym: str, reason: str) -> list[VaultRecord]:
    """The details kept for a pseudonym. Every read is audited with who, when, from where and why."""
    if not reason.strip():
        raise ValueError("Say why you need to see these contact details.")
    entries = list(
        VaultEntry.objects.filter(organisation=organisation, pseudonym=pseudonym).order_by("created_at")
    )
    audit_record(
        actor=actor,
        action="vault.read",
        organisation=organisation,
        detail={"pseudonym": pseudonym[:12], "entries": len(entries)},
        identifiable=True,
        reason=reason.strip(),
    )
    return [
        VaultRecord(
            purpose=entry.get_purpose_display(),
            details=ContactDetails(**json.loads(crypto.decrypt(entry.encrypted_details))),
            stored_at=entry.created_at.isoformat(),
        )
        for entry in entries
    ]


@transaction.atomic
def vault_erase(*, organisation_id: int, pseudonyms: list[str]) -> int:
    """Deletes the entries for these pseudonyms, for good."""
    if not pseudonyms:
        return 0
    deleted, _ = VaultEntry.objects.filter(organisation_id=organisation_id, pseudonym__in=pseudonyms).delete()
    if deleted:
        audit_record(
            actor=None,
            action="vault.erased",
            organisation=Organisation.objects.get(pk=organisation_id),
            detail={"entries": deleted},
        )
    return deleted


@transaction.atomic
def vault_erase_expired() -> int:
    """Deletes entries past their retention date."""
    expired = VaultEntry.objects.filter(retain_until__lt=timezone.now())
    counts = dict(
        expired.values_list("organisation_id")
        .annotate(n=models.Count("id"))
        .values_list("organisation_id", "n")
    )
    deleted, _ = expired.delete()
    for organisation in Organisation.objects.filter(pk__in=counts):
        audit_record(
            actor=None,
            action="vault.erased_expired",
            organisation=organisation,
            detail={"entries": counts[organisation.pk]},
        )
    return deleted
