"""Every write to surveys: building them, their sections and questions, their wording, and opening them."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from heard.core.audit import audit_record
from heard.core.models import Organisation, User
from heard.listening import equality, fft
from heard.listening.models import (
    Question,
    QuestionKind,
    SourceKind,
    Survey,
    SurveySection,
    SurveyStatus,
)
from heard.listening.services.sources import source_for
from heard.projects.models import Project

SURVEY_SOURCE_NAME = "Heard surveys"
CODE_ALPHABET = (
    "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are read aloud and copied from posters
)
CODE_LENGTH = 6

DEFAULT_PRIVACY_NOTICE = (
    "You do not need to give your name or contact details to take part. Please do not write anything that "
    "could identify you or anyone else, such as names, addresses, phone numbers or NHS numbers; if you do, "
    "Heard removes them before anyone reads your answers.\n\n"
    "Your answers are used only to understand what people think and to improve services. They are read by the "
    "engagement team and reported as themes and totals, never in a way that identifies you. Answers about you "
    "(such as your age or ethnic group) are reported only as totals for groups of people.\n\n"
    "Taking part is voluntary, and every question you do not have to answer is marked as optional. We keep "
    "answers only as long as we need them for this work, then delete them."
)

# Questions whose answers are chosen from a list, so that skip logic can depend on them.
CHOICE_KINDS = frozenset(
    {
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.RATING,
        QuestionKind.LIKERT,
        QuestionKind.FFT,
    }
)
KINDS_WITH_CHOICES = CHOICE_KINDS | {QuestionKind.RANKING}

RATING_DEFAULT = [
    {"value": "1", "label": "1 (very poor)"},
    {"value": "2", "label": "2"},
    {"value": "3", "label": "3"},
    {"value": "4", "label": "4"},
    {"value": "5", "label": "5 (very good)"},
]
LIKERT_DEFAULT = [
    {"value": "strongly_agree", "label": "Strongly agree"},
    {"value": "agree", "label": "Agree"},
    {"value": "neither", "label": "Neither agree nor disagree"},
    {"value": "disagree", "label": "Disagree"},
    {"value": "strongly_disagree", "label": "Strongly disagree"},
]
FFT_CHOICES = [{"value": value, "label": label} for value, label in fft.ANSWERS]

# Languages the public wording may be translated into, with "easy" for the easy-read version.
LANGUAGES: dict[str, str] = {
    "cy": "Cymraeg (Welsh)",
    "easy": "Easy read",
    "pl": "Polski (Polish)",
    "ro": "Română (Romanian)",
    "pa": "ਪੰਜਾਬੀ (Punjabi)",
    "ur": "اردو (Urdu)",
    "ar": "العربية (Arabic)",
    "bn": "বাংলা (Bengali)",
    "so": "Soomaali (Somali)",
    "pt": "Português (Portuguese)",
}
RIGHT_TO_LEFT = frozenset({"ur", "ar"})


def default_choices(kind: str) -> list[dict[str, str]]:
    """The answers a new question of this kind starts with, so that a scale is never built by hand."""
    if kind == QuestionKind.FFT:
        return [dict(choice) for choice in FFT_CHOICES]
    if kind == QuestionKind.RATING:
        return [dict(choice) for choice in RATING_DEFAULT]
    if kind == QuestionKind.LIKERT:
        return [dict(choice) for choice in LIKERT_DEFAULT]
    return []


def choices_from_labels(
    labels: Iterable[str], *, existing: list[dict[str, str]] | None = None
) -> list[dict[str, str]]:
    """Answer options from labels typed one per line; a label kept from before keeps its stored value."""
    known = {choice["label"]: choice["value"] for choice in existing or []}
    choices: list[dict[str, str]] = []
    taken: set[str] = set()
    for raw in labels:
        label = raw.strip()
        if not label or label in {choice["label"] for choice in choices}:
            continue
        value = known.get(label) or slugify(label).replace("-", "_")[:50] or "option"
        base, number = value, 2
        while value in taken:
            value, number = f"{base}_{number}", number + 1
        taken.add(value)
        choices.append({"value": value, "label": label})
    return choices


def _survey_code_generate() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Survey.objects.filter(code=code).exists():
            return code


def _touch(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(updated_at=timezone.now())


def _audit(actor: User | None, action: str, survey: Survey, **detail: Any) -> None:
    audit_record(actor=actor, action=action, organisation=survey.organisation, target=survey, detail=detail)


@transaction.atomic
def survey_create(
    *,
    actor: User | None,
    organisation: Organisation,
    title: str,
    project: Project | None = None,
    introduction: str = "",
    privacy_notice: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Survey:
    """A draft survey with one empty section, its public code generated, answers arriving in the survey source."""
    if project is not None and project.organisation_id != organisation.pk:
        raise ValidationError({"project": "The project must belong to the survey's organisation"})
    survey = Survey(
        organisation=organisation,
        project=project,
        source=source_for(organisation=organisation, name=SURVEY_SOURCE_NAME, kind=SourceKind.HEARD_SURVEY),
        code=_survey_code_generate(),
        title=title,
        introduction=introduction,
        privacy_notice=privacy_notice.strip() or DEFAULT_PRIVACY_NOTICE,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    survey.full_clean()
    survey.save()
    SurveySection.objects.create(survey=survey, position=1, title="Your views")
    _audit(actor, "survey.created", survey, code=survey.code)
    return survey


@transaction.atomic
def survey_update(
    *,
    actor: User,
    survey: Survey,
    title: str,
    project: Project | None,
    introduction: str,
    privacy_notice: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> Survey:
    if project is not None and project.organisation_id != survey.organisation_id:
        raise ValidationError({"project": "The project must belong to the survey's organisation"})
    survey.title = title
    survey.project = project
    survey.introduction = introduction
    survey.privacy_notice = privacy_notice.strip() or DEFAULT_PRIVACY_NOTICE
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.updated_at = timezone.now()
    survey.full_clean()
    survey.save()
    _audit(actor, "survey.changed", survey)
    return survey


@transaction.atomic
def survey_status_set(*, actor: User | None, survey: Survey, status: SurveyStatus | str) -> Survey:
    """Opens a survey to the public (it needs a question first) or closes it."""
    if status not in SurveyStatus.values:
        raise ValidationError({"status": "Unknown status"})
    if status == SurveyStatus.OPEN and not Question.objects.filter(section__survey=survey).exists():
        raise ValidationError("Add at least one question before opening the survey")
    before = survey.status
    survey.status = status
    survey.updated_at = timezone.now()
    survey.save(update_fields=["status", "updated_at"])
    _audit(actor, "survey.status_changed", survey, before=before, after=status)
    return survey


# Sections


@transaction.atomic
def section_add(*, actor: User | None, survey: Survey, title: str, description: str = "") -> SurveySection:
    last = survey.sections.aggregate(last=Max("position"))["last"] or 0
    section = SurveySection.objects.create(
        survey=survey, position=last + 1, title=title, description=description
    )
    _touch(survey)
    _audit(actor, "survey.section_added", survey, section=title)
    return section


@transaction.atomic
def section_update(*, actor: User, section: SurveySection, title: str, description: str) -> SurveySection:
    section.title = title
    section.description = description
    section.save(update_fields=["title", "description"])
    _touch(section.survey)
    _audit(actor, "survey.section_changed", section.survey, section=title)
    return section


def _renumber(rows: list[Any]) -> None:
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def _move(rows: list[Any], target: Any, direction: str) -> bool:
    index = next(i for i, row in enumerate(rows) if row.pk == target.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    _renumber(rows)
    return True


@transaction.atomic
def section_move(*, actor: User, section: SurveySection, direction: str) -> bool:
    """Moves a section one place up or down; False when it is already first or last."""
    moved = _move(list(section.survey.sections.order_by("position", "id")), section, direction)
    if moved:
        _check_skip_logic_order(section.survey)
        _touch(section.survey)
        _audit(actor, "survey.section_moved", section.survey, section=section.title, direction=direction)
    return moved


@transaction.atomic
def section_delete(*, actor: User, section: SurveySection) -> None:
    survey = section.survey
    if Question.objects.filter(section=section, answers__isnull=False).exists():
        raise ValidationError("People have answered questions in this section, so it cannot be deleted")
    keys = list(section.questions.values_list("key", flat=True))
    if (
        Question.objects.filter(section__survey=survey, show_if_question__in=keys)
        .exclude(section=section)
        .exists()
    ):
        raise ValidationError("Another question's skip logic depends on a question in this section")
    title = section.title
    section.delete()
    _renumber(list(survey.sections.order_by("position", "id")))
    _touch(survey)
    _audit(actor, "survey.section_deleted", survey, section=title)


# Questions


def survey_questions(survey: Survey) -> list[Question]:
    """Every question of a survey in the order the public meets them."""
    return list(
        Question.objects.filter(section__survey=survey)
        .select_related("section")
        .order_by("section__position", "section_id", "position", "id")
    )


def _unique_key(survey: Survey, wanted: str) -> str:
    base = re.sub(r"[^a-z0-9_]", "", slugify(wanted).replace("-", "_"))[:40].strip("_") or "question"
    taken = set(Question.objects.filter(section__survey=survey).values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def _clean_choices(kind: str, choices: list[dict[str, str]] | None) -> list[dict[str, str]]:
    if kind == QuestionKind.FFT:
        return default_choices(kind)  # the six standard answers, always, so that FFT figures compare
    if kind not in KINDS_WITH_CHOICES:
        return []
    chosen = [dict(choice) for choice in choices or []] or default_choices(kind)
    if len(chosen) < 2:
        raise ValidationError({"choices": "Give at least two answers to choose from, one on each line"})
    return chosen


def _check_skip_logic(question: Question, ordered: list[Question]) -> None:
    if not question.show_if_question:
        question.show_if_values = []
        return
    earlier = ordered[: next((i for i, q in enumerate(ordered) if q.pk == question.pk), len(ordered))]
    controlling = next((q for q in earlier if q.key == question.show_if_question), None)
    if controlling is None:
        raise ValidationError({"show_if_question": "Skip logic can only depend on an earlier question"})
    if controlling.kind not in CHOICE_KINDS:
        raise ValidationError(
            {"show_if_question": "Skip logic can only depend on a question with answers to choose"}
        )
    allowed = {choice["value"] for choice in controlling.choices}
    values = [value for value in question.show_if_values if value in allowed]
    if not values:
        raise ValidationError({"show_if_values": "Choose at least one answer that shows this question"})
    question.show_if_values = values


def _check_skip_logic_order(survey: Survey) -> None:
    """After a move, every question must still depend only on questions before it."""
    ordered = survey_questions(survey)
    seen: set[str] = set()
    for question in ordered:
        if question.show_if_question and question.show_if_question not in seen:
            raise ValidationError(
                f"“{question.text}” is shown depending on a later question. Change its skip logic first."
            )
        seen.add(question.key)


@transaction.atomic
def question_add(
    *,
    actor: User | None,
    section: SurveySection,
    kind: QuestionKind | str,
    text: str,
    hint: str = "",
    required: bool = False,
    choices: list[dict[str, str]] | None = None,
    key: str = "",
    show_if_question: str = "",
    show_if_values: list[str] | None = None,
    is_equality_monitoring: bool = False,
) -> Question:
    """Adds a question at the end of a section. Choice kinds without choices get the standard scale."""
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": "Choose a kind of question"})
    survey = section.survey
    last = section.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question(
        section=section,
        position=last + 1,
        key=_unique_key(survey, key or text),
        kind=kind,
        text=text,
        hint=hint,
        required=required and not is_equality_monitoring,
        choices=_clean_choices(kind, choices),
        show_if_question=show_if_question,
        show_if_values=list(show_if_values or []),
        is_equality_monitoring=is_equality_monitoring,
    )
    question.full_clean(exclude=["section"])
    question.save()
    _check_skip_logic(question, survey_questions(survey))
    question.save(update_fields=["show_if_values"])
    _touch(survey)
    _audit(actor, "survey.question_added", survey, question=question.key, kind=kind)
    return question


@transaction.atomic
def question_update(
    *,
    actor: User,
    question: Question,
    text: str,
    hint: str,
    required: bool,
    choices: list[dict[str, str]] | None = None,
) -> Question:
    before = {choice["value"] for choice in question.choices}
    question.text = text
    question.hint = hint
    question.required = required and not question.is_equality_monitoring
    question.choices = _clean_choices(question.kind, choices if choices is not None else question.choices)
    dropped = before - {choice["value"] for choice in question.choices}
    if dropped:
        # Renaming an answer gives it a new value: refuse when skip logic or stored answers depend on the old one.
        survey = question.section.survey
        depends = [
            other.text
            for other in survey_questions(survey)
            if other.show_if_question == question.key and dropped & set(other.show_if_values)
        ]
        if depends:
            raise ValidationError(
                f"Other questions are shown only for answers you removed or renamed: {'; '.join(depends)}. "
                "Change their 'when to show' first."
            )
        if question.answers.filter(choices__isnull=False).exists() and any(
            set(values) & dropped for values in question.answers.values_list("choices", flat=True)
        ):
            raise ValidationError(
                "People have already chosen an answer you removed or renamed. Add new answers instead."
            )
    question.full_clean(exclude=["section"])
    question.save()
    _touch(question.section.survey)
    _audit(actor, "survey.question_changed", question.section.survey, question=question.key)
    return question


@transaction.atomic
def question_skip_logic_set(
    *, actor: User, question: Question, show_if_question: str, show_if_values: list[str]
) -> Question:
    """Show the question only when an earlier question's answer is one of ``show_if_values`` ("" for always)."""
    survey = question.section.survey
    question.show_if_question = show_if_question
    question.show_if_values = list(show_if_values)
    _check_skip_logic(question, survey_questions(survey))
    question.save(update_fields=["show_if_question", "show_if_values"])
    _touch(survey)
    _audit(
        actor,
        "survey.skip_logic_set",
        survey,
        question=question.key,
        depends_on=show_if_question,
        values=question.show_if_values,
    )
    return question


@transaction.atomic
def question_move(*, actor: User, question: Question, direction: str) -> bool:
    """Moves a question one place within its section; False when it is already first or last there."""
    survey = question.section.survey
    moved = _move(list(question.section.questions.order_by("position", "id")), question, direction)
    if moved:
        _check_skip_logic_order(survey)
        _touch(survey)
        _audit(actor, "survey.question_moved", survey, question=question.key, direction=direction)
    return moved


@transaction.atomic
def question_delete(*, actor: User, question: Question) -> None:
    survey = question.section.survey
    if question.answers.exists():
        raise ValidationError("People have answered this question, so it cannot be deleted")
    if Question.objects.filter(section__survey=survey, show_if_question=question.key).exists():
        raise ValidationError("Another question's skip logic depends on this question. Change that first.")
    section, key = question.section, question.key
    question.delete()
    _renumber(list(section.questions.order_by("position", "id")))
    _touch(survey)
    _audit(actor, "survey.question_deleted", survey, question=key)


@transaction.atomic
def equality_block_add(*, actor: User | None, survey: Survey) -> SurveySection:
    """Adds the standard equality-monitoring questions as a last section, "About you"."""
    if Question.objects.filter(section__survey=survey, is_equality_monitoring=True).exists():
        raise ValidationError("This survey already has the equality monitoring questions")
    section = section_add(
        actor=actor, survey=survey, title=equality.SECTION_TITLE, description=equality.SECTION_DESCRIPTION
    )
    keys: dict[str, str] = {}
    for spec in equality.QUESTIONS:
        question = question_add(
            actor=None,
            section=section,
            kind=spec.kind,
            text=spec.text,
            hint=spec.hint,
            choices=[dict(choice) for choice in spec.choices],
            key=spec.key,
            show_if_question=keys.get(spec.show_if_question, ""),
            show_if_values=spec.show_if_values,
            is_equality_monitoring=True,
        )
        keys[spec.key] = question.key
    _audit(actor, "survey.equality_block_added", survey)
    return section


# Wording in other languages


@transaction.atomic
def survey_translation_set(*, actor: User, survey: Survey, language: str, wording: dict[str, str]) -> None:
    """Stores the public wording in one language. ``wording`` is keyed as ``survey_translation_fields`` names
    them; an empty value removes that field's translation, so the English shows instead."""
    if language not in LANGUAGES:
        raise ValidationError({"language": "Choose a language from the list"})

    def store(row: Survey | SurveySection | Question, field_name: str, value: str) -> None:
        translations = dict(row.translations or {})
        chosen = dict(translations.get(language) or {})
        if value.strip():
            chosen[field_name] = value.strip()
        else:
            chosen.pop(field_name, None)
        if chosen:
            translations[language] = chosen
        else:
            translations.pop(language, None)
        row.translations = translations

    for name in ("title", "introduction", "privacy_notice"):
        store(survey, name, wording.get(f"survey__{name}", ""))
    survey.updated_at = timezone.now()
    survey.save(update_fields=["translations", "updated_at"])
    for section in survey.sections.all():
        for name in ("title", "description"):
            store(section, name, wording.get(f"section_{section.pk}__{name}", ""))
        section.save(update_fields=["translations"])
    for question in survey_questions(survey):
        for name in ("text", "hint"):
            store(question, name, wording.get(f"question_{question.pk}__{name}", ""))
        for choice in question.choices:
            store(
                question,
                f"choice:{choice['value']}",
                wording.get(f"question_{question.pk}__choice_{choice['value']}", ""),
            )
        question.save(update_fields=["translations"])
    _audit(actor, "survey.translation_set", survey, language=language)


def survey_languages(survey: Survey) -> list[tuple[str, str]]:
    """The languages a survey's public pages can be read in beyond English: those whose title is translated."""
    return [
        (code, label)
        for code, label in LANGUAGES.items()
        if (survey.translations.get(code) or {}).get("title")
    ]
