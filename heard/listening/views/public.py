"""Public survey pages at /s/<code>/: no account, no JavaScript, one section at a time.

The same views serve the staff preview (``preview=True``), which walks the survey exactly as the public would
and records nothing. Answers in progress live in the session, as typed, until the person sends them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from heard.core.middleware import client_ip
from heard.listening import survey_selectors
from heard.listening.models import Channel, Question, QuestionKind, Survey
from heard.listening.services import responses
from heard.listening.services.surveys import RIGHT_TO_LEFT, survey_languages, survey_questions
from heard.listening.survey_forms import (
    HONEYPOT_FIELD,
    TEXT_ANSWER_LIMIT,
    AnswersForm,
    RawAnswers,
    SurveyPage,
    answer_in_words,
    field_name,
    raw_from_post,
    survey_pages,
    survey_walk,
    wording,
)

# Generous: a library computer or a ward tablet may send many genuine responses; a robot sends far more.
RATE_LIMIT = 30
RATE_WINDOW_SECONDS = 600

ENGLISH = {
    "start": "Start now",
    "continue_": "Continue",
    "back": "Back",
    "save": "Save and come back later",
    "check": "Check your answers before sending them",
    "send": "Send my answers",
    "change": "Change",
    "not_answered": "Not answered",
    "optional": "(optional)",
    "or_": "or",
    "problem": "There is a problem",
    "select_all": "Select all that apply.",
    "text_limit": f"You can write up to {TEXT_ANSWER_LIMIT:,} characters. Do not include names or contact details.",
    "date_hint": "For example, 27 3 2026",
    "day": "Day",
    "month": "Month",
    "year": "Year",
    "rank_hint": "Give your first choice 1, your second 2, and so on.",
    "not_ranked": "Not ranked",
    "privacy": "What happens to your answers",
    "thanks": "Thank you, your answers have been sent",
    "thanks_body": "We read every response. What people tell us is used to improve services, and we will "
    "publish what we heard and what we did about it.",
    "language": "Read this survey in",
    "english": "English",
    "page_of": "Page {n} of {total}",
}
WELSH = {
    **ENGLISH,
    "start": "Dechrau nawr",
    "continue_": "Parhau",
    "back": "Yn ôl",
    "save": "Cadw a dod yn ôl yn nes ymlaen",
    "check": "Gwirio eich atebion cyn eu hanfon",
    "send": "Anfon fy atebion",
    "change": "Newid",
    "not_answered": "Heb ei ateb",
    "optional": "(dewisol)",
    "or_": "neu",
    "problem": "Mae problem wedi codi",
    "select_all": "Dewiswch bob un sy’n berthnasol.",
    "day": "Diwrnod",
    "month": "Mis",
    "year": "Blwyddyn",
    "privacy": "Beth sy’n digwydd i’ch atebion",
    "thanks": "Diolch, mae eich atebion wedi cael eu hanfon",
    "language": "Darllen yr arolwg hwn yn",
    "english": "English (Saesneg)",
    "page_of": "Tudalen {n} o {total}",
}
EASY_READ = {
    **ENGLISH,
    "start": "Start",
    "save": "Save my answers and finish later",
    "check": "Look at your answers",
    "send": "Send my answers",
    "optional": "(you do not have to answer)",
    "text_limit": "Please do not write your name, address or phone number.",
    "privacy": "What we do with your answers",
    "thanks": "Thank you. We have your answers.",
    "thanks_body": "We will read what you said. We will use it to make services better.",
}
CHROME = {"": ENGLISH, "cy": WELSH, "easy": EASY_READ}


@dataclass
class Flow:
    """One walk through a survey: the public one, or a member of staff's preview."""

    survey: Survey
    preview: bool
    request: HttpRequest

    @property
    def session_key(self) -> str:
        return f"heard-{'preview' if self.preview else 'survey'}-{self.survey.pk}"

    @property
    def state(self) -> dict[str, Any]:
        return self.request.session.get(self.session_key) or {"raw": {}}

    def keep(self, state: dict[str, Any]) -> None:
        self.request.session[self.session_key] = state

    def forget(self) -> None:
        self.request.session.pop(self.session_key, None)

    def url(self, step: str, *args: object) -> str:
        if self.preview:
            return reverse(f"listening:survey_preview_{step}", args=[self.survey.pk, *args])
        return reverse(f"public:survey_{step}", args=[self.survey.code, *args])

    def language(self) -> str:
        """The language asked for with ?lang= (kept for the rest of the visit), if the survey has it."""
        available = {code for code, _ in survey_languages(self.survey)}
        state = self.state
        asked = self.request.GET.get("lang")
        if asked is not None:
            state["lang"] = asked if asked in available else ""
            self.keep(state)
        chosen = state.get("lang", "")
        return chosen if chosen in available else ""


def _context(flow: Flow, language: str, **extra: Any) -> dict[str, Any]:
    survey = flow.survey
    return {
        "survey": survey,
        "flow": flow,
        "preview": flow.preview,
        "language": language,
        "languages": survey_languages(survey),
        "words": CHROME.get(language, ENGLISH),
        "wording": wording,
        "title": wording(survey, "title", language),
        "htmlLang": "en" if language in {"", "easy"} else language,
        "htmlAttributes": {"dir": "rtl"} if language in RIGHT_TO_LEFT else {},
        **extra,
    }


def _public_survey(code: str) -> Survey:
    try:
        return survey_selectors.survey_public(code=code)
    except Survey.DoesNotExist:
        raise Http404("No such survey") from None


def _not_accepting(flow: Flow, language: str) -> HttpResponse | None:
    if flow.preview or flow.survey.is_accepting():
        return None
    survey = flow.survey
    not_yet_open = (
        survey.status == "open" and survey.opens_at is not None and survey.opens_at > timezone.now()
    )
    return render(
        flow.request, "public/survey_closed.jinja", _context(flow, language, not_yet_open=not_yet_open)
    )


def _initial_from_raw(questions: list[Question], raw: RawAnswers) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for question in questions:
        name = field_name(question)
        if question.kind == QuestionKind.DATE or question.kind == QuestionKind.RANKING:
            size = 3 if question.kind == QuestionKind.DATE else len(question.choices)
            parts = [(raw.get(f"{name}_{i}") or [""])[0] for i in range(size)]
            if any(parts):
                initial[name] = parts
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            if raw.get(name):
                initial[name] = raw[name]
        elif raw.get(name):
            initial[name] = raw[name][0]
    return initial


def _page_numbers(
    flow: Flow, pages: list[SurveyPage], raw: RawAnswers, language: str
) -> tuple[list[int], Any]:
    walk = survey_walk(pages, raw, language=language)
    return [page.number for page in walk.shown_pages], walk


# The steps, shared by the public and the preview.


def start_step(flow: Flow) -> HttpResponse:
    language = flow.language()
    closed = _not_accepting(flow, language)
    if closed:
        return closed
    state = flow.state
    return render(
        flow.request,
        "public/survey_start.jinja",
        _context(
            flow, language, resuming=bool(state.get("raw")), first_page=flow.url("page", state.get("page", 1))
        ),
    )


def page_step(flow: Flow, number: int) -> HttpResponse:
    request = flow.request
    language = flow.language()
    closed = _not_accepting(flow, language)
    if closed:
        return closed
    pages = survey_pages(survey_questions(flow.survey))
    state = flow.state
    raw: RawAnswers = state.get("raw") or {}
    shown, walk = _page_numbers(flow, pages, raw, language)
    if not shown:
        raise Http404("This survey has no questions yet")
    if number not in shown:
        # Skip logic hides this page now: go on to the next page that shows, or to the check page.
        later = [n for n in shown if n > number]
        return redirect(flow.url("page", later[0]) if later else flow.url("check"))
    page = pages[number - 1]
    visible = [question for question in page.questions if question in walk.shown_questions]
    form = AnswersForm(questions=visible, language=language, initial=_initial_from_raw(visible, raw))
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD):
            state["suspect"] = True
        typed = raw_from_post(request.POST, page.questions)
        names = {field_name(question) for question in page.questions}
        raw = {
            key: value
            for key, value in raw.items()
            if key not in names and key.rsplit("_", 1)[0] not in names
        }
        raw.update(typed)
        state.update(raw=raw, page=number)
        flow.keep(state)
        if request.POST.get("action") == "save":
            return _save_for_later(flow, language, state)
        form = AnswersForm(request.POST, questions=visible, language=language)
        if form.is_valid():
            shown, _ = _page_numbers(flow, pages, raw, language)
            later = [n for n in shown if n > number]
            return redirect(flow.url("page", later[0]) if later else flow.url("check"))
        status = 400
    earlier = [n for n in shown if n < number]
    return render(
        request,
        "public/survey_page.jinja",
        _context(
            flow,
            language,
            page=page,
            form=form,
            back_url=flow.url("page", earlier[-1]) if earlier else flow.url("start"),
            position=shown.index(number) + 1,
            page_total=len(shown),
        ),
        status=status,
    )


def _save_for_later(flow: Flow, language: str, state: dict[str, Any]) -> HttpResponse:
    link = ""
    too_many = False
    if state.get("suspect"):
        # A filled honeypot: answer as usual, keep nothing.
        link = flow.request.build_absolute_uri(reverse("public:survey_start", args=[flow.survey.code]))
    elif not flow.preview and _rate_limited(flow, what="saves"):
        # Saved copies are kept for weeks, so they are limited like submissions; the answers stay in this browser.
        too_many = True
    elif not flow.preview:
        answers = {**state["raw"], "__page": [str(state.get("page", 1))]}
        token = responses.response_draft_save(
            survey=flow.survey, answers=answers, replacing=state.get("draft", "")
        )
        state["draft"] = responses.response_draft_digest(token)
        flow.keep(state)
        link = flow.request.build_absolute_uri(
            reverse("public:survey_return", args=[flow.survey.code, token])
        )
    return render(
        flow.request,
        "public/survey_saved.jinja",
        _context(flow, language, link=link, too_many=too_many, expires_days=responses.DRAFT_LIFETIME.days),
        status=429 if too_many else 200,
    )


def _rate_limited(flow: Flow, what: str = "submissions") -> bool:
    """Counts submissions (or saves) per address per survey in a fixed window; True when this one is over."""
    address = hashlib.sha256((client_ip(flow.request) or "unknown").encode()).hexdigest()[:24]
    key = f"heard:survey-{what}:{flow.survey.pk}:{address}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    return count > getattr(settings, "HEARD_SURVEY_RATE_LIMIT", RATE_LIMIT)


def check_step(flow: Flow) -> HttpResponse:
    request = flow.request
    language = flow.language()
    closed = _not_accepting(flow, language)
    if closed:
        return closed
    pages = survey_pages(survey_questions(flow.survey))
    state = flow.state
    raw: RawAnswers = state.get("raw") or {}
    walk = survey_walk(pages, raw, language=language)
    if not walk.shown_pages:
        raise Http404("This survey has no questions yet")
    if walk.first_invalid is not None:
        return redirect(flow.url("page", walk.first_invalid.number))
    status = 200
    rate_limited = False
    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD) or state.get("suspect"):
            # A robot: it sees the same thank-you as everyone, and nothing is stored.
            flow.forget()
            return redirect(flow.url("done"))
        if flow.preview:
            flow.forget()
            return redirect(flow.url("done"))
        if _rate_limited(flow):
            rate_limited, status = True, 429
        else:
            responses.survey_response_receive(
                actor=None,
                survey=flow.survey,
                questions=walk.shown_questions,
                answers=walk.answers,
                channel=Channel.ONLINE,
            )
            if state.get("draft"):
                responses.response_draft_discard(survey=flow.survey, digest=state["draft"])
            flow.forget()
            return redirect(flow.url("done"))
    words = CHROME.get(language, ENGLISH)
    page_of = {question.pk: page.number for page in walk.shown_pages for question in page.questions}
    rows = [
        {
            "question": wording(question, "text", language),
            "answer": answer_in_words(question, walk.answers.get(question.key), language)
            or words["not_answered"],
            "change": flow.url("page", page_of[question.pk]),
        }
        for question in walk.shown_questions
    ]
    last_page = walk.shown_pages[-1].number
    return render(
        request,
        "public/survey_check.jinja",
        _context(flow, language, rows=rows, rate_limited=rate_limited, back_url=flow.url("page", last_page)),
        status=status,
    )


def done_step(flow: Flow) -> HttpResponse:
    language = flow.language()
    return render(flow.request, "public/survey_done.jinja", _context(flow, language))


# Public addresses.


@require_http_methods(["GET"])
def survey_start(request: HttpRequest, code: str) -> HttpResponse:
    return start_step(Flow(_public_survey(code), False, request))


@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    return page_step(Flow(_public_survey(code), False, request), number)


@require_http_methods(["GET", "POST"])
def survey_check(request: HttpRequest, code: str) -> HttpResponse:
    return check_step(Flow(_public_survey(code), False, request))


@require_http_methods(["GET"])
def survey_done(request: HttpRequest, code: str) -> HttpResponse:
    return done_step(Flow(_public_survey(code), False, request))


@require_http_methods(["GET"])
def survey_return(request: HttpRequest, code: str, token: str) -> HttpResponse:
    flow = Flow(_public_survey(code), False, request)
    draft = responses.response_draft_find(survey=flow.survey, token=token)
    if draft is None:
        language = flow.language()
        return render(request, "public/survey_link_expired.jinja", _context(flow, language), status=404)
    answers = responses.response_draft_answers(draft=draft, token=token)
    page = answers.pop("__page", ["1"])
    number = int(page[0]) if page and str(page[0]).isdigit() else 1
    state = flow.state
    state.update(raw=answers, draft=draft.token_digest, page=number)
    flow.keep(state)
    return redirect(flow.url("page", number))
