"""``heard housekeeping``: queue every app's routine upkeep (retention, expired sessions and drafts)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from heard.core.housekeeping import housekeeping_jobs


class Command(BaseCommand):
    help = (
        "Queue routine upkeep: deletion past retention periods, expired sessions and saved drafts. Run daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for job in housekeeping_jobs():
            job.enqueue()
            self.stdout.write(f"Queued {job.name}: {job.description}")
