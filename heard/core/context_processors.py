from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from heard.core.access import may
from heard.core.navigation import navigation_for


def heard(request: HttpRequest) -> dict[str, Any]:
    return {
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "organisation": getattr(request, "organisation", None),
        "membership": getattr(request, "membership", None),
        "memberships": getattr(request, "memberships", []),
        "two_factor_skipped": getattr(request, "two_factor_skipped", False),
        "navigation": navigation_for(request),
        "may": lambda permission: may(request, permission),
    }
