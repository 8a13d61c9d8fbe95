"""Background upkeep tasks for listening, queued daily by ``heard housekeeping``."""

from __future__ import annotations

from django_tasks import task

from heard.listening.services.retention import retention_apply_all
from heard.listening.services.upkeep import drafts_purge_expired


@task()
def apply_retention() -> int:
    return retention_apply_all()


@task()
def purge_expired_drafts() -> int:
    return drafts_purge_expired()
