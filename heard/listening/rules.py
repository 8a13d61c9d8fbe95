"""What each role may do with surveys and feedback."""

from __future__ import annotations

from heard.core.models import Role

STAFF_WHO_RUN_ENGAGEMENT = frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # Depersonalised feedback is for everyone who works with it.
    "listening.view_feedback": frozenset(Role),
    "listening.flag_feedback": frozenset(
        {Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD, Role.ANALYST, Role.CASE_HANDLER}
    ),
    "listening.export_feedback": frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD, Role.ANALYST}),
    # Building surveys and keying in paper responses.
    "listening.view_surveys": frozenset(Role),
    "listening.manage_surveys": STAFF_WHO_RUN_ENGAGEMENT,
    "listening.enter_responses": frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD, Role.CASE_HANDLER}),
    # Bringing in other systems' files, and the sources they arrive through.
    "listening.import_feedback": frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD, Role.ANALYST}),
    "listening.manage_sources": frozenset({Role.ADMINISTRATOR}),
    # Keys for connected systems to send feedback through the API.
    "listening.manage_api_tokens": frozenset({Role.ADMINISTRATOR}),
}
