"""Reads of surveys for the builder, paper entry and public pages; staff reads are scoped by organisation."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Prefetch, Q, QuerySet

from heard.core.models import Organisation
from heard.listening.models import (
    Answer,
    Channel,
    FeedbackItem,
    Question,
    QuestionKind,
    Survey,
    SurveySection,
    SurveyStatus,
)


def surveys_for(*, organisation: Organisation) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(organisation=organisation)
        .select_related("project")
        .annotate(response_count=Count("responses"))
        .order_by("-created_at", "-id")
    )


def survey_in(*, organisation: Organisation, survey_id: int) -> Survey:
    """Raises Survey.DoesNotExist for another organisation's survey, exactly as for one that does not exist."""
    return Survey.objects.select_related("project", "source", "organisation").get(
        organisation=organisation, pk=survey_id
    )


def survey_with_questions(*, organisation: Organisation, survey_id: int) -> Survey:
    """A survey with its sections and their questions, in order, for the builder."""
    sections = SurveySection.objects.order_by("position", "id").prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position", "id"))
    )
    return (
        Survey.objects.select_related("project", "source", "organisation")
        .prefetch_related(Prefetch("sections", queryset=sections))
        .get(organisation=organisation, pk=survey_id)
    )


def section_in(*, survey: Survey, section_id: int) -> SurveySection:
    return SurveySection.objects.select_related("survey").get(survey=survey, pk=section_id)


def question_in(*, survey: Survey, question_id: int) -> Question:
    return Question.objects.select_related("section", "section__survey").get(
        section__survey=survey, pk=question_id
    )


def survey_public(*, code: str) -> Survey:
    """The survey behind a public address. Drafts are not public: Survey.DoesNotExist, as for a wrong code."""
    return Survey.objects.select_related("organisation", "project", "source").get(
        code=code.lower(), status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED]
    )


def survey_response_counts(*, survey: Survey) -> dict[str, int]:
    """How many responses a survey has, in all and keyed in by staff."""
    return FeedbackItem.objects.filter(survey=survey).aggregate(
        total=Count("id"), keyed_in=Count("id", filter=~Q(channel=Channel.ONLINE))
    )


def question_results(*, question: Question) -> list[tuple[str, int]]:
    """How many people gave each answer to a choice, scale or ranking question, in the question's own order, by
    the labels people saw; free-text, number and date questions give one row: how many answered."""
    answers = Answer.objects.filter(question=question)
    if question.kind in (QuestionKind.FREE_TEXT, QuestionKind.NUMBER, QuestionKind.DATE):
        answered = answers.exclude(text="", number__isnull=True, date__isnull=True).count()
        return [("Answered", answered)]
    chosen: Counter[str] = Counter()
    for choices, text in answers.values_list("choices", "text"):
        chosen.update(str(choice) for choice in (choices or ([text] if text else [])))
    options = [
        (str(choice["value"]), str(choice["label"]))
        for choice in (question.choices or [])
        if isinstance(choice, dict) and "value" in choice
    ]
    if options:
        return [(label, chosen.get(value, 0)) for value, label in options]
    return [(value, count) for value, count in chosen.most_common()]
