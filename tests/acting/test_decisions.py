"""Decisions and commitments with their evidence, traceable both ways, with reminders before their dates."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from heard.acting import selectors, services
from heard.acting.models import Decision, DecisionStatus, Reminder
from heard.acting.reminders import reminder_due, reminders_send
from heard.core.models import AuditEntry
from heard.listening.models import Answer, Question, SurveySection
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


def test_a_commitment_links_to_its_evidence_and_every_voice_is_counted_once(world, alice) -> None:  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice,
        project=world["project"],
        title="Evening appointments",
        we_did="Open the clinic until 8pm on Tuesdays and Thursdays.",
        due_on=date(2027, 1, 31),
    )
    services.evidence_add(actor=alice, decision=decision, target=world["waiting"])
    services.evidence_add(actor=alice, decision=decision, target=world["drop_in"])
    # A comment already counted through its theme is not counted twice.
    services.evidence_add(actor=alice, decision=decision, target=world["waits"][0], note="Said it best")

    voices = selectors.decision_voices(decision=decision)
    assert voices.count() == 12 + 3
    assert set(voices) == set(world["waits"]) | set(world["at_drop_in"])
    rows = {row.evidence.kind: row.comments for row in selectors.evidence_rows(decision=decision)}
    assert rows == {"theme": 12, "activity": 3, "comment": 1}
    assert (
        AuditEntry.objects.filter(action="decision.evidence_added", target_id=str(decision.pk)).count() == 3
    )

    # The other way: each voice leads back to the decision; a comment outside the project does not.
    for item in [*world["waits"], *world["at_drop_in"]]:
        assert list(selectors.decisions_fed_by(item=item)) == [decision]
    assert list(selectors.decisions_fed_by(item=world["elsewhere"][0])) == []


def test_a_theme_across_the_organisation_in_the_projects_dates(world, alice) -> None:  # type: ignore[no-untyped-def]
    project = world["project"]
    project.starts_on, project.ends_on = date(2026, 3, 1), date(2026, 3, 31)
    project.save()
    decision = services.decision_record(
        actor=alice, project=project, title="Shorter waits", we_did="Add a clinic.", due_on=date(2027, 1, 1)
    )
    services.evidence_add(actor=alice, decision=decision, target=world["waiting"], scope="organisation")
    assert selectors.decision_voices(decision=decision).count() == 12 + 2
    assert list(selectors.decisions_fed_by(item=world["elsewhere"][1])) == [decision]


def test_survey_question_answers_are_voices(world, alice, leeds) -> None:  # type: ignore[no-untyped-def]
    from heard.listening.models import Survey

    survey = Survey.objects.create(
        organisation=leeds,
        project=world["project"],
        source=world["waits"][0].source,
        code="evening",
        title="Evenings",
    )
    section = SurveySection.objects.create(survey=survey, title="Times")
    question = Question.objects.create(
        section=section, key="best-time", kind="free_text", text="What time suits you?"
    )
    Answer.objects.create(item=world["elsewhere"][0], question=question, text="After work")
    decision = services.decision_record(
        actor=alice, project=world["project"], title="Evenings", we_did="Open later.", due_on=date(2027, 1, 1)
    )
    services.evidence_add(actor=alice, decision=decision, target=question)
    assert list(selectors.decision_voices(decision=decision)) == [world["elsewhere"][0]]
    assert list(selectors.decisions_fed_by(item=world["elsewhere"][0])) == [decision]
    assert selectors.evidence_rows(decision=decision, with_results=True)[0].results == [("Answered", 1)]

    # A choice question's results come answer by answer, by the labels people saw, in the question's order.
    choice = Question.objects.create(
        section=section,
        key="when",
        kind="single_choice",
        text="When would you come?",
        choices=[{"value": "evening", "label": "Evenings"}, {"value": "weekend", "label": "Weekends"}],
    )
    for item, value in zip(world["waits"][:3], ["weekend", "evening", "weekend"], strict=True):
        Answer.objects.create(item=item, question=choice, choices=[value])
    services.evidence_add(actor=alice, decision=decision, target=choice)
    rows = {row.label: row.results for row in selectors.evidence_rows(decision=decision, with_results=True)}
    assert rows["When would you come? (Evenings)"] == [("Evenings", 1), ("Weekends", 2)]


def test_evidence_from_another_organisation_is_refused(world, alice, wakefield) -> None:  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice, project=world["project"], title="T", we_did="W", due_on=date(2027, 1, 1)
    )
    theirs = FeedbackItemFactory(organisation=wakefield, text="Someone else's comment")
    with pytest.raises(ValidationError, match="could not be found"):
        services.evidence_add(actor=alice, decision=decision, target=theirs)
    with pytest.raises(ValidationError, match="already linked"):
        services.evidence_add(actor=alice, decision=decision, target=world["waiting"])
        services.evidence_add(actor=alice, decision=decision, target=world["waiting"])


def test_status_rules(world, alice) -> None:  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice, project=world["project"], title="T", we_did="W", due_on=date(2027, 1, 1)
    )
    with pytest.raises(ValidationError, match="why it was not done"):
        services.decision_update(
            actor=alice, decision=decision, status=DecisionStatus.NOT_DONE, status_reason=" "
        )
    decision.refresh_from_db()
    services.decision_update(actor=alice, decision=decision, status=DecisionStatus.DONE)
    assert decision.done_on == timezone.localdate()
    made = services.decision_record(
        actor=alice,
        project=world["project"],
        kind="decided",
        title="D",
        we_did="Decided",
        decided_on=date(2026, 5, 1),
    )
    assert made.status == DecisionStatus.DONE and made.done_on == date(2026, 5, 1)


def test_reminders_two_weeks_three_days_and_overdue_each_sent_once(world, alice) -> None:  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice,
        project=world["project"],
        title="Evening appointments",
        we_did="Open later.",
        owner=alice,
        due_on=date(2027, 1, 31),
    )
    assert reminder_due(decision, date(2027, 1, 1)) == ""
    assert reminders_send(today=date(2027, 1, 20)) == 1
    assert reminders_send(today=date(2027, 1, 21)) == 0  # two-week reminder already sent
    assert reminders_send(today=date(2027, 1, 29)) == 1
    assert reminders_send(today=date(2027, 2, 1)) == 1
    assert reminders_send(today=date(2027, 2, 2)) == 0
    assert [message.subject for message in mail.outbox] == [
        "Commitment due in two weeks: Evening appointments",
        "Commitment due in three days: Evening appointments",
        "Overdue commitment: Evening appointments",
    ]
    assert mail.outbox[0].to == [alice.email]
    assert f"/projects/evening-clinics/decisions/{decision.pk}/" in mail.outbox[0].body
    # A new date earns new reminders; a done commitment earns none.
    services.decision_update(actor=alice, decision=decision, due_on=date(2027, 3, 1))
    assert reminders_send(today=date(2027, 2, 20)) == 1
    services.decision_update(actor=alice, decision=decision, status=DecisionStatus.DONE)
    assert reminders_send(today=date(2027, 3, 2)) == 0
    assert Reminder.objects.filter(decision=decision).count() == 4


def test_pages_record_link_and_show_both_ways(world, alice, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(alice)
    response = client.post(
        "/projects/evening-clinics/decisions/new/",
        {
            "kind": "commitment",
            "title": "Evening appointments",
            "you_said": "Appointments clash with work.",
            "we_did": "Open until 8pm twice a week.",
            "owner_name": "Planned care team",
            "owner": str(alice.pk),
            "due_on_0": "31",
            "due_on_1": "1",
            "due_on_2": "2027",
            "status": "planned",
        },
    )
    decision = Decision.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/projects/evening-clinics/decisions/{decision.pk}/"
    )
    response = client.post(
        f"/projects/evening-clinics/decisions/{decision.pk}/evidence/",
        {"theme": str(world["waiting"].pk), "scope": "project"},
    )
    assert response.status_code == 302
    page = client.get(f"/projects/evening-clinics/decisions/{decision.pk}/").content.decode()
    assert "Waiting and timeliness" in page and "12 comments through the evidence above" in page
    comment_page = signed_in(bob).get(f"/feedback/{world['waits'][3].pk}/").content.decode()
    assert "Decisions this comment fed" in comment_page and "Evening appointments" in comment_page
    project_page = client.get("/projects/evening-clinics/").content.decode()
    assert "Evening appointments" in project_page
    # A commitment without a date is refused with a message naming the field.
    response = client.post(
        "/projects/evening-clinics/decisions/new/",
        {"kind": "commitment", "title": "X", "we_did": "Y", "status": "planned"},
    )
    assert response.status_code == 400 and "Enter the date it will be done by" in response.content.decode()


def test_another_organisation_cannot_see_or_change_a_decision(world, alice, carol, signed_in) -> None:  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice, project=world["project"], title="T", we_did="W", due_on=date(2027, 1, 1)
    )
    client = signed_in(carol)
    assert client.get(f"/projects/evening-clinics/decisions/{decision.pk}/").status_code == 404
    assert client.post(f"/projects/evening-clinics/decisions/{decision.pk}/publish/").status_code == 404


def test_a_viewer_reads_but_cannot_record_or_publish(world, alice, leeds, member_factory, signed_in) -> None:  # type: ignore[no-untyped-def]
    viewer = member_factory(leeds, "victor", "viewer")
    decision = services.decision_record(
        actor=alice, project=world["project"], title="T", we_did="W", due_on=date(2027, 1, 1)
    )
    client = signed_in(viewer)
    assert client.get(f"/projects/evening-clinics/decisions/{decision.pk}/").status_code == 200
    assert client.get("/projects/evening-clinics/decisions/new/").status_code == 403
    assert client.post(f"/projects/evening-clinics/decisions/{decision.pk}/publish/").status_code == 403
    assert Decision.objects.get().published_at is None


def test_the_home_page_lists_commitments_due(world, alice, signed_in) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    services.decision_record(
        actor=alice,
        project=world["project"],
        title="Overdue one",
        we_did="W",
        due_on=date(today.year - 1, 1, 1),
    )
    services.decision_record(
        actor=alice, project=world["project"], title="Far off", we_did="W", due_on=date(today.year + 2, 1, 1)
    )
    page = signed_in(alice).get("/", follow=True).content.decode()
    assert "Overdue one" in page and "overdue" in page and "Far off" not in page
