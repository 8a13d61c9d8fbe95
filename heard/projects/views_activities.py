"""A project's activities: the workshops, events and focus groups it ran, with attendance and who came."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from heard.core.access import permission_required
from heard.core.http import HeardRequest
from heard.projects import activity_selectors, selectors
from heard.projects.activity_forms import ActivityForm
from heard.projects.activity_services import activity_create, activity_update
from heard.projects.models import Activity, EqualityGroup, Project


def _project_or_404(request: HeardRequest, slug: str) -> Project:
    try:
        return selectors.project_in(organisation=request.organisation, slug=slug)
    except Project.DoesNotExist:
        raise Http404("No such project") from None


def _activity_or_404(request: HeardRequest, slug: str, activity_id: int) -> Activity:
    try:
        return activity_selectors.activity_in(
            organisation=request.organisation, slug=slug, activity_id=activity_id
        )
    except Activity.DoesNotExist:
        raise Http404("No such activity") from None


@permission_required("projects.view")
def activity_list(request: HeardRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    return render(
        request,
        "projects/activities/list.jinja",
        {"project": project, "activities": activity_selectors.activities_of(project=project)},
    )


@permission_required("projects.view")
def activity_detail(request: HeardRequest, slug: str, activity_id: int) -> HttpResponse:
    activity = _activity_or_404(request, slug, activity_id)
    labels = dict(EqualityGroup.choices)
    return render(
        request,
        "projects/activities/detail.jinja",
        {
            "project": activity.project,
            "activity": activity,
            "comment_count": activity.feedback_items.count(),
            "group_labels": [labels[group] for group in activity.groups_reached if group in labels],
        },
    )


@permission_required("projects.change")
@require_http_methods(["GET", "POST"])
def activity_form(request: HeardRequest, slug: str, activity_id: int | None = None) -> HttpResponse:
    project = _project_or_404(request, slug)
    activity = _activity_or_404(request, slug, activity_id) if activity_id is not None else None
    initial = ActivityForm.initial_for(activity) if activity else {}
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if activity is None:
            activity = activity_create(actor=request.user, project=project, **form.cleaned_data)
            messages.success(request, f"Activity recorded: {activity.title}")
        else:
            activity_update(actor=request.user, activity=activity, **form.cleaned_data)
            messages.success(request, "Activity saved")
        return redirect("projects:activity_detail", slug=project.slug, activity_id=activity.pk)
    return render(
        request,
        "projects/activities/form.jinja",
        {"project": project, "activity": activity, "form": form},
        status=400 if form.errors else 200,
    )
