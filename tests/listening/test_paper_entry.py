"""Staff key in paper forms, event cards, calls and interviews: one page, fast, same checks as online."""

from __future__ import annotations

from datetime import date

import pytest

from heard.core.models import Role
from heard.listening.models import Answer, FeedbackItem
from tests.listening.survey_helpers import urgent_care_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(leeds):
    return urgent_care_survey(organisation=leeds)


@pytest.fixture
def handler(leeds, member_factory):
    return member_factory(leeds, "hana", Role.CASE_HANDLER)


def test_a_case_handler_keys_in_a_paper_form_and_lands_on_a_blank_one(survey, handler, signed_in):
    client = signed_in(handler)
    page = client.get(f"/surveys/{survey.pk}/enter/").content.decode()
    assert "How was your call to NHS 111?" in page  # every question on one page
    response = client.post(
        f"/surveys/{survey.pk}/enter/",
        {
            "channel": "event_card",
            "received_on_0": "14",
            "received_on_1": "3",
            "received_on_2": "2026",
            "q-overall_how_was_your_experience": "very_good",
            "q-why": "Ask for Sam Jones on 07700 900123",
            "q-used_111": "no",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Response saved" in page
    assert "1 response keyed in so far" in page
    assert "Ask for" not in page  # a fresh blank form
    item = FeedbackItem.objects.get(survey=survey)
    assert item.channel == "event_card" and item.received_at.date() == date(2026, 3, 14)
    assert item.project == survey.project and item.source == survey.source
    text = Answer.objects.get(item=item, question__key="why").text
    assert "07700 900123" not in text and "[PHONE]" in text
    # The channel stays chosen for the next card in the pile.
    assert 'value="event_card" checked' in page


def test_keyed_in_answers_follow_the_same_rules_and_skip_logic(survey, handler, signed_in):
    client = signed_in(handler)
    response = client.post(
        f"/surveys/{survey.pk}/enter/", {"channel": "paper", "q-why": "Kept when it fails"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose an answer: Overall, how was your experience?" in page
    assert "Kept when it fails" in page
    # The 111 question is required only for those who called 111.
    client.post(
        f"/surveys/{survey.pk}/enter/",
        {"channel": "telephone", "q-overall_how_was_your_experience": "good", "q-used_111": "no"},
    )
    assert FeedbackItem.objects.get(survey=survey).channel == "telephone"
    response = client.post(
        f"/surveys/{survey.pk}/enter/",
        {"channel": "interview", "q-overall_how_was_your_experience": "good", "q-used_111": "yes"},
    )
    assert response.status_code == 400
    assert "Answer this question: How was your call to NHS 111?" in response.content.decode()


def test_leads_may_key_in_but_analysts_and_viewers_may_not(survey, bob, leeds, member_factory, signed_in):
    lead = member_factory(leeds, "erin", Role.ENGAGEMENT_LEAD)
    viewer = member_factory(leeds, "vic", Role.VIEWER)
    assert signed_in(lead).get(f"/surveys/{survey.pk}/enter/").status_code == 200
    assert signed_in(bob).get(f"/surveys/{survey.pk}/enter/").status_code == 403
    assert signed_in(viewer).post(f"/surveys/{survey.pk}/enter/", {"channel": "paper"}).status_code == 403
    assert not FeedbackItem.objects.exists()
