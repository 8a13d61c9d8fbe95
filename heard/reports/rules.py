"""What each role may do with reports: every figure in them is protected, so every member may read them."""

from __future__ import annotations

from heard.core.models import Role

PERMISSIONS: dict[str, frozenset[Role]] = {
    "reports.view": frozenset(Role),
}
