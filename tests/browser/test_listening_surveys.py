"""Staff and surveys: an engagement lead builds, previews and opens one; a case handler keys in paper forms."""

from __future__ import annotations

import pytest

from heard.core.models import Role
from heard.listening.models import FeedbackItem, Survey
from heard.listening.services.surveys import question_add, survey_create, survey_status_set
from tests.browser.browsing import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Community pharmacy: tell us what matters"
FFT_QUESTION = "Overall, how was your experience of our service?"
WHEN_OPEN = "When would you most like the pharmacy to be open?"
WHY = "Tell us why"


def add_a_question(visitor: Visitor, *, section: str, kind: str, text: str, answers: str = "") -> None:
    visitor.follow(f"Add a question to {section}")
    assert visitor.heading() == f"Add a question to {section}"
    visitor.choose(kind)
    visitor.fill("Question", text)
    if answers:
        visitor.fill("Answers to choose from", answers)
    visitor.choose("Yes, this question must be answered")
    visitor.submit("Save question")
    assert visitor.main.get_by_text("Question added").is_visible()


def test_given_an_engagement_lead_when_she_builds_a_survey_then_she_can_preview_it_and_open_it_to_the_public(
    visitor: Visitor, dee
):
    visitor.start_signed_in(dee)
    visitor.follow("Surveys", within=visitor.page.get_by_role("navigation"))
    assert visitor.heading() == "Surveys"
    visitor.submit("Create a survey")  # a link styled, and announced, as a button

    visitor.fill("Title", TITLE)
    visitor.submit("Create survey")

    assert visitor.heading() == TITLE
    survey = Survey.objects.get(title=TITLE)
    assert visitor.main.get_by_text(f"Survey created. Its public address is /s/{survey.code}/").is_visible()
    add_a_question(visitor, section="Your views", kind="Friends and Family Test", text=FFT_QUESTION)

    visitor.follow("Add a section")
    visitor.fill("Section title", "Opening hours")
    visitor.submit("Save section")
    assert visitor.main.get_by_text("Section added").is_visible()
    assert visitor.main.get_by_role("heading", name="2. Opening hours").is_visible()
    add_a_question(
        visitor,
        section="Opening hours",
        kind="Single choice",
        text=WHEN_OPEN,
        answers="Early mornings\nEvenings\nWeekends",
    )
    add_a_question(visitor, section="Opening hours", kind="Free text", text=WHY)

    # The reason is asked only of people who want weekend opening.
    visitor.follow(f"When to show question: {WHY}")
    visitor.main.get_by_label("Show it depending on the answer to").select_option(label=WHEN_OPEN)
    visitor.submit("Choose this question")
    visitor.choose("Weekends")
    visitor.submit("Save skip logic")
    assert visitor.main.get_by_text("Skip logic saved").is_visible()
    assert visitor.main.get_by_text(f"Shown only when “{WHEN_OPEN}” is “Weekends”").is_visible()

    visitor.submit("Add the equality monitoring questions")
    assert visitor.main.get_by_text("Equality monitoring questions added").is_visible()
    assert visitor.main.get_by_role("heading", name="3. About you").is_visible()
    assert visitor.main.get_by_role("button", name="Add the equality monitoring questions").count() == 0

    visitor.submit("Preview")
    assert visitor.heading() == TITLE
    assert visitor.page.get_by_role("heading", name="Preview").is_visible()
    visitor.submit("Start now")
    assert visitor.heading() == "Your views"
    visitor.choose("Good")
    visitor.submit("Continue")
    assert visitor.heading() == "Opening hours"
    assert visitor.main.get_by_role("group", name=WHEN_OPEN).is_visible()
    assert visitor.main.get_by_label(WHY).count() == 0  # on a page of its own, after the choice
    visitor.follow("Back to the survey builder")
    assert FeedbackItem.objects.filter(survey=survey).count() == 0

    visitor.submit("Open the survey to the public")

    assert visitor.main.get_by_text("The survey is open to the public").is_visible()
    assert visitor.main.get_by_text("Open and taking answers").is_visible()
    public_address = visitor.main.get_by_role("link", name=f"/s/{survey.code}/")
    assert (public_address.get_attribute("href") or "").endswith(f"/s/{survey.code}/")
    assert visitor.main.get_by_role("button", name="Close the survey").is_visible()


@pytest.fixture
def paper_survey(demo_org) -> Survey:
    survey = survey_create(actor=None, organisation=demo_org, title="Pharmacy opening hours")
    section = survey.sections.get()
    question_add(actor=None, section=section, kind="fft", text=FFT_QUESTION, required=True, key="fft")
    question_add(actor=None, section=section, kind="free_text", text=WHY, key="why")
    return survey_status_set(actor=None, survey=survey, status="open")


def test_given_a_case_handler_when_she_keys_in_a_paper_form_then_the_response_is_saved_with_identifiers_removed(
    visitor: Visitor, demo_org, member_factory, paper_survey: Survey
):
    case_handler = member_factory(demo_org, "cass", Role.CASE_HANDLER)
    visitor.start_signed_in(case_handler)
    visitor.follow("Surveys", within=visitor.page.get_by_role("navigation"))
    assert visitor.main.get_by_role("link", name="Create a survey").count() == 0
    visitor.follow("Pharmacy opening hours")
    visitor.submit("Key in responses")
    assert visitor.heading() == "Key in responses"
    assert visitor.main.get_by_label("Paper form", exact=True).is_checked()

    response = visitor.submit("Save and key in the next one")
    assert response.status == 400
    summary = visitor.page.get_by_role("alert")
    assert summary.get_by_role("link", name=f"Choose an answer: {FFT_QUESTION}").is_visible()

    visitor.choose("Poor")
    visitor.fill(f"{WHY} (optional)", "Closed when I got there. Ring me on 07700 900123.")
    visitor.submit("Save and key in the next one")

    assert visitor.main.get_by_text("Response saved").is_visible()
    assert visitor.main.get_by_text("1 response keyed in so far (1 in all)").is_visible()
    assert visitor.main.get_by_label(f"{WHY} (optional)").input_value() == ""  # ready for the next form
    item = FeedbackItem.objects.get(survey=paper_survey)
    assert item.channel == "paper"
    assert item.fft_answer == "poor"
    assert item.text == "Closed when I got there. Ring me on [PHONE]."
