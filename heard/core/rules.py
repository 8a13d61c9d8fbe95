"""What each role may do in the core app. Each app keeps its own rules.py; ``heard.core.access`` reads them."""

from __future__ import annotations

from heard.core.models import Role

EVERY_ROLE = frozenset(Role)

PERMISSIONS: dict[str, frozenset[Role]] = {
    # The staff home and the organisation's own name and people.
    "core.view_home": EVERY_ROLE,
    "core.view_members": frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD}),
    "core.manage_members": frozenset({Role.ADMINISTRATOR}),
    # The audit log holds who saw identifiable data: administrators only.
    "core.view_audit_log": frozenset({Role.ADMINISTRATOR}),
    "core.export_audit_log": frozenset({Role.ADMINISTRATOR}),
}
