"""The landing address and the staff home, which later becomes the dashboard."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from heard.core.access import permission_required
from heard.projects.selectors import project_counts_by_stage, projects_recent


def root(request: HttpRequest) -> HttpResponse:
    return redirect("core:home" if request.user.is_authenticated else "core:login")


def no_organisation(request: HttpRequest) -> HttpResponse:
    return render(request, "core/no_organisation.jinja", status=403)


def home(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return no_organisation(request)
    return _home(request)


@permission_required("core.view_home")
def _home(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    return render(
        request,
        "core/home.jinja",
        {
            "recent_projects": projects_recent(organisation=organisation, limit=5),
            "stage_counts": project_counts_by_stage(organisation=organisation),
        },
    )
