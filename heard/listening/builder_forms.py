"""Validation at the edge for the survey builder."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from heard.core.fields import NhsDateField
from heard.listening.models import Question, QuestionKind, Survey
from heard.listening.services.surveys import CHOICE_KINDS, KINDS_WITH_CHOICES, LANGUAGES, choices_from_labels
from heard.listening.survey_forms import wording
from heard.projects.models import Project

KIND_HINTS = {
    QuestionKind.SINGLE_CHOICE: "People choose one answer from a list",
    QuestionKind.MULTIPLE_CHOICE: "People choose any number of answers from a list",
    QuestionKind.RATING: "A scale from 1 (very poor) to 5 (very good), unless you write your own",
    QuestionKind.LIKERT: "Strongly agree to strongly disagree, unless you write your own",
    QuestionKind.FFT: "“Overall, how was your experience of our service?” with its six standard answers",
    QuestionKind.FREE_TEXT: "People write in their own words",
    QuestionKind.NUMBER: "A number, such as how many times",
    QuestionKind.DATE: "A date, as day, month and year",
    QuestionKind.RANKING: "People put options in order of importance",
}


def day_start(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def day_after(day: date | None) -> datetime | None:
    """A closing date includes the whole day: the survey closes at midnight after it."""
    return None if day is None else day_start(day + timedelta(days=1))


class ProjectChoiceField(forms.ModelChoiceField[Project]):
    def label_from_instance(self, obj: Project) -> str:
        return obj.title


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the survey's title"})
    project = ProjectChoiceField(queryset=Project.objects.none(), required=False, empty_label="No project")
    introduction = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
    privacy_notice = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
    opens_on = NhsDateField(required=False)
    closes_on = NhsDateField(required=False)

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", "The closing date must be the same as or after the opening date")
        return cleaned

    def survey_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "project": data.get("project"),
            "introduction": data.get("introduction", ""),
            "privacy_notice": data.get("privacy_notice", ""),
            "opens_at": day_start(data.get("opens_on")),
            "closes_at": day_after(data.get("closes_on")),
        }

    @staticmethod
    def initial_for(survey: Survey) -> dict[str, Any]:
        local_close = timezone.localtime(survey.closes_at) - timedelta(days=1) if survey.closes_at else None
        return {
            "title": survey.title,
            "project": survey.project,
            "introduction": survey.introduction,
            "privacy_notice": survey.privacy_notice,
            "opens_on": timezone.localtime(survey.opens_at).date() if survey.opens_at else None,
            "closes_on": local_close.date() if local_close else None,
        }


class SectionForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the section's title"})
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=QuestionKind.choices, error_messages={"required": "Choose what kind of question it is"}
    )
    text = forms.CharField(max_length=500, error_messages={"required": "Enter the question"})
    hint = forms.CharField(required=False, max_length=500)
    required = forms.BooleanField(required=False)
    choices = forms.CharField(required=False, max_length=10000, widget=forms.Textarea)

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        if question is not None:
            del self.fields["kind"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = self.question.kind if self.question else cleaned.get("kind")
        labels = (cleaned.get("choices") or "").splitlines()
        existing = self.question.choices if self.question else None
        parsed = choices_from_labels(labels, existing=existing)
        if kind == QuestionKind.FFT:
            parsed = []
        elif kind in {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING}:
            if len(parsed) < 2:
                self.add_error("choices", "Give at least two answers to choose from, one on each line")
        elif kind not in KINDS_WITH_CHOICES:
            parsed = []
        cleaned["parsed_choices"] = parsed or None
        return cleaned


class SkipQuestionForm(forms.Form):
    """Step one: which earlier question decides whether this one shows."""

    show_if_question = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, earlier: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["show_if_question"].choices = [  # type: ignore[attr-defined]
            ("", "Always show this question"),
            *[(question.key, question.text) for question in earlier if question.kind in CHOICE_KINDS],
        ]


class SkipValuesForm(forms.Form):
    """Step two: which of its answers show this question."""

    show_if_question = forms.CharField(widget=forms.HiddenInput)
    show_if_values = forms.MultipleChoiceField(
        error_messages={"required": "Choose at least one answer that shows this question"}
    )

    def __init__(self, *args: Any, controlling: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["show_if_values"].choices = [  # type: ignore[attr-defined]
            (choice["value"], choice["label"]) for choice in controlling.choices
        ]


class TranslationForm(forms.Form):
    """Every piece of public wording in one language, beside the English it translates."""

    def __init__(
        self, *args: Any, survey: Survey, questions: list[Question], language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[tuple[str, str]]]] = []

        def add(
            group: list[tuple[str, str]], name: str, english: str, current: str, *, long: bool = False
        ) -> None:
            if not english:
                return
            self.fields[name] = forms.CharField(
                required=False,
                max_length=5000 if long else 500,
                widget=forms.Textarea if long else forms.TextInput,
                initial=current,
            )
            group.append((name, english))

        def current(row: Any, field_name: str) -> str:
            return str(((row.translations or {}).get(language) or {}).get(field_name, ""))

        survey_group: list[tuple[str, str]] = []
        for name, long in (("title", False), ("introduction", True), ("privacy_notice", True)):
            add(survey_group, f"survey__{name}", getattr(survey, name), current(survey, name), long=long)
        self.groups.append(("The survey", survey_group))
        for section in survey.sections.all():
            group: list[tuple[str, str]] = []
            add(group, f"section_{section.pk}__title", section.title, current(section, "title"))
            add(
                group,
                f"section_{section.pk}__description",
                section.description,
                current(section, "description"),
                long=True,
            )
            for question in [q for q in questions if q.section_id == section.pk]:
                add(group, f"question_{question.pk}__text", question.text, current(question, "text"))
                add(group, f"question_{question.pk}__hint", question.hint, current(question, "hint"))
                for choice in question.choices:
                    add(
                        group,
                        f"question_{question.pk}__choice_{choice['value']}",
                        f"Answer: {choice['label']}",
                        current(question, f"choice:{choice['value']}"),
                    )
            self.groups.append((wording(section, "title", ""), group))


def language_label(code: str) -> str:
    return LANGUAGES.get(code, code)
