"""Marking feedback for follow-up."""

from __future__ import annotations

from django.db import transaction

from heard.core.audit import audit_record
from heard.core.models import User
from heard.listening.models import FeedbackItem
from heard.privacy.redaction import redact


@transaction.atomic
def feedback_flag(*, actor: User, item: FeedbackItem, flagged: bool, note: str = "") -> FeedbackItem:
    item.flagged = flagged
    item.flag_note = redact(note) if flagged else ""
    item.save(update_fields=["flagged", "flag_note"])
    audit_record(
        actor=actor,
        action="feedback.flagged" if flagged else "feedback.unflagged",
        organisation=item.organisation,
        target=item,
    )
    return item
