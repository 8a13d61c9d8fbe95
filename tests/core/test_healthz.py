"""/healthz tells a load balancer whether Heard can reach its database and its task queue."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_signing_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["database"]["vendor"] in {"sqlite", "postgresql"}
    assert body["checks"]["task_queue"] == {"ok": True, "backend": settings.HEARD_TASK_BACKEND}


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_task_queue_cannot_be_reached(client, monkeypatch):
    monkeypatch.setattr("heard.core.views.health.task_queue_reachable", lambda: (False, "ConnectionError"))

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["task_queue"] == {
        "ok": False,
        "backend": settings.HEARD_TASK_BACKEND,
        "error": "ConnectionError",
    }
    assert body["checks"]["database"]["ok"] is True


def test_the_task_queue_check_names_the_failure_rather_than_raising(settings, monkeypatch):
    from heard.core import tasks

    settings.HEARD_TASK_BACKEND = "rq"

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no Redis here")

    monkeypatch.setattr("django_rq.get_connection", refuse)

    assert tasks.task_queue_reachable() == (False, "ConnectionRefusedError")
