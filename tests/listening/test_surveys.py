"""The survey builder: engagement leads build surveys in the browser; other roles and organisations cannot."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from heard.core.models import AuditEntry, Role
from heard.listening import equality, fft
from heard.listening.models import Question, Survey, SurveyStatus
from heard.listening.services import surveys
from tests.listening.survey_helpers import urgent_care_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(leeds, member_factory):
    return member_factory(leeds, "erin", Role.ENGAGEMENT_LEAD)


@pytest.fixture
def survey(leeds, lead):
    return urgent_care_survey(organisation=leeds, actor=lead, open_it=False)


def test_a_lead_creates_a_survey_with_a_code_and_a_default_privacy_notice(
    lead, signed_in, project_factory, leeds
):
    project = project_factory(organisation=leeds, slug="urgent-care")
    client = signed_in(lead)
    form = client.get("/surveys/new/?project=urgent-care").content.decode()
    assert "do not need to give your name" in form  # the default privacy notice, ready to edit
    response = client.post(
        "/surveys/new/",
        {
            "title": "Same-day care",
            "project": project.pk,
            "introduction": "",
            "privacy_notice": "",
            "opens_on_0": "1",
            "opens_on_1": "3",
            "opens_on_2": "2026",
            "closes_on_0": "30",
            "closes_on_1": "6",
            "closes_on_2": "2026",
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get(title="Same-day care")
    assert len(survey.code) == 6 and survey.project == project and survey.status == SurveyStatus.DRAFT
    assert "do not need to give your name" in survey.privacy_notice
    assert survey.closes_at > survey.opens_at
    assert AuditEntry.objects.filter(action="survey.created", actor=lead).exists()
    page = client.get(response["Location"]).content.decode()
    assert f"/s/{survey.code}/" in page


def test_a_closing_date_before_the_opening_date_is_refused(lead, signed_in):
    response = signed_in(lead).post(
        "/surveys/new/",
        {
            "title": "Backwards",
            "opens_on_0": "2",
            "opens_on_1": "3",
            "opens_on_2": "2026",
            "closes_on_0": "1",
            "closes_on_1": "3",
            "closes_on_2": "2026",
        },
    )
    assert response.status_code == 400
    assert "The closing date must be the same as or after the opening date" in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "choices", "expected_values"),
    [
        ("single_choice", "Yes\nNo", ["yes", "no"]),
        ("multiple_choice", "GP\nNHS 111\nA&E", ["gp", "nhs_111", "ae"]),
        ("rating", "", ["1", "2", "3", "4", "5"]),
        ("likert", "", ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]),
        ("fft", "anything typed is ignored", [value for value, _ in fft.ANSWERS]),
        ("free_text", "", []),
        ("number", "", []),
        ("date", "", []),
        ("ranking", "Nearer\nSooner\nSame doctor", ["nearer", "sooner", "same_doctor"]),
    ],
)
def test_each_kind_of_question_can_be_added_in_the_browser(
    survey, lead, signed_in, kind, choices, expected_values
):
    section = survey.sections.first()
    response = signed_in(lead).post(
        f"/surveys/{survey.pk}/sections/{section.pk}/questions/new/",
        {"kind": kind, "text": f"A {kind} question", "hint": "", "choices": choices, "required": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(section=section, text=f"A {kind} question")
    assert [choice["value"] for choice in question.choices] == expected_values
    assert question.required
    # And the public see it, in the preview.
    preview = signed_in(lead).get(f"/surveys/{survey.pk}/preview/page/1/").content.decode()
    assert f"A {kind} question" in preview


def test_a_choice_question_needs_two_answers(survey, lead, signed_in):
    section = survey.sections.first()
    response = signed_in(lead).post(
        f"/surveys/{survey.pk}/sections/{section.pk}/questions/new/",
        {"kind": "single_choice", "text": "Only one?", "choices": "Yes"},
    )
    assert response.status_code == 400
    assert "Give at least two answers" in response.content.decode()


def test_questions_and_sections_move_up_and_down(survey, lead, signed_in):
    client = signed_in(lead)
    section = survey.sections.first()
    why = section.questions.get(key="why")
    client.post(f"/surveys/{survey.pk}/questions/{why.pk}/move/", {"direction": "up"})
    assert list(section.questions.values_list("key", flat=True))[:2] == [
        "why",
        "overall_how_was_your_experience",
    ]
    second = survey.sections.get(title="NHS 111")
    # The 111 section depends on an answer in the first, so it cannot move before it.
    client.post(f"/surveys/{survey.pk}/sections/{second.pk}/move/", {"direction": "up"})
    assert list(survey.sections.values_list("title", flat=True)) == ["Your views", "NHS 111"]


def test_skip_logic_is_set_in_two_steps_and_only_on_earlier_choice_questions(survey, lead, signed_in):
    client = signed_in(lead)
    why = Question.objects.get(section__survey=survey, key="why")
    step_one = client.get(f"/surveys/{survey.pk}/questions/{why.pk}/skip/").content.decode()
    assert "Overall, how was your experience?" in step_one
    assert "Did you call NHS 111 first?" not in step_one  # it comes later
    step_two = client.get(
        f"/surveys/{survey.pk}/questions/{why.pk}/skip/?show_if_question=overall_how_was_your_experience"
    ).content.decode()
    assert "Neither good nor poor" in step_two
    client.post(
        f"/surveys/{survey.pk}/questions/{why.pk}/skip/",
        {"show_if_question": "overall_how_was_your_experience", "show_if_values": ["poor", "very_poor"]},
    )
    why.refresh_from_db()
    assert why.show_if_question == "overall_how_was_your_experience" and why.show_if_values == [
        "poor",
        "very_poor",
    ]
    with pytest.raises(ValidationError):
        surveys.question_skip_logic_set(
            actor=lead, question=why, show_if_question="call_111", show_if_values=["x"]
        )


def test_the_equality_block_is_added_in_one_click_all_optional_with_prefer_not_to_say(
    survey, lead, signed_in
):
    signed_in(lead).post(f"/surveys/{survey.pk}/equality/")
    block = list(Question.objects.filter(section__survey=survey, is_equality_monitoring=True))
    assert [q.key for q in block] == [spec.key for spec in equality.QUESTIONS]
    assert not any(q.required for q in block)
    for question in block:
        if question.kind != "free_text":
            assert "prefer_not_to_say" in [choice["value"] for choice in question.choices]
    ethnic = next(q for q in block if q.key == "ethnic_group")
    categories = [choice for choice in ethnic.choices if choice["value"] != "prefer_not_to_say"]
    assert len(categories) == 19 and len({choice["group"] for choice in categories}) == 5
    limits = next(q for q in block if q.key == "condition_limits_activities")
    assert limits.show_if_question == "long_term_condition" and limits.show_if_values == ["yes"]
    # Twice is refused, not duplicated.
    signed_in(lead).post(f"/surveys/{survey.pk}/equality/")
    assert Question.objects.filter(section__survey=survey, is_equality_monitoring=True).count() == len(block)


def test_translations_are_entered_per_field(survey, lead, signed_in):
    client = signed_in(lead)
    page = client.get(f"/surveys/{survey.pk}/translations/cy/").content.decode()
    assert "Urgent care: tell us what matters" in page
    client.post(f"/surveys/{survey.pk}/translations/cy/", {"survey__title": "Gofal brys"})
    survey.refresh_from_db()
    assert survey.translations["cy"]["title"] == "Gofal brys"
    assert ("cy", "Cymraeg (Welsh)") in surveys.survey_languages(survey)


def test_the_preview_walks_the_survey_and_records_nothing(survey, lead, signed_in):
    client = signed_in(lead)
    start = client.get(f"/surveys/{survey.pk}/preview/").content.decode()
    assert "Nothing you enter is recorded" in start
    client.post(
        f"/surveys/{survey.pk}/preview/page/1/",
        {"q-overall_how_was_your_experience": "good", "q-used_111": "no"},
    )
    done = client.post(f"/surveys/{survey.pk}/preview/check/", follow=True).content.decode()
    assert "nothing was recorded" in done
    assert not survey.responses.exists()


def test_opening_needs_a_question_and_then_the_public_can_answer(leeds, lead, signed_in):
    empty = surveys.survey_create(actor=lead, organisation=leeds, title="Empty")
    client = signed_in(lead)
    client.post(f"/surveys/{empty.pk}/status/", {"status": "open"})
    empty.refresh_from_db()
    assert empty.status == SurveyStatus.DRAFT
    ready = urgent_care_survey(organisation=leeds, open_it=False)
    client.post(f"/surveys/{ready.pk}/status/", {"status": "open"})
    ready.refresh_from_db()
    assert ready.status == SurveyStatus.OPEN and ready.is_accepting()


def test_a_viewer_and_an_analyst_may_look_but_not_build(survey, leeds, bob, member_factory, signed_in):
    viewer = member_factory(leeds, "vic", Role.VIEWER)
    for person in (viewer, bob):
        client = signed_in(person)
        assert client.get("/surveys/").status_code == 200
        assert client.get(f"/surveys/{survey.pk}/").status_code == 200
        assert client.get("/surveys/new/").status_code == 403
        assert client.post(f"/surveys/{survey.pk}/equality/").status_code == 403
        assert client.post(f"/surveys/{survey.pk}/status/", {"status": "open"}).status_code == 403


def test_another_organisations_survey_is_not_found(survey, carol, signed_in):
    client = signed_in(carol)
    question = Question.objects.filter(section__survey=survey).first()
    for path in (
        f"/surveys/{survey.pk}/",
        f"/surveys/{survey.pk}/edit/",
        f"/surveys/{survey.pk}/preview/",
        f"/surveys/{survey.pk}/enter/",
        f"/surveys/{survey.pk}/questions/{question.pk}/edit/",
        f"/surveys/{survey.pk}/translations/cy/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/surveys/{survey.pk}/status/", {"status": "open"}).status_code == 404
    assert "Urgent care" not in client.get("/surveys/").content.decode()
