"""/healthz: whether Heard can reach its database and its task queue, for load balancers and monitoring."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from heard.core.tasks import task_queue_reachable


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, object]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as failure:  # a health check reports failures; it must not raise them
        checks["database"] = {"ok": False, "error": type(failure).__name__}
    ok, error = task_queue_reachable()
    checks["task_queue"] = {"ok": ok, "backend": settings.HEARD_TASK_BACKEND} | (
        {"error": error} if error else {}
    )
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503
    )
