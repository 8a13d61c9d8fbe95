"""Background work for the core app, and the check that the task queue can be reached.

A task calls a service and holds no logic of its own (ARCHITECTURE.md).
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from heard.core.services.housekeeping import sessions_purge_expired


@task()
def purge_expired_sessions() -> int:
    """Removes sessions past their expiry, so that the session table does not grow without end."""
    return sessions_purge_expired()


def task_queue_reachable() -> tuple[bool, str]:
    """Whether work can be queued: the Redis server answers, or the database queue table can be read."""
    try:
        if settings.HEARD_TASK_BACKEND == "rq":
            import django_rq

            django_rq.get_connection("default").ping()
        elif settings.HEARD_TASK_BACKEND == "database":
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
    except Exception as failure:  # reported in /healthz, never raised
        return False, type(failure).__name__
    return True, ""
