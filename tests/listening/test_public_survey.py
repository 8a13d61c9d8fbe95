"""The public answer a survey at /s/<code>/ with no account: page by page, checked, sent, depersonalised."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from heard.listening.models import Answer, Channel, FeedbackItem, ResponseDraft, SurveyStatus
from heard.listening.services import surveys
from tests.listening.survey_helpers import urgent_care_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(leeds):
    return urgent_care_survey(organisation=leeds)


def _answer_first_page(client: Client, survey, **extra: str):
    data = {
        "q-overall_how_was_your_experience": "poor",
        "q-why": "Waited hours. Call me on 07700 900123.",
        **extra,
    }
    return client.post(f"/s/{survey.code}/page/1/", data)


def test_the_privacy_notice_comes_first_and_needs_no_sign_in(survey):
    page = Client().get(f"/s/{survey.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "What happens to your answers" in text
    assert "do not need to give your name" in text
    assert "Start now" in text


def test_a_draft_survey_is_not_public(leeds):
    draft = urgent_care_survey(organisation=leeds, open_it=False)
    assert Client().get(f"/s/{draft.code}/").status_code == 404


def test_a_whole_response_is_stored_once_with_answers_redacted(survey):
    client = Client()
    response = _answer_first_page(client, survey, **{"q-used_111": "yes"})
    assert response.status_code == 302 and response["Location"].endswith("/page/2/")
    response = client.post(f"/s/{survey.code}/page/2/", {"q-call_111": "Quick and helpful"})
    assert response["Location"].endswith("/check/")
    check = client.get(f"/s/{survey.code}/check/").content.decode()
    assert "Poor" in check and "Quick and helpful" in check
    done = client.post(f"/s/{survey.code}/check/", follow=True)
    assert "Thank you, your answers have been sent" in done.content.decode()
    item = FeedbackItem.objects.get(survey=survey)
    assert item.channel == Channel.ONLINE and item.source == survey.source
    assert item.fft_answer == "poor"
    assert "07700" not in item.text and "[PHONE]" in item.text
    why = Answer.objects.get(item=item, question__key="why")
    assert why.text == "Waited hours. Call me on [PHONE]."
    assert Answer.objects.get(item=item, question__key="used_111").choices == ["yes"]
    # Sending again (a double click, the back button) stores nothing more: the answers have gone from the session.
    client.post(f"/s/{survey.code}/check/")
    assert FeedbackItem.objects.filter(survey=survey).count() == 1


def test_skip_logic_skips_the_page_and_drops_its_answers(survey):
    client = Client()
    _answer_first_page(client, survey, **{"q-used_111": "yes"})
    client.post(f"/s/{survey.code}/page/2/", {"q-call_111": "An answer given before changing my mind"})
    # Changing the earlier answer hides the 111 page, which is no longer required or kept.
    response = _answer_first_page(client, survey, **{"q-used_111": "no"})
    assert response["Location"].endswith("/check/")
    assert client.get(f"/s/{survey.code}/page/2/")["Location"].endswith("/check/")
    check = client.get(f"/s/{survey.code}/check/").content.decode()
    assert "How was your call to NHS 111?" not in check
    client.post(f"/s/{survey.code}/check/")
    item = FeedbackItem.objects.get(survey=survey)
    assert not item.answers.filter(question__key="call_111").exists()


def test_a_required_question_left_blank_is_explained_and_nothing_is_lost(survey):
    client = Client()
    response = client.post(f"/s/{survey.code}/page/1/", {"q-why": "My own words"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose an answer: Overall, how was your experience?" in page
    assert "My own words" in page
    # Going straight to the check page sends people back to the page with the problem.
    assert client.get(f"/s/{survey.code}/check/")["Location"].endswith("/page/1/")


def test_an_answer_that_is_too_long_says_how_long_it_may_be(survey):
    response = Client().post(
        f"/s/{survey.code}/page/1/", {"q-overall_how_was_your_experience": "good", "q-why": "x" * 5001}
    )
    assert response.status_code == 400
    assert "5,000 characters or fewer" in response.content.decode()


def test_save_and_return_keeps_the_answers_behind_a_link_shown_once(survey):
    client = Client()
    response = _answer_first_page(client, survey, action="save")
    page = response.content.decode()
    assert "Your answers are saved" in page
    link = page.split(f"/s/{survey.code}/return/")[1].split('"')[0]
    token = link.rstrip("/")
    draft = ResponseDraft.objects.get(survey=survey)
    assert token not in draft.token_digest
    # Unsent answers are not yet redacted: they are sealed with the link itself, unreadable in the database.
    assert "Waited hours" not in str(draft.answers) and "07700" not in str(draft.answers)
    # Later, in another browser.
    later = Client()
    resumed = later.get(f"/s/{survey.code}/return/{token}/")
    assert resumed.status_code == 302
    page_one = later.get(resumed["Location"]).content.decode()
    assert "Waited hours" in page_one
    later.post(f"/s/{survey.code}/page/1/", {"q-overall_how_was_your_experience": "poor", "q-used_111": "no"})
    later.post(f"/s/{survey.code}/check/")
    assert FeedbackItem.objects.filter(survey=survey).count() == 1
    assert not ResponseDraft.objects.filter(survey=survey).exists()
    assert Client().get(f"/s/{survey.code}/return/{token}/").status_code == 404


def test_a_filled_honeypot_gets_a_thank_you_and_nothing_is_stored(survey):
    client = Client()
    _answer_first_page(client, survey, website="http://spam.example", **{"q-used_111": "no"})
    done = client.post(f"/s/{survey.code}/check/", follow=True)
    assert "Thank you, your answers have been sent" in done.content.decode()
    assert not FeedbackItem.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(survey):
    page = Client().get(f"/s/{survey.code}/page/1/").content.decode()
    assert "<div hidden>" in page and 'name="website"' in page and 'tabindex="-1"' in page


def test_over_the_rate_limit_the_answers_are_kept_and_can_be_sent_later(survey, settings):
    settings.HEARD_SURVEY_RATE_LIMIT = 3
    client = Client()
    for _ in range(3):
        _answer_first_page(client, survey, **{"q-used_111": "no"})
        client.post(f"/s/{survey.code}/check/")
    assert FeedbackItem.objects.count() == 3
    _answer_first_page(client, survey, **{"q-used_111": "no"})
    response = client.post(f"/s/{survey.code}/check/")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Please try again in a few minutes" in page
    assert "Waited hours" in page  # still shown, still in the session
    assert FeedbackItem.objects.count() == 3
    cache.clear()  # the window passes
    client.post(f"/s/{survey.code}/check/")
    assert FeedbackItem.objects.count() == 3 + 1


def test_closed_and_not_yet_open_surveys_say_so(survey):
    surveys.survey_status_set(actor=None, survey=survey, status=SurveyStatus.CLOSED)
    page = Client().get(f"/s/{survey.code}/page/1/").content.decode()
    assert "This survey has closed" in page
    survey.status = SurveyStatus.OPEN
    survey.opens_at = timezone.now() + timedelta(days=3)
    survey.save()
    assert "This survey opens on" in Client().get(f"/s/{survey.code}/").content.decode()


def test_the_public_can_read_the_welsh_and_easy_read_wording(survey, alice):
    surveys.survey_translation_set(
        actor=alice,
        survey=survey,
        language="cy",
        wording={"survey__title": "Gofal brys: dywedwch wrthym"},
    )
    fft_question = survey.sections.first().questions.get(kind="fft")
    surveys.survey_translation_set(
        actor=alice,
        survey=survey,
        language="easy",
        wording={
            "survey__title": "Urgent care: what you think",
            f"question_{fft_question.pk}__text": "Was our service good or bad?",
        },
    )
    client = Client()
    welsh = client.get(f"/s/{survey.code}/?lang=cy").content.decode()
    assert "Gofal brys: dywedwch wrthym" in welsh and 'lang="cy"' in welsh and "Dechrau nawr" in welsh
    easy = client.get(f"/s/{survey.code}/page/1/?lang=easy").content.decode()
    assert "Was our service good or bad?" in easy
    assert "English" in easy


def test_csrf_protection_stays_on_for_public_pages(survey):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/s/{survey.code}/page/1/", {"q-overall_how_was_your_experience": "good"})
    assert response.status_code == 403


def test_saving_for_later_is_limited_like_sending_and_a_bot_saves_nothing(survey, settings):
    from heard.listening.survey_forms import HONEYPOT_FIELD

    cache.clear()
    settings.HEARD_SURVEY_RATE_LIMIT = 2
    for _ in range(2):
        assert _answer_first_page(Client(), survey, action="save").status_code == 200
    refused = _answer_first_page(Client(), survey, action="save")
    assert refused.status_code == 429
    assert "Try saving again in a few minutes" in refused.content.decode()
    assert ResponseDraft.objects.filter(survey=survey).count() == 2
    cache.clear()
    bot = _answer_first_page(Client(), survey, action="save", **{HONEYPOT_FIELD: "http://spam.example"})
    assert "Your answers are saved" in bot.content.decode()
    assert ResponseDraft.objects.filter(survey=survey).count() == 2
