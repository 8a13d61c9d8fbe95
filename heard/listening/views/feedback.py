"""The feedback list for staff: filter, read an item with its answers, flag it, export it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from heard.core.access import permission_required
from heard.core.audit import audit_record
from heard.core.http import HeardRequest
from heard.core.page_panels import page_panels_for
from heard.core.spreadsheets import csv_stream, xlsx_bytes
from heard.listening import fft, selectors
from heard.listening.forms import FeedbackFilterForm, FlagForm
from heard.listening.models import FeedbackItem
from heard.listening.services import flags
from heard.listening.survey_forms import answer_in_words
from heard.privacy.vault import vault_holds, vault_read

PAGE_SIZE = 25
# An Excel sheet is built in memory; bigger exports should use CSV, which streams.
XLSX_LIMIT = 100_000
EXPORT_HEADER = [
    "id",
    "received",
    "source",
    "channel",
    "project",
    "survey",
    "service",
    "FFT answer",
    "comment",
    "flagged",
    "flag note",
]


def _item_or_404(request: HeardRequest, item_id: int) -> FeedbackItem:
    try:
        return selectors.feedback_item_in(organisation=request.organisation, item_id=item_id)
    except FeedbackItem.DoesNotExist:
        raise Http404("No such feedback") from None


@permission_required("listening.view_feedback")
def feedback_list(request: HeardRequest) -> HttpResponse:
    form = FeedbackFilterForm(request.GET, organisation=request.organisation)
    if not form.is_valid():
        return render(request, "listening/feedback_list.jinja", {"form": form, "page": None}, status=400)
    items = selectors.feedback_for(organisation=request.organisation, filters=form.filters())
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "listening/feedback_list.jinja",
        {"form": form, "page": page, "query": query.urlencode(), "fft_labels": fft.LABELS},
    )


@permission_required("listening.view_feedback")
def feedback_detail(request: HeardRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    return render(request, "listening/feedback_detail.jinja", _detail_context(request, item))


def _answers_in_words(item: FeedbackItem) -> list[tuple[str, str]]:
    """Each answer as staff read it: the labels people chose, not the values stored."""
    rows = []
    for answer in item.answers.all():
        value = answer.text or answer.choices or answer.number or answer.date
        rows.append((answer.question.text, answer_in_words(answer.question, value, "en") or "Not answered"))
    return rows


def _detail_context(request: HeardRequest, item: FeedbackItem) -> dict[str, Any]:
    return {
        "item": item,
        "answer_rows": _answers_in_words(item),
        "fft_labels": fft.LABELS,
        "flag_form": FlagForm(initial={"note": item.flag_note}),
        "has_contact": vault_holds(organisation=request.organisation, pseudonym=item.respondent_pseudonym),
        "contact_form": ContactReasonForm(),
        "panels": page_panels_for(request, "feedback_item", item),
    }


@permission_required("listening.flag_feedback")
@require_POST
def feedback_flag_view(request: HeardRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    form = FlagForm(request.POST)
    if form.is_valid():
        flags.feedback_flag(
            actor=request.user,
            item=item,
            flagged=form.cleaned_data["flagged"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request, "Marked for follow-up" if item.flagged else "No longer marked for follow-up"
        )
    return redirect("listening:feedback_detail", item_id=item.pk)


def _export_rows(items: Any) -> Iterator[list[object]]:
    for item in items.iterator(chunk_size=2000):
        yield [
            item.pk,
            timezone.localtime(item.received_at).strftime("%Y-%m-%d %H:%M"),
            item.source.name,
            item.get_channel_display(),
            item.project.title if item.project else "",
            item.survey.title if item.survey else "",
            item.service,
            fft.LABELS.get(item.fft_answer, ""),
            item.text,
            "yes" if item.flagged else "no",
            item.flag_note,
        ]


@permission_required("listening.export_feedback")
def feedback_export(request: HeardRequest, file_format: str) -> HttpResponse:
    if file_format not in {"csv", "xlsx"}:
        raise Http404("Exports are CSV or Excel")
    form = FeedbackFilterForm(request.GET, organisation=request.organisation)
    if not form.is_valid():
        return render(request, "listening/feedback_list.jinja", {"form": form, "page": None}, status=400)
    filters = form.filters()
    items = selectors.feedback_for(organisation=request.organisation, filters=filters)
    count = items.count()
    audit_record(
        actor=request.user,
        action="feedback.exported",
        organisation=request.organisation,
        detail={"format": file_format, "rows": count, "filters": filters.as_detail()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"heard-feedback-{request.organisation.slug}-{stamp}.{file_format}"
    if file_format == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            csv_stream(EXPORT_HEADER, _export_rows(items)), content_type="text/csv; charset=utf-8"
        )
    else:
        if count > XLSX_LIMIT:
            messages.error(
                request, f"Excel exports hold up to {XLSX_LIMIT:,} items. Narrow the filters or use CSV."
            )
            return redirect(f"{reverse('listening:feedback_list')}?{request.GET.urlencode()}")
        response = HttpResponse(
            xlsx_bytes("Feedback", EXPORT_HEADER, _export_rows(items)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response  # type: ignore[return-value]


class ContactReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        error_messages={"required": "Say why you need to see these contact details"},
    )


@never_cache
@permission_required("privacy.view_contact_details")
@require_POST
def feedback_contact(request: HeardRequest, item_id: int) -> HttpResponse:
    """Shows the contact details the person gave, to staff who say why they need them. Always audited."""
    item = _item_or_404(request, item_id)
    if not vault_holds(organisation=request.organisation, pseudonym=item.respondent_pseudonym):
        raise Http404("No contact details are held for this feedback")
    form = ContactReasonForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "listening/feedback_detail.jinja",
            {**_detail_context(request, item), "contact_form": form},
            status=400,
        )
    records = vault_read(
        actor=request.user,
        organisation=request.organisation,
        pseudonym=item.respondent_pseudonym,
        reason=f"Feedback {item.pk}: {form.cleaned_data['reason']}",
    )
    return render(request, "listening/feedback_contact.jinja", {"item": item, "records": records})
