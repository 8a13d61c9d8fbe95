"""Engagement project pages: list, read, create and change, within the member's organisation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from heard.core.access import permission_required
from heard.core.http import HeardRequest
from heard.core.page_panels import page_panels_for
from heard.projects import selectors
from heard.projects.forms import ProjectForm
from heard.projects.models import Project, Stage
from heard.projects.services import project_create, project_update


def _project_or_404(request: HeardRequest, slug: str) -> Project:
    try:
        return selectors.project_in(organisation=request.organisation, slug=slug)
    except Project.DoesNotExist:
        raise Http404("No such project") from None


@permission_required("projects.view")
def project_list(request: HeardRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    projects = selectors.projects_for(organisation=request.organisation, stage=stage)
    return render(
        request, "projects/list.jinja", {"projects": projects, "stage": stage, "stages": Stage.choices}
    )


@permission_required("projects.view")
def project_detail(request: HeardRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    panels = page_panels_for(request, "project", project)
    return render(request, "projects/detail.jinja", {"project": project, "panels": panels})


@permission_required("projects.create")
@require_http_methods(["GET", "POST"])
def project_new(request: HeardRequest) -> HttpResponse:
    organisation = request.organisation
    form = ProjectForm(request.POST or None, leads=selectors.possible_leads(organisation=organisation))
    if request.method == "POST" and form.is_valid():
        actor = request.user
        project = project_create(actor=actor, organisation=organisation, **form.cleaned_data)
        messages.success(request, f"Project created: {project.title}")
        return redirect("projects:detail", slug=project.slug)
    return render(
        request, "projects/form.jinja", {"form": form, "project": None}, status=400 if form.errors else 200
    )


@permission_required("projects.change")
@require_http_methods(["GET", "POST"])
def project_edit(request: HeardRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    initial = {
        "title": project.title,
        "summary": project.summary,
        "stage": project.stage,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "lead": project.lead,
        "equality_groups": project.equality_groups,
        "learning": project.learning,
        "promotion": project.promotion,
    }
    form = ProjectForm(
        request.POST or None,
        initial=initial,
        leads=selectors.possible_leads(organisation=project.organisation),
    )
    if request.method == "POST" and form.is_valid():
        actor = request.user
        project_update(actor=actor, project=project, **form.cleaned_data)
        messages.success(request, "Project updated")
        return redirect("projects:detail", slug=project.slug)
    return render(
        request, "projects/form.jinja", {"form": form, "project": project}, status=400 if form.errors else 200
    )
