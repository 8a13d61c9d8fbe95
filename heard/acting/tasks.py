"""Background work for acting, queued daily by ``heard housekeeping``."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from heard.acting.reminders import reminders_send


@task()
def send_commitment_reminders() -> int:
    return reminders_send(today=timezone.localdate())
