"""Retention: feedback older than its source's retention period is deleted for good.

Deletion really deletes: the items and their answers are removed from the database (not hidden), and the
audit log keeps only how many were removed and from which source, never what they said.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from heard.core.audit import audit_record
from heard.core.events import event_publish
from heard.listening.models import FeedbackItem, FeedbackSource


@transaction.atomic
def retention_apply(*, source: FeedbackSource) -> int:
    """Deletes the source's items received before its retention period; returns how many."""
    if source.retention_days is None:
        return 0
    cutoff = timezone.now() - timedelta(days=source.retention_days)
    expired = FeedbackItem.objects.filter(
        organisation=source.organisation, source=source, received_at__lt=cutoff
    )
    pseudonyms = set(expired.exclude(respondent_pseudonym="").values_list("respondent_pseudonym", flat=True))
    deleted_ids = list(expired.values_list("id", flat=True))
    if not deleted_ids:
        return 0
    FeedbackItem.objects.filter(pk__in=deleted_ids).delete()
    # A person's contact details go with their last remaining piece of feedback.
    still_needed = set(
        FeedbackItem.objects.filter(
            organisation=source.organisation, respondent_pseudonym__in=pseudonyms
        ).values_list("respondent_pseudonym", flat=True)
    )
    audit_record(
        actor=None,
        action="feedback.deleted_by_retention",
        organisation=source.organisation,
        target=source,
        detail={"items": len(deleted_ids), "older_than_days": source.retention_days},
    )
    # Other apps drop what they hold about these items (codings, vault entries) when this commits.
    event_publish(
        "feedback.deleted",
        organisation_id=source.organisation_id,
        item_ids=deleted_ids,
        orphaned_pseudonyms=sorted(pseudonyms - still_needed),
    )
    return len(deleted_ids)


def retention_apply_all() -> int:
    """Applies every source's retention period, in every organisation."""
    return sum(
        retention_apply(source=source)
        for source in FeedbackSource.objects.filter(retention_days__isnull=False)
    )
