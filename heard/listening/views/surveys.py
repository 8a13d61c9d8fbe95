"""The survey builder for engagement leads: surveys, sections, questions, skip logic, wording, preview, opening."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from heard.core.access import permission_required
from heard.core.http import HeardRequest
from heard.listening import survey_selectors
from heard.listening.builder_forms import (
    KIND_HINTS,
    QuestionForm,
    SectionForm,
    SkipQuestionForm,
    SkipValuesForm,
    SurveyForm,
    TranslationForm,
)
from heard.listening.models import Question, Survey, SurveySection, SurveyStatus
from heard.listening.services import surveys as survey_services
from heard.listening.services.surveys import DEFAULT_PRIVACY_NOTICE, LANGUAGES, survey_questions
from heard.listening.views import public
from heard.projects.selectors import projects_for


def _survey_or_404(request: HeardRequest, survey_id: int) -> Survey:
    try:
        return survey_selectors.survey_in(organisation=request.organisation, survey_id=survey_id)
    except Survey.DoesNotExist:
        raise Http404("No such survey") from None


def _section_or_404(survey: Survey, section_id: int) -> SurveySection:
    try:
        return survey_selectors.section_in(survey=survey, section_id=section_id)
    except SurveySection.DoesNotExist:
        raise Http404("No such section") from None


def _question_or_404(survey: Survey, question_id: int) -> Question:
    try:
        return survey_selectors.question_in(survey=survey, question_id=question_id)
    except Question.DoesNotExist:
        raise Http404("No such question") from None


def _to_builder(survey: Survey, anchor: str = "") -> HttpResponse:
    response = redirect("listening:survey_detail", survey_id=survey.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _form_errors_from(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@permission_required("listening.view_surveys")
def survey_list(request: HeardRequest) -> HttpResponse:
    surveys = survey_selectors.surveys_for(organisation=request.organisation)
    return render(request, "listening/surveys/list.jinja", {"surveys": surveys})


@permission_required("listening.manage_surveys")
@require_http_methods(["GET", "POST"])
def survey_new(request: HeardRequest) -> HttpResponse:
    projects = projects_for(organisation=request.organisation)
    initial = {"privacy_notice": DEFAULT_PRIVACY_NOTICE}
    if request.GET.get("project"):
        initial["project"] = projects.filter(slug=request.GET["project"]).first()  # type: ignore[assignment]
    form = SurveyForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_services.survey_create(
                actor=request.user, organisation=request.organisation, **form.survey_fields()
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, f"Survey created. Its public address is /s/{survey.code}/")
            return _to_builder(survey)
    return render(
        request,
        "listening/surveys/form.jinja",
        {"form": form, "survey": None},
        status=400 if form.errors else 200,
    )


@permission_required("listening.view_surveys")
def survey_detail(request: HeardRequest, survey_id: int) -> HttpResponse:
    try:
        survey = survey_selectors.survey_with_questions(
            organisation=request.organisation, survey_id=survey_id
        )
    except Survey.DoesNotExist:
        raise Http404("No such survey") from None
    sections = list(survey.sections.all())
    texts = {question.key: question.text for section in sections for question in section.questions.all()}
    labels = {
        question.key: {choice["value"]: choice["label"] for choice in question.choices}
        for section in sections
        for question in section.questions.all()
    }
    return render(
        request,
        "listening/surveys/detail.jinja",
        {
            "survey": survey,
            "sections": sections,
            "question_texts": texts,
            "choice_labels": labels,
            "counts": survey_selectors.survey_response_counts(survey=survey),
            "public_url": request.build_absolute_uri(f"/s/{survey.code}/"),
            "has_equality": any(q.is_equality_monitoring for s in sections for q in s.questions.all()),
            "languages": survey_services.survey_languages(survey),
        },
    )


@permission_required("listening.manage_surveys")
@require_http_methods(["GET", "POST"])
def survey_edit(request: HeardRequest, survey_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    form = SurveyForm(
        request.POST or None,
        projects=projects_for(organisation=request.organisation),
        initial=SurveyForm.initial_for(survey),
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey_services.survey_update(actor=request.user, survey=survey, **form.survey_fields())
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, "Survey details saved")
            return _to_builder(survey)
    return render(
        request,
        "listening/surveys/form.jinja",
        {"form": form, "survey": survey},
        status=400 if form.errors else 200,
    )


@permission_required("listening.manage_surveys")
@require_POST
def survey_status(request: HeardRequest, survey_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    status = request.POST.get("status", "")
    try:
        survey_services.survey_status_set(actor=request.user, survey=survey, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            {
                SurveyStatus.OPEN.value: "The survey is open to the public",
                SurveyStatus.CLOSED.value: "The survey is closed",
            }.get(status, "The survey is back to a draft: the public cannot answer it"),
        )
    return _to_builder(survey)


@permission_required("listening.manage_surveys")
@require_POST
def survey_equality_add(request: HeardRequest, survey_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    try:
        section = survey_services.equality_block_add(actor=request.user, survey=survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_builder(survey)
    messages.success(request, "Equality monitoring questions added, each optional with “Prefer not to say”")
    return _to_builder(survey, f"section-{section.pk}")


# Sections


@permission_required("listening.manage_surveys")
@require_http_methods(["GET", "POST"])
def section_form(request: HeardRequest, survey_id: int, section_id: int | None = None) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    section = _section_or_404(survey, section_id) if section_id is not None else None
    initial = {"title": section.title, "description": section.description} if section else {}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if section is None:
            section = survey_services.section_add(actor=request.user, survey=survey, **form.cleaned_data)
            messages.success(request, "Section added")
        else:
            survey_services.section_update(actor=request.user, section=section, **form.cleaned_data)
            messages.success(request, "Section saved")
        return _to_builder(survey, f"section-{section.pk}")
    return render(
        request,
        "listening/surveys/section_form.jinja",
        {"form": form, "survey": survey, "section": section},
        status=400 if form.errors else 200,
    )


@permission_required("listening.manage_surveys")
@require_POST
def section_move(request: HeardRequest, survey_id: int, section_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    section = _section_or_404(survey, section_id)
    try:
        survey_services.section_move(
            actor=request.user, section=section, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_builder(survey, f"section-{section.pk}")


@permission_required("listening.manage_surveys")
@require_POST
def section_delete(request: HeardRequest, survey_id: int, section_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    section = _section_or_404(survey, section_id)
    try:
        survey_services.section_delete(actor=request.user, section=section)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Section deleted")
    return _to_builder(survey)


# Questions


@permission_required("listening.manage_surveys")
@require_http_methods(["GET", "POST"])
def question_new(request: HeardRequest, survey_id: int, section_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    section = _section_or_404(survey, section_id)
    form = QuestionForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = survey_services.question_add(
                actor=request.user,
                section=section,
                kind=data["kind"],
                text=data["text"],
                hint=data["hint"],
                required=data["required"],
                choices=data["parsed_choices"],
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, "Question added")
            return _to_builder(survey, f"question-{question.pk}")
    return render(
        request,
        "listening/surveys/question_form.jinja",
        {"form": form, "survey": survey, "section": section, "question": None, "kind_hints": KIND_HINTS},
        status=400 if form.errors else 200,
    )


@permission_required("listening.manage_surveys")
@require_http_methods(["GET", "POST"])
def question_edit(request: HeardRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    question = _question_or_404(survey, question_id)
    initial = {
        "text": question.text,
        "hint": question.hint,
        "required": question.required,
        "choices": "\n".join(choice["label"] for choice in question.choices),
    }
    form = QuestionForm(request.POST or None, initial=initial, question=question)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_services.question_update(
                actor=request.user,
                question=question,
                text=data["text"],
                hint=data["hint"],
                required=data["required"],
                choices=data["parsed_choices"],
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, "Question saved")
            return _to_builder(survey, f"question-{question.pk}")
    return render(
        request,
        "listening/surveys/question_form.jinja",
        {
            "form": form,
            "survey": survey,
            "section": question.section,
            "question": question,
            "kind_hints": KIND_HINTS,
        },
        status=400 if form.errors else 200,
    )


@permission_required("listening.manage_surveys")
@require_POST
def question_move(request: HeardRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    question = _question_or_404(survey, question_id)
    try:
        survey_services.question_move(
            actor=request.user, question=question, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_builder(survey, f"question-{question.pk}")


@permission_required("listening.manage_surveys")
@require_POST
def question_delete(request: HeardRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    question = _question_or_404(survey, question_id)
    try:
        survey_services.question_delete(actor=request.user, question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Question deleted")
    return _to_builder(survey, f"section-{question.section_id}")


@permission_required("listening.manage_surveys")
@require_http_methods(["GET", "POST"])
def question_skip(request: HeardRequest, survey_id: int, question_id: int) -> HttpResponse:
    """Skip logic in two steps, without JavaScript: choose the earlier question, then the answers that show this."""
    survey = _survey_or_404(request, survey_id)
    question = _question_or_404(survey, question_id)
    ordered = survey_questions(survey)
    earlier = ordered[: next(i for i, q in enumerate(ordered) if q.pk == question.pk)]
    chosen_key = request.POST.get(
        "show_if_question", request.GET.get("show_if_question", question.show_if_question)
    )
    pick = SkipQuestionForm(initial={"show_if_question": chosen_key}, earlier=earlier)
    controlling = next((q for q in earlier if q.key == chosen_key), None)
    values_form = None
    if request.method == "POST" and not chosen_key:
        survey_services.question_skip_logic_set(
            actor=request.user, question=question, show_if_question="", show_if_values=[]
        )
        messages.success(request, "This question now always shows")
        return _to_builder(survey, f"question-{question.pk}")
    if controlling is not None:
        initial_values = question.show_if_values if controlling.key == question.show_if_question else []
        values_form = SkipValuesForm(
            request.POST if request.method == "POST" else None,
            initial={"show_if_question": controlling.key, "show_if_values": initial_values},
            controlling=controlling,
        )
        if request.method == "POST" and values_form.is_valid():
            try:
                survey_services.question_skip_logic_set(
                    actor=request.user,
                    question=question,
                    show_if_question=controlling.key,
                    show_if_values=values_form.cleaned_data["show_if_values"],
                )
            except ValidationError as error:
                _form_errors_from(values_form, error)
            else:
                messages.success(request, "Skip logic saved")
                return _to_builder(survey, f"question-{question.pk}")
    return render(
        request,
        "listening/surveys/skip_form.jinja",
        {
            "survey": survey,
            "question": question,
            "pick": pick,
            "controlling": controlling,
            "form": values_form,
        },
        status=400 if values_form is not None and values_form.errors else 200,
    )


# Wording in other languages


@permission_required("listening.manage_surveys")
@require_http_methods(["GET", "POST"])
def survey_translation(request: HeardRequest, survey_id: int, language: str = "") -> HttpResponse:
    survey = _survey_or_404(request, survey_id)
    language = language or request.GET.get("language", "")
    if not language:
        return render(
            request,
            "listening/surveys/translations.jinja",
            {
                "survey": survey,
                "languages": LANGUAGES,
                "translated": dict(survey_services.survey_languages(survey)),
            },
        )
    if language not in LANGUAGES:
        raise Http404("No such language")
    questions = survey_questions(survey)
    form = TranslationForm(request.POST or None, survey=survey, questions=questions, language=language)
    if request.method == "POST" and form.is_valid():
        survey_services.survey_translation_set(
            actor=request.user, survey=survey, language=language, wording=form.cleaned_data
        )
        messages.success(request, f"{LANGUAGES[language]} wording saved")
        return _to_builder(survey)
    return render(
        request,
        "listening/surveys/translation_form.jinja",
        {"survey": survey, "form": form, "language": language, "language_label": LANGUAGES[language]},
        status=400 if form.errors else 200,
    )


# The preview: the public pages, exactly, recording nothing.


def _preview_flow(request: HeardRequest, survey_id: int) -> public.Flow:
    return public.Flow(_survey_or_404(request, survey_id), True, request)


@permission_required("listening.view_surveys")
def survey_preview_start(request: HeardRequest, survey_id: int) -> HttpResponse:
    return public.start_step(_preview_flow(request, survey_id))


@permission_required("listening.view_surveys")
@require_http_methods(["GET", "POST"])
def survey_preview_page(request: HeardRequest, survey_id: int, number: int) -> HttpResponse:
    return public.page_step(_preview_flow(request, survey_id), number)


@permission_required("listening.view_surveys")
@require_http_methods(["GET", "POST"])
def survey_preview_check(request: HeardRequest, survey_id: int) -> HttpResponse:
    return public.check_step(_preview_flow(request, survey_id))


@permission_required("listening.view_surveys")
def survey_preview_done(request: HeardRequest, survey_id: int) -> HttpResponse:
    return public.done_step(_preview_flow(request, survey_id))
