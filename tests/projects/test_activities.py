"""Events and workshops as a project's activities, and the comments gathered there keyed in quickly."""

from __future__ import annotations

from datetime import date

import pytest

from heard.core.models import AuditEntry, Role
from heard.listening.models import Channel, FeedbackItem
from heard.projects.activity_services import activity_create
from heard.projects.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(leeds, project_factory):
    return project_factory(organisation=leeds, slug="urgent-care", title="Urgent care")


@pytest.fixture
def lead(leeds, member_factory):
    return member_factory(leeds, "erin", Role.ENGAGEMENT_LEAD)


@pytest.fixture
def workshop(project):
    return activity_create(
        actor=None,
        project=project,
        kind="workshop",
        title="Armley workshop",
        held_on=date(2026, 3, 4),
        attendance=18,
    )


def test_a_lead_records_a_workshop_on_the_project_page(project, lead, signed_in):
    client = signed_in(lead)
    assert "Record an event or workshop" in client.get("/projects/urgent-care/").content.decode()
    response = client.post(
        "/projects/urgent-care/activities/new/",
        {
            "kind": "public_event",
            "title": "Drop-in at the library",
            "held_on_0": "12",
            "held_on_1": "3",
            "held_on_2": "2026",
            "location": "Armley library",
            "attendance": "24",
            "groups_reached": ["older_people", "carers"],
            "notes": "Parking came up a lot.",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(project=project)
    assert activity.attendance == 24 and activity.groups_reached == ["older_people", "carers"]
    assert AuditEntry.objects.filter(action="activity.created", actor=lead).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Older people, Carers" in page and "24" in page
    listing = client.get("/projects/urgent-care/activities/").content.decode()
    assert "Drop-in at the library" in listing


def test_an_activity_needs_a_date_and_a_sensible_attendance(project, lead, signed_in):
    response = signed_in(lead).post(
        "/projects/urgent-care/activities/new/",
        {"kind": "workshop", "title": "No date", "attendance": "lots"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the date it was held" in page and "whole number" in page


def test_an_activity_can_be_changed(workshop, lead, signed_in):
    signed_in(lead).post(
        f"/projects/urgent-care/activities/{workshop.pk}/edit/",
        {
            "kind": "focus_group",
            "title": "Armley focus group",
            "held_on_0": "4",
            "held_on_1": "3",
            "held_on_2": "2026",
        },
    )
    workshop.refresh_from_db()
    assert workshop.kind == "focus_group" and workshop.title == "Armley focus group"


def test_comments_from_a_workshop_are_keyed_in_one_go_and_redacted(
    workshop, project, leeds, member_factory, signed_in
):
    handler = member_factory(leeds, "hana", Role.CASE_HANDLER)
    client = signed_in(handler)
    response = client.post(
        f"/projects/urgent-care/activities/{workshop.pk}/comments/",
        {"comments": "More evening appointments.\n\nRing my son on 07700 900123 about transport.\n\n"},
        follow=True,
    )
    assert "2 comments saved" in response.content.decode()
    items = FeedbackItem.objects.filter(activity=workshop).order_by("id")
    assert [item.text for item in items] == [
        "More evening appointments.",
        "Ring my son on [PHONE] about transport.",
    ]
    assert all(item.channel == Channel.WORKSHOP and item.project == project for item in items)
    assert items[0].received_at.date() == date(2026, 3, 4)
    # The same words from two people are two comments.
    client.post(
        f"/projects/urgent-care/activities/{workshop.pk}/comments/",
        {"comments": "More evening appointments."},
    )
    assert FeedbackItem.objects.filter(activity=workshop).count() == 3


def test_a_focus_group_comment_is_marked_as_such(project):
    from heard.listening.services.responses import activity_comments_receive

    group = activity_create(
        actor=None, project=project, kind="focus_group", title="Carers", held_on=date(2026, 2, 1)
    )
    (item,) = activity_comments_receive(actor=None, activity=group, comments=["Respite is hard to find"])
    assert item.channel == Channel.FOCUS_GROUP


def test_who_may_record_activities_and_key_in_comments(workshop, bob, leeds, member_factory, signed_in):
    viewer = member_factory(leeds, "vic", Role.VIEWER)
    handler = member_factory(leeds, "hana", Role.CASE_HANDLER)
    comments = f"/projects/urgent-care/activities/{workshop.pk}/comments/"
    assert signed_in(viewer).get(f"/projects/urgent-care/activities/{workshop.pk}/").status_code == 200
    assert signed_in(viewer).get("/projects/urgent-care/activities/new/").status_code == 403
    assert signed_in(handler).get("/projects/urgent-care/activities/new/").status_code == 403
    assert signed_in(handler).get(comments).status_code == 200
    assert signed_in(bob).post(comments, {"comments": "An analyst cannot add this"}).status_code == 403
    assert not FeedbackItem.objects.exists()


def test_another_organisations_activity_is_not_found(workshop, carol, signed_in):
    client = signed_in(carol)
    assert client.get(f"/projects/urgent-care/activities/{workshop.pk}/").status_code == 404
    assert client.get(f"/projects/urgent-care/activities/{workshop.pk}/comments/").status_code == 404
    assert (
        client.post(
            f"/projects/urgent-care/activities/{workshop.pk}/comments/", {"comments": "x"}
        ).status_code
        == 404
    )


def test_activity_notes_are_redacted_like_any_other_free_text(leeds):
    from datetime import date

    from heard.projects.activity_services import activity_create
    from tests.factories import ProjectFactory

    activity = activity_create(
        actor=None,
        project=ProjectFactory(organisation=leeds),
        kind="workshop",
        title="Drop-in",
        held_on=date(2026, 3, 4),
        notes="Mrs Okonkwo asked us to ring 07700 900456 about transport to ward 23.",
    )
    assert "07700 900456" not in activity.notes
    assert "Okonkwo" not in activity.notes
    assert "ward 23" in activity.notes
