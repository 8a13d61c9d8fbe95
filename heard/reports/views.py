"""Reports on the web: the page inside the staff layout, and the same document as HTML, PDF or Word to download."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from heard.core.access import permission_required
from heard.core.audit import audit_record
from heard.core.http import HeardRequest
from heard.listening.models import Survey
from heard.projects.models import Project
from heard.projects.selectors import project_in
from heard.reports import builders
from heard.reports.documents import Document
from heard.reports.render import document_context, to_docx, to_html, to_pdf

TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def _respond(request: HeardRequest, document: Document, name: str, what: str) -> HttpResponse:
    file_format = request.GET.get("format", "")
    if file_format not in TYPES:
        return render(
            request,
            "reports/page.jinja",
            {**document_context(document), "report_title": document.title, "formats": list(TYPES)},
        )
    data = (
        to_pdf(document)
        if file_format == "pdf"
        else to_docx(document)
        if file_format == "docx"
        else to_html(document).encode("utf-8")
    )
    audit_record(
        actor=request.user,
        action="report.downloaded",
        organisation=request.organisation,
        detail={"report": what, "format": file_format},
    )
    response = HttpResponse(data, content_type=TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)[:80]}.{file_format}"'
    return response


def _project_or_404(request: HeardRequest, slug: str) -> Project:
    try:
        return project_in(organisation=request.organisation, slug=slug)
    except Project.DoesNotExist:
        raise Http404("No such project") from None


@permission_required("reports.view")
def ppie(request: HeardRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    return _respond(request, builders.ppie_report(project=project), f"ppie-report-{project.slug}", "ppie")


@permission_required("reports.view")
def consultation(request: HeardRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    survey = None
    if request.GET.get("survey"):
        survey = Survey.objects.filter(project=project, code=request.GET["survey"]).first()
        if survey is None:
            raise Http404("No such survey")
    try:
        document = builders.consultation_report(project=project, survey=survey)
    except ValueError:
        return render(request, "reports/no_survey.jinja", {"project": project})
    return _respond(request, document, f"consultation-summary-{project.slug}", "consultation")


def _date(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


@permission_required("reports.view")
def board(request: HeardRequest) -> HttpResponse:
    default_start, default_end = builders.last_full_quarter(timezone.localdate())
    start = _date(request.GET.get("from"), default_start)
    end = _date(request.GET.get("to"), default_end)
    if end < start:
        start, end = default_start, default_end
    document = builders.board_report(organisation=request.organisation, start=start, end=end)
    return _respond(request, document, f"board-report-{start}-{end}", "board")
