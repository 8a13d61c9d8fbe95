"""Every write to engagement projects."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from heard.core.audit import audit_record
from heard.core.events import event_publish
from heard.core.models import Membership, Organisation, User
from heard.projects.models import Project, Stage

RESERVED_SLUGS = frozenset({"new"})


def _unique_slug(organisation: Organisation, title: str, *, exclude_id: int | None = None) -> str:
    base = slugify(title)[:70] or "project"
    candidates = Project.objects.filter(organisation=organisation, slug__startswith=base)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    # "new" is the address of the new-project form, so a project there could never be opened.
    taken = set(candidates.values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_lead(organisation: Organisation, lead: User | None) -> None:
    if lead is not None and not Membership.objects.filter(user=lead, organisation=organisation).exists():
        raise ValidationError({"lead": "The lead must be a member of the project's organisation"})


@transaction.atomic
def project_create(
    *,
    actor: User | None,
    organisation: Organisation,
    title: str,
    summary: str = "",
    stage: Stage | str = Stage.UNDERSTAND_NEEDS,
    starts_on: date | None = None,
    ends_on: date | None = None,
    lead: User | None = None,
    equality_groups: list[str] | None = None,
    slug: str = "",
    learning: str = "",
    promotion: str = "",
) -> Project:
    _check_lead(organisation, lead)
    project = Project(
        organisation=organisation,
        slug=slug or _unique_slug(organisation, title),
        title=title,
        summary=summary,
        stage=stage,
        starts_on=starts_on,
        ends_on=ends_on,
        lead=lead,
        equality_groups=list(equality_groups or []),
        learning=learning,
        promotion=promotion,
    )
    project.full_clean()
    project.save()
    audit_record(
        actor=actor,
        action="project.created",
        organisation=organisation,
        target=project,
        detail={"stage": stage},
    )
    event_publish("project.created", project_id=project.pk)
    return project


@transaction.atomic
def project_update(
    *,
    actor: User,
    project: Project,
    title: str,
    summary: str,
    stage: Stage | str,
    starts_on: date | None,
    ends_on: date | None,
    lead: User | None,
    equality_groups: list[str],
    learning: str | None = None,
    promotion: str | None = None,
) -> Project:
    _check_lead(project.organisation, lead)
    before = {"title": project.title, "stage": project.stage, "lead": project.lead_id}
    project.title = title
    project.summary = summary
    project.stage = stage
    project.starts_on = starts_on
    project.ends_on = ends_on
    project.lead = lead
    project.equality_groups = list(equality_groups)
    if learning is not None:
        project.learning = learning
    if promotion is not None:
        project.promotion = promotion
    project.updated_at = timezone.now()
    project.full_clean()
    project.save()
    after = {"title": project.title, "stage": project.stage, "lead": project.lead_id}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    audit_record(
        actor=actor,
        action="project.changed",
        organisation=project.organisation,
        target=project,
        detail=changed,
    )
    if "stage" in changed:
        event_publish("project.stage_changed", project_id=project.pk, stage=project.stage)
    return project
