"""What each role may do with codebooks, coding and theme models."""

from __future__ import annotations

from heard.core.models import Role

ANALYSTS = frozenset({Role.ADMINISTRATOR, Role.ENGAGEMENT_LEAD, Role.ANALYST})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # Themes and what the models found are for everyone who works with feedback.
    "understanding.view_themes": frozenset(Role),
    # Writing the codebook, coding comments, training models and reviewing their suggestions.
    "understanding.manage_codebooks": ANALYSTS,
    "understanding.code_comments": ANALYSTS,
    "understanding.train_models": ANALYSTS,
}
