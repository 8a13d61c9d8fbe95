"""Feedback sources: the named streams feedback arrives through, with their retention."""

from __future__ import annotations

from django.db import transaction

from heard.core.audit import audit_record
from heard.core.models import Organisation, User
from heard.listening.models import FeedbackSource, SourceKind


@transaction.atomic
def source_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    kind: SourceKind | str,
    retention_days: int | None = None,
) -> FeedbackSource:
    source = FeedbackSource(organisation=organisation, name=name, kind=kind, retention_days=retention_days)
    source.full_clean()
    source.save()
    audit_record(actor=actor, action="source.created", organisation=organisation, target=source)
    return source


def source_for(*, organisation: Organisation, name: str, kind: SourceKind | str) -> FeedbackSource:
    """The organisation's source of that name, created on first use (for the API and the demo)."""
    existing = FeedbackSource.objects.filter(organisation=organisation, name=name).first()
    return existing or source_create(actor=None, organisation=organisation, name=name, kind=kind)
