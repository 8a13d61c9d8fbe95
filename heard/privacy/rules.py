"""Who may see identifiable data: only those whose work needs it, and always with a reason."""

from __future__ import annotations

from heard.core.models import Role

PERMISSIONS: dict[str, frozenset[Role]] = {
    "privacy.view_contact_details": frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD, Role.CASE_HANDLER}),
}
