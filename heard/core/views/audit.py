"""The audit log: administrators search and export it; nobody can change it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from heard.core import selectors
from heard.core.access import permission_required
from heard.core.audit import audit_record
from heard.core.forms import AuditSearchForm
from heard.core.http import HeardRequest
from heard.core.models import AuditEntry
from heard.core.spreadsheets import csv_text

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _entries(request: HeardRequest, form: AuditSearchForm) -> QuerySet[AuditEntry] | None:
    """The entries the search form asks for, or None when the form has errors to show."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return selectors.audit_entries_for(
        organisation=request.organisation,
        text=data["q"],
        action=data["action"],
        actor=data["actor"],
        identifiable_only=data["identifiable"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


@permission_required("core.view_audit_log")
def audit_log(request: HeardRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET)
    entries = _entries(request, form)
    if entries is None:
        return render(request, "core/audit_log.jinja", {"form": form, "page": None, "query": ""}, status=400)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.jinja", {"form": form, "page": page, "query": query.urlencode()})


@permission_required("core.export_audit_log")
def audit_log_export(request: HeardRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET)
    entries = _entries(request, form)
    if entries is None:
        return render(request, "core/audit_log.jinja", {"form": form, "page": None, "query": ""}, status=400)
    actor = request.user
    rows = [
        [
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor_label,
            entry.action,
            entry.target_type,
            entry.target_id,
            entry.target_label,
            "yes" if entry.identifiable else "no",
            entry.reason,
            entry.ip_address or "",
            entry.channel,
        ]
        for entry in entries[:EXPORT_LIMIT]
    ]
    audit_record(
        actor=actor,
        action="audit_log.exported",
        organisation=request.organisation,
        detail={"rows": len(rows), "filters": {k: v for k, v in request.GET.items() if v}},
    )
    header = [
        "when",
        "who",
        "action",
        "target type",
        "target id",
        "target",
        "identifiable",
        "why",
        "from",
        "via",
    ]
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="heard-audit-{request.organisation.slug}-{stamp}.csv"'
    )
    return response
