"""What each role may do with decisions, commitments, quotes and "you said, we did" pages."""

from __future__ import annotations

from heard.core.models import Role

EVERY_ROLE = frozenset(Role)
LEADS = frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "acting.view_decisions": EVERY_ROLE,
    # Recording a decision and linking its evidence is project work; analysts often draft the evidence.
    "acting.record_decisions": frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD, Role.ANALYST}),
    # Publishing speaks for the organisation in public: leads only.
    "acting.publish": LEADS,
    # Choosing quotes and checking them: editors are leads and analysts; the second check is another person.
    "acting.choose_quotes": frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD, Role.ANALYST}),
    "acting.check_quotes": LEADS,
}
