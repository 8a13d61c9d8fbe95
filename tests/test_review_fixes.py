"""Defects found in review, each pinned by the behaviour a user or an attacker would notice."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from heard.core.models import Membership, Role
from heard.listening.models import FeedbackItem
from heard.listening.services.flags import feedback_flag
from heard.listening.services.intake import IncomingFeedback, feedback_receive
from heard.privacy.vault import ContactDetails, respondent_pseudonym
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_last_administrator_cannot_be_demoted(alice, signed_in):
    client = signed_in(alice)
    own = Membership.objects.get(user=alice)
    response = client.post(f"/people/{own.pk}/", {"role": "viewer"})
    assert response.status_code == 400
    assert "at least one administrator" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMINISTRATOR


def test_an_administrator_cannot_pull_in_someone_from_another_organisation(alice, carol, signed_in):
    response = signed_in(alice).post("/people/add/", {"username": "carol", "role": "administrator"})
    assert response.status_code == 400
    assert "ask your Heard operator" in response.content.decode()
    assert not Membership.objects.filter(user=carol, organisation__slug="leeds-north").exists()


def test_an_administrator_cannot_reset_the_sign_in_of_someone_who_also_belongs_elsewhere(
    alice, wakefield, signed_in
):
    shared = UserFactory(username="sam")
    membership = MembershipFactory(user=shared, organisation=alice.memberships.get().organisation)
    MembershipFactory(user=shared, organisation=wakefield)
    from heard.core.models import AuditEntry

    signed_in(alice).post(f"/people/{membership.pk}/reset-two-factor/")
    assert not AuditEntry.objects.filter(action="two_factor.reset").exists()


def test_flag_notes_and_service_names_are_redacted(leeds, alice):
    source = FeedbackSourceFactory(organisation=leeds)
    item, _ = feedback_receive(
        actor=None,
        organisation=leeds,
        source=source,
        incoming=IncomingFeedback(
            channel="email", text="Fine", service="Ward 23, ask for Mrs Okonkwo on 07700 900555"
        ),
    )
    assert "07700 900555" not in item.service and "Ward 23" in item.service
    feedback_flag(actor=alice, item=item, flagged=True, note="Ring her back on 07700 900555")
    assert "07700 900555" not in FeedbackItem.objects.get(pk=item.pk).flag_note


def test_a_retry_without_a_date_is_recognised(leeds):
    source = FeedbackSourceFactory(organisation=leeds)
    incoming = IncomingFeedback(channel="sms", text="Brilliant nurses")
    feedback_receive(actor=None, organisation=leeds, source=source, incoming=incoming)
    _, created = feedback_receive(actor=None, organisation=leeds, source=source, incoming=incoming)
    assert not created


def test_the_same_person_has_different_pseudonyms_in_different_organisations(leeds, wakefield):
    details = ContactDetails(email="jo@example.com")
    assert respondent_pseudonym(details, organisation=leeds) != respondent_pseudonym(
        details, organisation=wakefield
    )


def test_excel_export_survives_control_characters_pasted_from_word(bob, leeds, signed_in):
    FeedbackItemFactory(organisation=leeds, text="Line one\x0bline two")
    response = signed_in(bob).get("/feedback/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[8].value for row in sheet.iter_rows(min_row=2)] == ["Line oneline two"]


def test_staff_read_answers_as_the_labels_people_chose_and_never_equality_answers(leeds, bob, signed_in):
    from heard.listening.services import surveys
    from heard.listening.services.responses import survey_response_receive
    from tests.listening.survey_helpers import urgent_care_survey

    survey = urgent_care_survey(organisation=leeds)
    surveys.equality_block_add(actor=None, survey=survey)
    questions = surveys.survey_questions(survey)
    fft = next(question for question in questions if question.kind == "fft")
    religion = next(question for question in questions if question.is_equality_monitoring)
    item = survey_response_receive(
        actor=None,
        survey=survey,
        questions=[fft, religion],
        answers={fft.key: "very_good", religion.key: religion.choices[1]["value"]},
        channel="online",
    )
    page = signed_in(bob).get(f"/feedback/{item.pk}/").content.decode()
    assert "Very good" in page and "very_good" not in page
    assert religion.text not in page
