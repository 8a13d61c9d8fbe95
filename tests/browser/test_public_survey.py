"""The public answering a survey at its short address: no account, one section a page, JavaScript optional."""

from __future__ import annotations

import re

import pytest

from heard.core.models import Organisation
from heard.listening.models import Answer, FeedbackItem, ResponseDraft, Survey
from heard.listening.services.surveys import (
    equality_block_add,
    question_add,
    section_add,
    survey_create,
    survey_status_set,
    survey_translation_set,
)
from tests.browser.browsing import Visitor
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FFT_QUESTION = "Overall, how was your experience of our service?"
WHY = "What was good, or what could be better?"
TRAVEL = "How did you get to the hospital?"
PARKING = "Where did you park?"
MADE_UP_PHONE = "07700 900123"


def open_survey(organisation: Organisation) -> Survey:
    """An open survey built the way the builder builds one: a page of views, a page about getting there with a
    question shown only to drivers, and the equality-monitoring block."""
    survey = survey_create(
        actor=None,
        organisation=organisation,
        title="Your stay on Ward 23",
        introduction="Tell us about your stay. It takes about five minutes.",
    )
    views = survey.sections.get()
    question_add(actor=None, section=views, kind="fft", text=FFT_QUESTION, required=True, key="fft")
    question_add(actor=None, section=views, kind="free_text", text=WHY, required=True, key="why")
    getting_here = section_add(actor=None, survey=survey, title="Getting here")
    question_add(
        actor=None,
        section=getting_here,
        kind="single_choice",
        text=TRAVEL,
        key="travel",
        required=True,
        choices=[
            {"value": "car", "label": "Car"},
            {"value": "bus", "label": "Bus"},
            {"value": "on_foot", "label": "On foot"},
        ],
    )
    question_add(
        actor=None,
        section=getting_here,
        kind="free_text",
        text=PARKING,
        key="parking",
        show_if_question="travel",
        show_if_values=["car"],
    )
    equality_block_add(actor=None, survey=survey)
    return survey_status_set(actor=None, survey=survey, status="open")


@pytest.fixture
def survey(db) -> Survey:
    return open_survey(OrganisationFactory(name="Calderdale Hospitals", slug="calderdale", kind="trust"))


def page_caption(visitor: Visitor) -> str:
    return visitor.main.locator(".nhsuk-caption-l").inner_text().strip()


def check_rows(visitor: Visitor) -> dict[str, str]:
    rows = visitor.main.locator(".nhsuk-summary-list__row")
    return {
        row.locator("dt").inner_text().strip(): row.locator(".nhsuk-summary-list__value").inner_text().strip()
        for row in rows.all()
    }


def answer_the_first_page(visitor: Visitor) -> None:
    visitor.choose("Very good")
    visitor.fill(WHY, f"The nurse rang me on {MADE_UP_PHONE} to check I got home safely.")
    visitor.submit("Continue")


def test_given_an_open_survey_when_someone_answers_it_then_skip_logic_hides_a_question_and_free_text_is_redacted(
    visitor: Visitor, survey: Survey
):
    visitor.visit(f"/s/{survey.code}/")
    assert visitor.heading() == "Your stay on Ward 23"
    assert visitor.main.get_by_role("heading", name="What happens to your answers").is_visible()
    assert visitor.main.get_by_text("You do not need to give your name").is_visible()
    visitor.submit("Start now")  # a link styled, and announced, as a button

    assert visitor.heading() == "Your views"
    assert page_caption(visitor) == "Page 1 of 4"
    visitor.choose("Very good")
    response = visitor.submit("Continue")

    assert response.status == 400
    assert visitor.page.title().startswith("Error: ")
    summary = visitor.page.get_by_role("alert")
    problem = summary.get_by_role("link", name=f"Answer this question: {WHY}")
    assert problem.get_attribute("href") == "#q-why"
    problem.click()  # the same page: the link moves focus to the answer box
    assert visitor.page.evaluate("document.activeElement.id") == "q-why"
    assert visitor.main.get_by_label("Very good", exact=True).is_checked()  # nothing typed is lost

    answer_the_first_page(visitor)
    assert visitor.heading() == "Getting here"
    assert page_caption(visitor) == "Page 2 of 4"
    visitor.choose("Bus")
    visitor.submit("Continue")

    # Only drivers are asked where they parked: the next page is the equality monitoring.
    assert visitor.heading() == "About you"
    assert page_caption(visitor) == "Page 3 of 4"
    assert visitor.main.get_by_text(PARKING).count() == 0
    assert visitor.main.get_by_text("Every question is optional").is_visible()
    visitor.choose("35 to 44")
    visitor.submit("Continue")
    assert page_caption(visitor) == "Page 4 of 4"
    visitor.submit("Continue")

    assert visitor.heading() == "Check your answers before sending them"
    answers = check_rows(visitor)
    assert answers[FFT_QUESTION] == "Very good"
    assert MADE_UP_PHONE in answers[WHY]  # the person sees what they typed; it is redacted when stored
    assert answers[TRAVEL] == "Bus"
    assert answers["What is your age?"] == "35 to 44"
    assert answers["What is your sex?"] == "Not answered"
    assert PARKING not in answers
    visitor.submit("Send my answers")

    assert visitor.main.get_by_role("heading", name="Thank you, your answers have been sent").is_visible()
    item = FeedbackItem.objects.get(survey=survey)
    assert item.channel == "online"
    assert item.fft_answer == "very_good"
    assert "[PHONE]" in item.text
    assert MADE_UP_PHONE not in item.text
    stored = {answer.question.key: answer for answer in Answer.objects.filter(item=item)}
    assert stored["why"].text == "The nurse rang me on [PHONE] to check I got home safely."
    assert stored["travel"].choices == ["bus"]
    assert stored["age_band"].choices == ["35_44"]
    assert "parking" not in stored


def test_given_no_javascript_when_a_driver_answers_then_the_parking_question_shows_on_its_own_page(
    visitor_without_javascript: Visitor, survey: Survey
):
    visitor = visitor_without_javascript
    visitor.visit(f"/s/{survey.code}/")
    visitor.submit("Start now")
    answer_the_first_page(visitor)

    visitor.choose("Car")
    visitor.submit("Continue")

    assert visitor.heading() == "Getting here"
    assert page_caption(visitor) == "Page 3 of 5"
    visitor.fill(f"{PARKING} (optional)", "The multi-storey by the main entrance")
    visitor.submit("Continue")
    assert visitor.heading() == "About you"
    visitor.submit("Continue")
    visitor.submit("Continue")

    answers = check_rows(visitor)
    assert answers[TRAVEL] == "Car"
    assert answers[PARKING] == "The multi-storey by the main entrance"
    visitor.submit("Send my answers")

    assert visitor.main.get_by_role("heading", name="Thank you, your answers have been sent").is_visible()
    item = FeedbackItem.objects.get(survey=survey)
    assert MADE_UP_PHONE not in item.text
    parking = Answer.objects.get(item=item, question__key="parking")
    assert parking.text == "The multi-storey by the main entrance"


def test_given_a_welsh_translation_when_someone_asks_for_welsh_then_the_survey_and_its_buttons_are_in_welsh(
    visitor: Visitor, survey: Survey
):
    views = survey.sections.get(position=1)
    why = views.questions.get(key="why")
    survey_translation_set(
        actor=None,  # type: ignore[arg-type]
        survey=survey,
        language="cy",
        wording={
            "survey__title": "Eich arhosiad ar Ward 23",
            f"section_{views.pk}__title": "Eich barn",
            f"question_{why.pk}__text": "Beth oedd yn dda, neu beth allai fod yn well?",
        },
    )

    visitor.visit(f"/s/{survey.code}/?lang=cy")

    assert visitor.page.locator("html").get_attribute("lang") == "cy"
    assert visitor.heading() == "Eich arhosiad ar Ward 23"
    assert visitor.main.get_by_role("heading", name="Beth sy’n digwydd i’ch atebion").is_visible()
    language_choice = visitor.page.get_by_role("navigation", name="Darllen yr arolwg hwn yn")
    assert language_choice.get_by_role("link", name="English (Saesneg)").is_visible()
    visitor.submit("Dechrau nawr")

    assert visitor.heading() == "Eich barn"
    assert page_caption(visitor) == "Tudalen 1 o 4"
    assert visitor.main.get_by_label("Beth oedd yn dda, neu beth allai fod yn well?").is_visible()
    response = visitor.submit("Parhau")
    assert response.status == 400
    assert visitor.page.get_by_role("alert").get_by_text("Mae problem wedi codi").is_visible()

    visitor.follow("English (Saesneg)")
    assert visitor.page.locator("html").get_attribute("lang") == "en"
    assert visitor.heading() == "Your views"


def test_given_answers_saved_for_later_when_the_return_link_is_opened_elsewhere_then_they_are_all_there(
    visitor: Visitor, another_visitor: Visitor, survey: Survey
):
    visitor.visit(f"/s/{survey.code}/")
    visitor.submit("Start now")
    answer_the_first_page(visitor)
    visitor.choose("Car")
    visitor.submit("Save and come back later")

    assert visitor.heading() == "Your answers are saved"
    link = visitor.main.locator(".heard-secret a").inner_text().strip()
    assert re.fullmatch(rf"http://[^/]+/s/{survey.code}/return/[\w-]+/", link)
    assert ResponseDraft.objects.filter(survey=survey).count() == 1

    # Later, on another computer.
    another_visitor.visit("/s/" + link.split("/s/", 1)[1])
    assert another_visitor.heading() == "Getting here"
    assert another_visitor.main.get_by_label("Car", exact=True).is_checked()
    another_visitor.follow("Back")
    assert another_visitor.main.get_by_label("Very good", exact=True).is_checked()
    assert MADE_UP_PHONE in another_visitor.main.get_by_label(WHY).input_value()


def test_given_a_closed_survey_when_someone_opens_its_address_then_they_are_told_it_has_closed(
    visitor: Visitor, survey: Survey
):
    survey_status_set(actor=None, survey=survey, status="closed")

    visitor.visit(f"/s/{survey.code}/")

    assert visitor.heading() == "Your stay on Ward 23"
    assert visitor.main.get_by_text("This survey has closed").is_visible()
    assert visitor.main.get_by_role("button", name="Start now").count() == 0

    visitor.visit(f"/s/{survey.code}/page/1/")
    assert visitor.main.get_by_text("This survey has closed").is_visible()
    assert visitor.main.get_by_role("textbox").count() == 0
