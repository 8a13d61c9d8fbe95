"""Reads of engagement projects, always within one organisation."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from heard.core.models import Membership, Organisation, User
from heard.projects.models import Project, Stage


def projects_for(*, organisation: Organisation, stage: str = "") -> QuerySet[Project]:
    projects = Project.objects.filter(organisation=organisation).select_related("lead")
    if stage:
        projects = projects.filter(stage=stage)
    return projects.order_by("title")


def project_in(*, organisation: Organisation, slug: str) -> Project:
    """Raises Project.DoesNotExist for another organisation's project, exactly as for one that does not exist."""
    return Project.objects.select_related("lead", "organisation").get(organisation=organisation, slug=slug)


def projects_recent(*, organisation: Organisation, limit: int) -> list[Project]:
    return list(
        Project.objects.filter(organisation=organisation)
        .select_related("lead")
        .order_by("-updated_at")[:limit]
    )


def project_counts_by_stage(*, organisation: Organisation) -> list[tuple[str, int]]:
    counts = dict(
        Project.objects.filter(organisation=organisation)
        .values_list("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(label, counts.get(value, 0)) for value, label in Stage.choices]


def possible_leads(*, organisation: Organisation) -> QuerySet[User]:
    member_ids = Membership.objects.filter(organisation=organisation).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def projects_listing(*, organisation_slug: str | None = None) -> QuerySet[Project]:
    """Every project, or one organisation's, for operators at the command line."""
    projects = Project.objects.select_related("organisation")
    if organisation_slug:
        projects = projects.filter(organisation__slug=organisation_slug)
    return projects.order_by("organisation__slug", "slug")


def projects_home_panel(organisation: Organisation) -> dict[str, object]:
    """What the staff home shows of projects: the latest changed, and how many are at each stage."""
    return {
        "recent_projects": projects_recent(organisation=organisation, limit=5),
        "stage_counts": project_counts_by_stage(organisation=organisation),
    }
