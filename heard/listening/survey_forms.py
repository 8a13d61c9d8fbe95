"""Forms built from a survey's questions, for the public pages, the preview and paper entry alike.

Answers travel between pages as the raw values people typed (``RawAnswers``), so that every page, the check
page, save-and-return and the final submission validate them with the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone

from heard.core.fields import NhsDateField
from heard.listening.models import Channel, Question, QuestionKind, Survey, SurveySection

# What a person may type in one free-text answer; long enough for a full account of an experience.
TEXT_ANSWER_LIMIT = 5000
NUMBER_LIMIT = Decimal("9999999999")
FIELD_PREFIX = "q-"
HONEYPOT_FIELD = "website"

RawAnswers = dict[str, list[str]]
Value = str | list[str] | Decimal | date | None


def wording(row: Survey | SurveySection | Question, field_name: str, language: str) -> str:
    """The public wording of one field in ``language``, falling back to the English."""
    if language:
        translated = ((row.translations or {}).get(language) or {}).get(field_name)
        if translated:
            return str(translated)
    return str(getattr(row, field_name, "") or "")


def choice_label(question: Question, value: str, language: str) -> str:
    translated = (
        ((question.translations or {}).get(language) or {}).get(f"choice:{value}") if language else None
    )
    if translated:
        return str(translated)
    return next((choice["label"] for choice in question.choices if choice["value"] == value), value)


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.key}"


class RankingField(forms.MultiValueField):
    """One "rank" box per option; cleans to the option values in the order the person ranked them."""

    def __init__(self, *, options: list[tuple[str, str]], **kwargs: Any) -> None:
        self.options = options
        ranks = [("", "Not ranked"), *[(str(n), str(n)) for n in range(1, len(options) + 1)]]
        fields = [forms.ChoiceField(choices=ranks, required=False) for _ in options]
        widget = forms.MultiWidget(widgets=[forms.Select(choices=ranks) for _ in options])
        super().__init__(fields=fields, widget=widget, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> list[str]:
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        ranked = [
            (int(rank), value) for rank, (value, _) in zip(data_list, self.options, strict=False) if rank
        ]
        if len({rank for rank, _ in ranked}) != len(ranked):
            raise forms.ValidationError("Give each option a different number", code="duplicate")
        if self.required and len(ranked) != len(self.options):
            raise forms.ValidationError("Give every option a number", code="incomplete")
        return [value for _, value in sorted(ranked)]


def _question_field(question: Question, language: str) -> forms.Field:
    label = wording(question, "text", language)
    required_message = {"required": _required_message(question, label)}
    options = [
        (choice["value"], choice_label(question, choice["value"], language)) for choice in question.choices
    ]
    common: dict[str, Any] = {
        "required": question.required,
        "label": label,
        "error_messages": required_message,
    }
    kind = question.kind
    if kind in {QuestionKind.SINGLE_CHOICE, QuestionKind.RATING, QuestionKind.LIKERT, QuestionKind.FFT}:
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)
    if kind == QuestionKind.RANKING:
        return RankingField(options=options, **common)
    if kind == QuestionKind.NUMBER:
        common["error_messages"]["invalid"] = "Enter a number, like 3"
        return forms.DecimalField(
            max_value=NUMBER_LIMIT, min_value=-NUMBER_LIMIT, decimal_places=2, max_digits=12, **common
        )
    if kind == QuestionKind.DATE:
        return NhsDateField(**common)
    common["error_messages"]["max_length"] = (
        f"Your answer must be {TEXT_ANSWER_LIMIT:,} characters or fewer. "
        "Shorten it, or send the rest in another answer."
    )
    return forms.CharField(max_length=TEXT_ANSWER_LIMIT, widget=forms.Textarea, strip=True, **common)


def _required_message(question: Question, label: str) -> str:
    if question.kind in {QuestionKind.FREE_TEXT, QuestionKind.NUMBER}:
        return "Answer this question: " + label
    if question.kind == QuestionKind.DATE:
        return "Enter a date for: " + label
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return "Choose at least one answer: " + label
    if question.kind == QuestionKind.RANKING:
        return "Rank the options: " + label
    return "Choose an answer: " + label


class AnswersForm(forms.Form):
    """The questions of one page (or of the whole survey, for paper entry), in ``language``."""

    def __init__(self, *args: Any, questions: list[Question], language: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.language = language
        for question in questions:
            self.fields[field_name(question)] = _question_field(question, language)

    def answer_fields(self) -> list[tuple[Question, forms.BoundField, str]]:
        """Each question with its field and its hint, in the form's language, for the template."""
        return [
            (question, self[field_name(question)], wording(question, "hint", self.language))
            for question in self.questions
        ]

    def answers(self) -> dict[str, Value]:
        """Cleaned answers keyed by question key, leaving out questions left blank."""
        answers: dict[str, Value] = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value in (None, "", []):
                continue
            answers[question.key] = value
        return answers


class PaperEntryForm(AnswersForm):
    """Everything on one page, with how the response came in: for keying in from paper and conversations."""

    channel = forms.ChoiceField(
        choices=[
            (Channel.PAPER.value, Channel.PAPER.label),
            (Channel.EVENT_CARD.value, Channel.EVENT_CARD.label),
            (Channel.TELEPHONE.value, Channel.TELEPHONE.label),
            (Channel.INTERVIEW.value, Channel.INTERVIEW.label),
        ],
        error_messages={"required": "Choose how this response came in"},
    )
    received_on = NhsDateField(required=False)

    def clean_received_on(self) -> date | None:
        received_on = self.cleaned_data.get("received_on")
        if received_on and received_on > timezone.localdate():
            raise forms.ValidationError("The date received must be today or in the past")
        return received_on


def raw_from_post(data: QueryDict, questions: list[Question]) -> RawAnswers:
    """What was typed for these questions, exactly, to carry to the next page or keep in a saved draft."""
    names = {field_name(question) for question in questions}
    return {
        key: [value[: TEXT_ANSWER_LIMIT * 2] for value in data.getlist(key)]
        for key in data
        if key in names or key.rsplit("_", 1)[0] in names
    }


def querydict_from_raw(raw: RawAnswers) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in raw.items():
        data.setlist(key, list(values))
    return data


def is_shown(question: Question, answers: dict[str, Value]) -> bool:
    """Skip logic: a question with a condition shows only when the earlier answer is one of its values."""
    if not question.show_if_question:
        return True
    given = answers.get(question.show_if_question)
    chosen = set(given) if isinstance(given, list) else {given}
    return bool(chosen & set(question.show_if_values))


@dataclass(frozen=True)
class SurveyPage:
    """One public page: a run of questions from one section. A question whose condition depends on an answer
    on the same page starts a new page, so that skip logic works without JavaScript."""

    number: int
    section: SurveySection
    questions: list[Question]


def survey_pages(questions: list[Question]) -> list[SurveyPage]:
    pages: list[SurveyPage] = []
    current: list[Question] = []
    for question in questions:
        breaks = current and (
            question.section_id != current[0].section_id
            or question.show_if_question in {earlier.key for earlier in current}
        )
        if breaks:
            pages.append(SurveyPage(len(pages) + 1, current[0].section, current))
            current = []
        current.append(question)
    if current:
        pages.append(SurveyPage(len(pages) + 1, current[0].section, current))
    return pages


@dataclass
class Walk:
    """The public's way through a survey given their raw answers: which pages show, and the first with a problem."""

    pages: list[SurveyPage]
    shown_pages: list[SurveyPage]
    answers: dict[str, Value]
    first_invalid: SurveyPage | None
    shown_questions: list[Question]


def survey_walk(pages: list[SurveyPage], raw: RawAnswers, *, language: str = "") -> Walk:
    answers: dict[str, Value] = {}
    shown_pages: list[SurveyPage] = []
    shown_questions: list[Question] = []
    first_invalid: SurveyPage | None = None
    data = querydict_from_raw(raw)
    for page in pages:
        visible = [question for question in page.questions if is_shown(question, answers)]
        if not visible:
            continue
        shown_pages.append(page)
        shown_questions.extend(visible)
        form = AnswersForm(data, questions=visible, language=language)
        if form.is_valid():
            answers.update(form.answers())
        elif first_invalid is None:
            first_invalid = page
    return Walk(pages, shown_pages, answers, first_invalid, shown_questions)


def answer_in_words(question: Question, value: Value, language: str) -> str:
    """An answer as the check-your-answers page and staff read it."""
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return ", ".join(choice_label(question, item, language) for item in value)
    if question.kind in {
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.RATING,
        QuestionKind.LIKERT,
        QuestionKind.FFT,
    }:
        return choice_label(question, str(value), language)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
