"""Every write to a project's activities: the workshops, events, focus groups and outreach it ran."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from heard.core.audit import audit_record
from heard.core.models import User
from heard.privacy.redaction import redact
from heard.projects.models import Activity, ActivityKind, EqualityGroup, Project


def _check(activity: Activity) -> None:
    unknown = set(activity.groups_reached) - set(EqualityGroup.values)
    if unknown:
        raise ValidationError({"groups_reached": f"Unknown groups: {', '.join(sorted(unknown))}"})
    activity.full_clean()


@transaction.atomic
def activity_create(
    *,
    actor: User | None,
    project: Project,
    kind: ActivityKind | str,
    title: str,
    held_on: date,
    location: str = "",
    attendance: int | None = None,
    groups_reached: list[str] | None = None,
    notes: str = "",
) -> Activity:
    activity = Activity(
        project=project,
        kind=kind,
        title=title,
        held_on=held_on,
        location=location,
        attendance=attendance,
        groups_reached=list(groups_reached or []),
        notes=redact(notes),
    )
    _check(activity)
    activity.save()
    audit_record(
        actor=actor,
        action="activity.created",
        organisation=project.organisation,
        target=activity,
        detail={"project": project.slug, "kind": str(kind)},
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    kind: ActivityKind | str,
    title: str,
    held_on: date,
    location: str,
    attendance: int | None,
    groups_reached: list[str],
    notes: str,
) -> Activity:
    activity.kind = kind
    activity.title = title
    activity.held_on = held_on
    activity.location = location
    activity.attendance = attendance
    activity.groups_reached = list(groups_reached)
    activity.notes = redact(notes)
    _check(activity)
    activity.save()
    audit_record(
        actor=actor,
        action="activity.changed",
        organisation=activity.project.organisation,
        target=activity,
        detail={"project": activity.project.slug},
    )
    return activity
