"""Background tasks go through the queue HEARD_TASK_BACKEND names; ``heard worker --burst`` runs them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from heard.core.tasks import purge_expired_sessions

# The worker commits its own transactions (and RQ's closes connections), so the test needs real commits.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.HEARD_TASK_BACKEND == "immediate",
        reason="the immediate backend runs tasks as they are queued",
    ),
]


@pytest.fixture
def empty_queue():
    """An RQ queue left over from an earlier run must not run (or hide) this test's work."""
    if settings.HEARD_TASK_BACKEND == "rq":
        import django_rq

        queue = django_rq.get_queue("default")
        queue.empty()
        yield
        queue.empty()
    else:
        yield


def _session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["heard_organisation_id"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_the_worker_purges_expired_sessions_and_keeps_live_ones(empty_queue):
    expired = _session(timedelta(minutes=-5))
    live = _session(timedelta(minutes=25))

    purge_expired_sessions.enqueue()
    assert Session.objects.filter(session_key=expired).exists(), "a queued task must wait for the worker"

    call_command("worker", "--burst")

    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()
