"""The demo organisation's survey, responses through every channel, and a workshop with its comments.

Built through the same services staff and the public use; idempotent (found by title, added only if missing).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from heard.core.models import Organisation, User
from heard.listening.models import Survey, SurveyStatus
from heard.listening.services import surveys
from heard.listening.services.responses import activity_comments_receive, survey_response_receive
from heard.projects.activity_services import activity_create
from heard.projects.models import Activity, Project

SURVEY_TITLE = "Same-day care in Leeds West: tell us what matters"
WORKSHOP_TITLE = "Community workshop at Armley library"

RESPONSES: list[tuple[str, dict[str, object]]] = [
    ("online", {"experience": "good", "why": "The pharmacist sorted it the same day.", "where": "pharmacy"}),
    (
        "online",
        {
            "experience": "poor",
            "why": "Waited four hours at the walk-in centre with my toddler.",
            "where": "urgent_treatment_centre",
            "utc_wait": "Far too long, and nowhere to sit.",
        },
    ),
    (
        "online",
        {"experience": "very_good", "why": "NHS 111 booked me a GP slot within an hour.", "where": "nhs_111"},
    ),
    (
        "paper",
        {
            "experience": "neither",
            "why": "Hard to know where to go at the weekend. Ring me on 07700 900456.",
            "where": "ae",
        },
    ),
    (
        "event_card",
        {
            "experience": "very_poor",
            "why": "Could not get through on the phone at 8am.",
            "where": "gp_practice",
        },
    ),
    ("telephone", {"experience": "good", "why": "Kind receptionist.", "where": "gp_practice"}),
    (
        "interview",
        {
            "experience": "poor",
            "why": "No interpreter was offered.",
            "where": "urgent_treatment_centre",
            "utc_wait": "We were sent home and came back the next day.",
        },
    ),
]
COMMENTS = [
    "Evening appointments would help people who work shifts.",
    "Nobody explained the difference between the walk-in centre and A&E.",
    "Buses to the urgent treatment centre stop at 7pm.",
    "More parking please.",
    "More parking please.",
]


def demo_surveys_build(*, organisation: Organisation, lead: User) -> Survey:
    # The survey belongs to the project it asks about (same-day urgent care), so "Who answered" has its people.
    project = (
        Project.objects.filter(organisation=organisation, title__startswith="Same-day").first()
        or Project.objects.filter(organisation=organisation).order_by("starts_on").first()
    )
    survey = Survey.objects.filter(organisation=organisation, title=SURVEY_TITLE).first()
    if survey is None:
        survey = surveys.survey_create(
            actor=lead,
            organisation=organisation,
            project=project,
            title=SURVEY_TITLE,
            introduction="We want to make same-day care easier to find and use. This takes about five minutes.",
            closes_at=timezone.now() + timedelta(days=60),
        )
        visit = survey.sections.get()
        surveys.section_update(actor=lead, section=visit, title="Your last visit", description="")
        surveys.question_add(
            actor=lead,
            section=visit,
            kind="fft",
            key="experience",
            required=True,
            text="Overall, how was your experience of our service?",
        )
        surveys.question_add(
            actor=lead,
            section=visit,
            kind="free_text",
            key="why",
            text="Please tell us why you gave that answer",
        )
        surveys.question_add(
            actor=lead,
            section=visit,
            kind="single_choice",
            key="where",
            text="Where did you go for care?",
            choices=surveys.choices_from_labels(
                ["GP practice", "NHS 111", "Pharmacy", "Urgent treatment centre", "A&E"]
            ),
        )
        utc = surveys.section_add(actor=lead, survey=survey, title="The urgent treatment centre")
        surveys.question_add(
            actor=lead,
            section=utc,
            kind="free_text",
            key="utc_wait",
            text="What was the wait like at the urgent treatment centre?",
            show_if_question="where",
            show_if_values=["urgent_treatment_centre"],
        )
        surveys.equality_block_add(actor=lead, survey=survey)
        surveys.survey_translation_set(
            actor=lead,
            survey=survey,
            language="cy",
            wording={
                "survey__title": "Gofal ar yr un diwrnod yng Ngorllewin Leeds: dywedwch wrthym beth sy'n bwysig"
            },
        )
        surveys.survey_status_set(actor=lead, survey=survey, status=SurveyStatus.OPEN)
    if not survey.responses.exists():
        questions = surveys.survey_questions(survey)
        for channel, answers in RESPONSES:
            survey_response_receive(
                actor=None if channel == "online" else lead,
                survey=survey,
                questions=questions,
                answers={key: str(value) for key, value in answers.items()},
                channel=channel,
            )
    if project is not None and not Activity.objects.filter(project=project, title=WORKSHOP_TITLE).exists():
        workshop = activity_create(
            actor=lead,
            project=project,
            kind="workshop",
            title=WORKSHOP_TITLE,
            held_on=project.starts_on + timedelta(days=14) if project.starts_on else timezone.localdate(),
            location="Armley library, community room",
            attendance=23,
            groups_reached=["older_people", "shift_workers", "minority_ethnic"],
            notes="Two tables, facilitated. Transport and knowing where to go came up at both.",
        )
        activity_comments_receive(actor=lead, activity=workshop, comments=COMMENTS)
    return survey
