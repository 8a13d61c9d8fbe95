"""Reads of a project's activities, always within one organisation."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from heard.core.models import Organisation
from heard.projects.models import Activity, Project


def activities_of(*, project: Project) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(project=project)
        .annotate(comment_count=Count("feedback_items"))
        .order_by("-held_on", "-id")
    )


def activity_in(*, organisation: Organisation, slug: str, activity_id: int) -> Activity:
    """Raises Activity.DoesNotExist for another organisation's activity, exactly as for one that does not exist."""
    return Activity.objects.select_related("project", "project__organisation").get(
        project__organisation=organisation, project__slug=slug, pk=activity_id
    )
