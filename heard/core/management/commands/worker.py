"""Runs background tasks from whichever queue HEARD_TASK_BACKEND names."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run background tasks. --burst works through what is queued, then stops."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.HEARD_TASK_BACKEND
        if backend == "database":
            extra = ["--batch", "--no-startup-delay", "--no-reload"] if options["burst"] else []
            call_command("db_worker", *extra, "--queue-name", ",".join(settings.TASK_QUEUES))
        elif backend == "rq":
            extra = ["--burst", "--worker-class", "rq.worker.SimpleWorker"] if options["burst"] else []
            call_command("rqworker", *settings.TASK_QUEUES, "--job-class", "django_tasks_rq.Job", *extra)
        else:
            self.stdout.write(
                "HEARD_TASK_BACKEND is immediate: tasks run as they are queued; no worker needed."
            )
