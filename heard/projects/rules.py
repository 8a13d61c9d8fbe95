"""What each role may do with engagement projects."""

from __future__ import annotations

from heard.core.models import Role

PERMISSIONS: dict[str, frozenset[Role]] = {
    "projects.view": frozenset(Role),
    "projects.create": frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD}),
    "projects.change": frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD}),
}
