"""Keying in paper forms, event cards, telephone calls and interviews: every question on one page, fast."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from heard.core.access import permission_required
from heard.core.http import HeardRequest
from heard.listening import selectors, survey_selectors
from heard.listening.models import Channel, Question, Survey
from heard.listening.services.responses import (
    activity_channel,
    activity_comments_receive,
    survey_response_receive,
)
from heard.listening.services.surveys import survey_questions
from heard.listening.survey_forms import TEXT_ANSWER_LIMIT, PaperEntryForm, Value, is_shown
from heard.listening.views.public import ENGLISH
from heard.projects.activity_selectors import activity_in
from heard.projects.models import Activity

SESSION_CHANNEL = "heard-entry-channel"
STAFF_WORDS = {**ENGLISH, "text_limit": f"Up to {TEXT_ANSWER_LIMIT:,} characters."}


@permission_required("listening.enter_responses")
@require_http_methods(["GET", "POST"])
def survey_enter(request: HeardRequest, survey_id: int) -> HttpResponse:
    try:
        survey = survey_selectors.survey_in(organisation=request.organisation, survey_id=survey_id)
    except Survey.DoesNotExist:
        raise Http404("No such survey") from None
    questions = survey_questions(survey)
    # The channel chosen last stays chosen: a pile of paper forms is keyed in one after another.
    initial = {"channel": request.session.get(SESSION_CHANNEL, "paper")}
    form = PaperEntryForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST":
        # Skip logic, applied once everything is typed: a hidden question is neither required nor kept.
        typed = PaperEntryForm(request.POST, questions=questions)
        typed.is_valid()
        everything = typed.answers()
        shown: list[Question] = []
        answered: dict[str, Value] = {}
        for question in questions:
            if is_shown(question, answered):
                shown.append(question)
                if question.key in everything:
                    answered[question.key] = everything[question.key]
        form = PaperEntryForm(request.POST, questions=shown, initial=initial)
        if form.is_valid():
            channel = form.cleaned_data["channel"]
            survey_response_receive(
                actor=request.user,
                survey=survey,
                questions=shown,
                answers=form.answers(),
                channel=channel,
                received_on=form.cleaned_data.get("received_on"),
            )
            request.session[SESSION_CHANNEL] = channel
            messages.success(request, "Response saved")
            return redirect("listening:survey_enter", survey_id=survey.pk)
        # Show every question again, with the problems, so that nothing typed is lost.
        form = PaperEntryForm(request.POST, questions=questions, initial=initial)
        form.is_valid()
        for name in list(form.errors):
            if name.startswith("q-") and name not in {f"q-{q.key}" for q in shown}:
                del form.errors[name]
    return render(
        request,
        "listening/surveys/enter.jinja",
        {
            "survey": survey,
            "form": form,
            "counts": survey_selectors.survey_response_counts(survey=survey),
            "words": STAFF_WORDS,
        },
        status=400 if form.errors else 200,
    )


COMMENTS_LIMIT = 50_000


class ActivityCommentsForm(forms.Form):
    comments = forms.CharField(
        max_length=COMMENTS_LIMIT,
        widget=forms.Textarea,
        error_messages={
            "required": "Type at least one comment",
            "max_length": f"Key in up to {COMMENTS_LIMIT:,} characters at a time, then save and carry on",
        },
    )

    def comment_list(self) -> list[str]:
        """Comments are separated by a blank line, so that a pile of sticky notes is typed in one go."""
        return [part.strip() for part in re.split(r"\n\s*\n", self.cleaned_data["comments"]) if part.strip()]


@permission_required("listening.enter_responses")
@require_http_methods(["GET", "POST"])
def activity_comments(request: HeardRequest, slug: str, activity_id: int) -> HttpResponse:
    try:
        activity = activity_in(organisation=request.organisation, slug=slug, activity_id=activity_id)
    except Activity.DoesNotExist:
        raise Http404("No such activity") from None
    form = ActivityCommentsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        items = activity_comments_receive(actor=request.user, activity=activity, comments=form.comment_list())
        messages.success(request, f"{len(items)} comment{'s' if len(items) != 1 else ''} saved")
        return redirect("listening:activity_comments", slug=slug, activity_id=activity.pk)
    return render(
        request,
        "listening/surveys/activity_comments.jinja",
        {
            "activity": activity,
            "project": activity.project,
            "form": form,
            "channel": Channel(activity_channel(activity)).label,
            "comments": selectors.activity_comments_recent(activity=activity, limit=200),
        },
        status=400 if form.errors else 200,
    )
