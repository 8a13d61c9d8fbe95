"""Background work for listening. A task calls a service and holds no logic of its own."""

from __future__ import annotations

from django_tasks import task

from heard.listening.services.imports import import_run


@task()
def feedback_import(batch_id: int) -> str:
    """Stores the rows of a started import, moving its progress as it goes; returns the import's status."""
    return import_run(batch_id=batch_id).status
