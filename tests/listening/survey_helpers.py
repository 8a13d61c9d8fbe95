"""A survey built the way an engagement lead builds one, for the survey tests."""

from __future__ import annotations

from heard.core.models import Organisation, User
from heard.listening.models import Survey, SurveyStatus
from heard.listening.services import surveys


def urgent_care_survey(
    *, organisation: Organisation, actor: User | None = None, open_it: bool = True
) -> Survey:
    """Two sections: the FFT, a comment and "did you use 111?"; then a page about 111 shown only to those who did."""
    survey = surveys.survey_create(
        actor=actor,
        organisation=organisation,
        title="Urgent care: tell us what matters",
        introduction="Five minutes.",
    )
    visit = survey.sections.get()
    surveys.question_add(
        actor=actor, section=visit, kind="fft", text="Overall, how was your experience?", required=True
    )
    surveys.question_add(actor=actor, section=visit, kind="free_text", text="Tell us why", key="why")
    surveys.question_add(
        actor=actor,
        section=visit,
        kind="single_choice",
        text="Did you call NHS 111 first?",
        key="used_111",
        choices=[{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
    )
    about_111 = surveys.section_add(actor=actor, survey=survey, title="NHS 111")
    surveys.question_add(
        actor=actor,
        section=about_111,
        kind="free_text",
        text="How was your call to NHS 111?",
        key="call_111",
        required=True,
        show_if_question="used_111",
        show_if_values=["yes"],
    )
    if open_it:
        surveys.survey_status_set(actor=actor, survey=survey, status=SurveyStatus.OPEN)
    survey.refresh_from_db()
    return survey
