"""What the reports app shows on other apps' pages. Kept apart from the builders, which import charts and
pictures, so that registering the panel at start-up imports no more than it needs."""

from __future__ import annotations

from heard.listening.models import Survey
from heard.projects.models import Project


def project_panel(project: Project) -> dict[str, object]:
    """The project page's reports panel: the consultation summary only where the project has a survey."""
    return {"project": project, "has_survey": Survey.objects.filter(project=project).exists()}
