"""Importing CSV and Excel files: upload, say which column holds what, check and preview, import, watch."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from heard.core.access import permission_required
from heard.core.http import HeardRequest
from heard.listening import fft
from heard.listening.importing import selectors
from heard.listening.importing.mapping import DATE_FORMATS, FIELDS, columns_fit, columns_guess
from heard.listening.importing.run import preview_rows
from heard.listening.models import Channel, FeedbackSource, ImportBatch, ImportStatus
from heard.listening.selectors import projects_of
from heard.listening.services import imports
from heard.projects.models import Project

PAGE_SIZE = 25
NOT_IN_FILE = ""


class UploadForm(forms.Form):
    source = forms.ModelChoiceField[FeedbackSource](
        queryset=FeedbackSource.objects.none(),
        empty_label="Choose a source",
        error_messages={"required": "Choose the source the file comes from"},
    )
    file = forms.FileField(
        error_messages={"required": "Choose a CSV or Excel file", "empty": "The file is empty"},
    )

    def __init__(self, *args: Any, sources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = imports.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file must be smaller than {limit // (1024 * 1024)} MB. Split it, or save it as CSV."
            )
        name = upload.name.lower()
        if not name.endswith((".csv", ".txt", ".tsv", ".xlsx", ".xlsm")):
            raise forms.ValidationError("The file must be a CSV file (.csv) or an Excel workbook (.xlsx)")
        return upload


class ColumnsForm(forms.Form):
    """One choice of column per field, built from the file's own header."""

    date_format = forms.ChoiceField(choices=DATE_FORMATS, initial="auto")
    default_channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.OTHER)
    project = forms.ModelChoiceField[Project](
        queryset=Project.objects.none(), required=False, empty_label="No project, or from a column"
    )
    mapping_name = forms.CharField(
        max_length=120, error_messages={"required": "Give the column choices a name, to use them next time"}
    )

    def __init__(self, *args: Any, header: list[str], projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_IN_FILE, "Not in this file"), *((column, column) for column in header)]
        for field in FIELDS:
            self.fields[f"column_{field.key}"] = forms.ChoiceField(choices=choices, required=False)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("column_text") and not cleaned.get("column_fft_answer"):
            self.add_error("column_text", "Choose the column that holds the comment")
        chosen = [cleaned.get(f"column_{field.key}") for field in FIELDS]
        used = [column for column in chosen if column]
        if len(used) != len(set(used)):
            self.add_error(None, "Each column can hold only one thing: a column is chosen twice")
        return cleaned

    def columns(self) -> dict[str, str]:
        return {
            field.key: self.cleaned_data[f"column_{field.key}"]
            for field in FIELDS
            if self.cleaned_data.get(f"column_{field.key}")
        }

    def column_fields(self) -> list[tuple[Any, str, str]]:
        return [(self[f"column_{field.key}"], field.label, field.hint) for field in FIELDS]


def _batch_or_404(request: HeardRequest, batch_id: int) -> ImportBatch:
    try:
        return selectors.import_batch_in(organisation=request.organisation, batch_id=batch_id)
    except ImportBatch.DoesNotExist:
        raise Http404("No such import") from None


@permission_required("listening.import_feedback")
def import_list(request: HeardRequest) -> HttpResponse:
    batches = selectors.imports_of(organisation=request.organisation)
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "listening/imports/list.jinja", {"page": page})


@permission_required("listening.import_feedback")
@require_http_methods(["GET", "POST"])
def import_new(request: HeardRequest) -> HttpResponse:
    sources = selectors.sources_with_counts(organisation=request.organisation)
    initial = {"source": request.GET.get("source")} if request.GET.get("source", "").isdigit() else {}
    form = UploadForm(request.POST or None, request.FILES or None, sources=sources, initial=initial)
    earlier = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.import_upload(
                actor=request.user,
                organisation=request.organisation,
                source=form.cleaned_data["source"],
                file_name=upload.name,
                chunks=upload.chunks(),
            )
        except imports.ImportRefused as refusal:
            form.add_error("file", refusal.message)
            earlier = refusal.earlier
        else:
            return redirect("listening:import_columns", batch_id=batch.pk)
    return render(
        request,
        "listening/imports/new.jinja",
        {
            "form": form,
            "earlier": earlier,
            "has_sources": sources.exists(),
            "limit": imports.IMPORT_MAX_BYTES,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@permission_required("listening.import_feedback")
@require_http_methods(["GET", "POST"])
def import_columns(request: HeardRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    if batch.status != ImportStatus.PREVIEWED:
        return redirect("listening:import_detail", batch_id=batch.pk)
    try:
        header = imports.import_header(batch)
    except imports.ImportRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("listening:import_detail", batch_id=batch.pk)
    saved = batch.mapping or selectors.mapping_latest(source=batch.source)
    if saved is not None:
        columns = columns_fit(saved.columns, header)
        initial: dict[str, Any] = {
            "date_format": saved.date_format or "auto",
            "default_channel": saved.default_channel,
            "mapping_name": saved.name,
        }
    else:
        columns = columns_guess(header)
        initial = {"mapping_name": f"{batch.source.name} columns"[:120]}
    initial.update({f"column_{key}": column for key, column in columns.items()})
    if batch.project_id:
        initial["project"] = batch.project_id
    projects = projects_of(organisation=request.organisation)
    form = ColumnsForm(request.POST or None, header=header, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            imports.import_map(
                actor=request.user,
                batch=batch,
                mapping_name=form.cleaned_data["mapping_name"],
                columns=form.columns(),
                date_format=form.cleaned_data["date_format"],
                default_channel=form.cleaned_data["default_channel"],
                project=form.cleaned_data.get("project"),
            )
        except imports.ImportRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("listening:import_detail", batch_id=batch.pk)
    return render(
        request,
        "listening/imports/columns.jinja",
        {"form": form, "batch": batch, "file_columns": header, "saved": saved},
        status=400 if form.errors else 200,
    )


@never_cache
@permission_required("listening.import_feedback")
def import_detail(request: HeardRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    preview = []
    file_gone = False
    if batch.status == ImportStatus.PREVIEWED and batch.mapping_id:
        try:
            preview = preview_rows(
                path=imports.import_file_path(batch),
                file_name=batch.file_name,
                choice=imports.import_choice(batch),
                projects=selectors.projects_for_import(organisation=request.organisation),
            )
        except (imports.ImportRefused, OSError):
            file_gone = True
    earlier = None
    if batch.status == ImportStatus.PREVIEWED:
        earlier = imports.import_earlier(source=batch.source, file_sha256=batch.file_sha256)
    percent = round(100 * batch.rows_done / batch.rows_total) if batch.rows_total else 0
    return render(
        request,
        "listening/imports/detail.jinja",
        {
            "batch": batch,
            "preview": preview,
            "file_gone": file_gone,
            "earlier": earlier,
            "percent": percent,
            "rows_good": batch.rows_total - batch.rows_bad,
            "fft_labels": fft.LABELS,
            "channel_labels": dict(Channel.choices),
            "running": batch.status == ImportStatus.RUNNING,
        },
    )


@permission_required("listening.import_feedback")
@require_POST
def import_start(request: HeardRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    try:
        batch = imports.import_start(
            actor=request.user, batch=batch, good_rows=request.POST.get("good_rows") == "yes"
        )
    except imports.ImportRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("listening:import_detail", batch_id=batch.pk)
    if batch.status == ImportStatus.DONE:
        messages.success(request, f"{batch.rows_imported:,} rows imported")
    return redirect("listening:import_detail", batch_id=batch.pk)
