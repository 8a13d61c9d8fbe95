"""Every write to a project goes through ``project_create`` or ``project_update``, with its audit entry."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from heard.core import events
from heard.core.models import AuditEntry, Role
from heard.projects.models import EqualityGroup, Project, Stage
from heard.projects.services import project_create, project_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena(leeds, member_factory):
    """An engagement lead at Leeds North."""
    return member_factory(leeds, "lena", Role.ENGAGEMENT_LEAD)


@pytest.fixture
def announced(monkeypatch) -> list[tuple[str, dict]]:
    """The domain events announced, in the order their subscribers ran."""
    heard: list[tuple[str, dict]] = []
    monkeypatch.setattr(events, "_subscribers", defaultdict(list))
    for name in ("project.created", "project.stage_changed"):
        events.event_subscribe(name, lambda name=name, **payload: heard.append((name, payload)))
    return heard


def test_a_new_project_gets_a_slug_from_its_title_and_an_audit_entry(lena, leeds):
    project = project_create(
        actor=lena, organisation=leeds, title="Stroke Rehabilitation: At Home?", stage=Stage.DESIGN
    )

    assert project.slug == "stroke-rehabilitation-at-home"
    entry = AuditEntry.objects.get(action="project.created")
    assert (entry.actor, entry.organisation, entry.target_id) == (lena, leeds, str(project.pk))
    assert entry.detail == {"stage": "design"}


def test_projects_with_the_same_title_get_different_slugs(lena, leeds):
    slugs = [project_create(actor=lena, organisation=leeds, title="Urgent care").slug for _ in range(3)]

    assert slugs == ["urgent-care", "urgent-care-2", "urgent-care-3"]


def test_the_same_title_in_another_organisation_keeps_the_plain_slug(lena, leeds, carol, wakefield):
    project_create(actor=lena, organisation=leeds, title="Urgent care")

    assert project_create(actor=carol, organisation=wakefield, title="Urgent care").slug == "urgent-care"


def test_a_title_with_no_letters_or_digits_still_gets_a_slug(lena, leeds):
    assert project_create(actor=lena, organisation=leeds, title="???").slug == "project"


def test_a_project_cannot_end_before_it_starts(lena, leeds):
    with pytest.raises(ValidationError, match="The end date must be the same as or after the start date"):
        project_create(
            actor=lena,
            organisation=leeds,
            title="Backwards",
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 5, 31),
        )

    assert not Project.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_project_cannot_commit_to_a_group_that_does_not_exist(lena, leeds):
    with pytest.raises(ValidationError, match="Unknown groups: martians"):
        project_create(
            actor=lena, organisation=leeds, title="Outreach", equality_groups=["carers", "martians"]
        )

    assert not Project.objects.exists()


def test_changing_a_project_records_what_changed_and_keeps_its_address(lena, bob, leeds):
    project = project_create(actor=lena, organisation=leeds, title="Urgent care")

    project_update(
        actor=lena,
        project=project,
        title="Same-day urgent care",
        summary="Where people go first.",
        stage=Stage.SPECIFY_AND_PROCURE,
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 9, 30),
        lead=bob,
        equality_groups=[EqualityGroup.CARERS],
    )

    project.refresh_from_db()
    assert (project.title, project.stage, project.lead, project.slug) == (
        "Same-day urgent care",
        "specify_and_procure",
        bob,
        "urgent-care",
    )
    assert project.equality_group_labels() == ["Carers"]
    entry = AuditEntry.objects.get(action="project.changed")
    assert entry.actor == lena
    assert entry.detail == {
        "title": ["Urgent care", "Same-day urgent care"],
        "stage": ["understand_needs", "specify_and_procure"],
        "lead": [None, bob.pk],
    }


def test_the_stage_change_is_announced_only_once_the_change_is_saved(
    lena, leeds, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        project = project_create(actor=lena, organisation=leeds, title="Urgent care")
    assert announced == []
    for callback in pending:
        callback()

    with django_capture_on_commit_callbacks(execute=True):
        project_update(
            actor=lena,
            project=project,
            title=project.title,
            summary="",
            stage=Stage.DESIGN,
            starts_on=None,
            ends_on=None,
            lead=None,
            equality_groups=[],
        )

    assert announced == [
        ("project.created", {"project_id": project.pk}),
        ("project.stage_changed", {"project_id": project.pk, "stage": "design"}),
    ]


def test_a_change_that_leaves_the_stage_alone_announces_nothing(
    lena, leeds, announced, django_capture_on_commit_callbacks
):
    project = project_create(actor=lena, organisation=leeds, title="Urgent care")

    with django_capture_on_commit_callbacks(execute=True):
        project_update(
            actor=lena,
            project=project,
            title="Urgent care again",
            summary="",
            stage=project.stage,
            starts_on=None,
            ends_on=None,
            lead=None,
            equality_groups=[],
        )

    assert AuditEntry.objects.get(action="project.changed").detail == {
        "title": ["Urgent care", "Urgent care again"]
    }
    assert "project.stage_changed" not in [name for name, _ in announced]


def test_a_project_is_never_given_the_address_of_the_new_project_form(lena, leeds):
    assert project_create(actor=lena, organisation=leeds, title="New").slug == "new-2"
