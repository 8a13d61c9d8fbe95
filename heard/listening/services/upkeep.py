"""Routine upkeep of listening data: answers saved part-way and never sent are deleted when they expire."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from heard.listening.models import ResponseDraft


@transaction.atomic
def drafts_purge_expired() -> int:
    """Deletes saved, unsent survey answers past their expiry: they are unredacted, so they must not linger."""
    deleted, _ = ResponseDraft.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
