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
from heard.projects.models import Project
from heard.projects.selectors import project_in
from heard.reports import builders
from heard.reports.documents import Document
from heard.reports.render import document_context, render_as

TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def _respond(
    request: HeardRequest,
    document: Document,
    name: str,
    what: dict[str, str],
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    file_format = request.GET.get("format", "")
    if file_format not in TYPES:
        return render(
            request,
            "reports/page.jinja",
            {
                **document_context(document),
                "report_title": document.title,
                "formats": list(TYPES),
                **(extra or {}),
            },
        )
    data = render_as(document, file_format)
    audit_record(
        actor=request.user,
        action="report.downloaded",
        organisation=request.organisation,
        detail={**what, "format": file_format},
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
    document = builders.ppie_report(project=project, produced_by=request.user.display_name)
    return _respond(
        request, document, f"ppie-report-{project.slug}", {"report": "ppie", "project": project.slug}
    )


@permission_required("reports.view")
def consultation(request: HeardRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    survey = None
    if request.GET.get("survey"):
        survey = builders.survey_of(project=project, code=request.GET["survey"])
        if survey is None:
            raise Http404("No such survey")
    try:
        document = builders.consultation_report(
            project=project, survey=survey, produced_by=request.user.display_name
        )
    except ValueError:
        return render(request, "reports/no_survey.jinja", {"project": project})
    what = {"report": "consultation", "project": project.slug, "survey": request.GET.get("survey", "")}
    return _respond(request, document, f"consultation-summary-{project.slug}", what)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@permission_required("reports.view")
def board(request: HeardRequest) -> HttpResponse:
    """The board report for the period chosen (YYYY-MM-DD, as the date boxes send it), by default the last full
    quarter. A date that cannot be read, or an end before the start, is said, not quietly replaced."""
    start, end = builders.last_full_quarter(timezone.localdate())
    problem = ""
    asked_start, asked_end = request.GET.get("from", ""), request.GET.get("to", "")
    if asked_start or asked_end:
        chosen_start, chosen_end = _date(asked_start), _date(asked_end)
        if (asked_start and chosen_start is None) or (asked_end and chosen_end is None):
            problem = "Enter dates like 2026-09-30. The report below is for the last full quarter."
        else:
            start, end = builders.period_from(chosen_start, chosen_end, today=timezone.localdate())
            if end < start:
                problem = "The end of the period must be the same as or after its start."
                start, end = builders.last_full_quarter(timezone.localdate())
    document = builders.board_report(
        organisation=request.organisation, start=start, end=end, produced_by=request.user.display_name
    )
    what = {"report": "board", "from": start.isoformat(), "to": end.isoformat()}
    return _respond(
        request,
        document,
        f"board-report-{start}-{end}",
        what,
        {"period_form": {"start": start.isoformat(), "end": end.isoformat(), "problem": problem}},
    )
