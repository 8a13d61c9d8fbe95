"""Who has and has not been heard: a project's or survey's respondents against a population profile."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from heard.core.access import may, permission_required, require
from heard.core.disclosure import SmallNumberRule
from heard.core.http import HeardRequest
from heard.understanding import representation
from heard.understanding.forms import PopulationForm, RepresentationForm
from heard.understanding.selectors import population_profiles

EXAMPLE = Path(__file__).resolve().parent / "data" / "example_population.csv"
MAX_POPULATION_BYTES = 2_000_000


@permission_required("understanding.view_themes")
def representation_view(request: HeardRequest) -> HttpResponse:
    form = RepresentationForm(request.GET or None, organisation=request.organisation)
    result = None
    scope = ""
    if form.is_bound and form.is_valid():
        project, survey = form.cleaned_data["project"], form.cleaned_data["survey"]
        if survey is not None or project is not None:
            scope = f"the survey ‘{survey.title}’" if survey is not None else f"the project ‘{project.title}’"
            result = representation.representation_of(
                organisation=request.organisation,
                project=project,
                survey=survey,
                profile=form.cleaned_data["population"],
            )
    return render(
        request,
        "understanding/representation.jinja",
        {
            "form": form,
            "result": result,
            "scope": scope,
            "profile": form.cleaned_data.get("population") if form.is_bound and form.is_valid() else None,
            "rule": SmallNumberRule.of(request.organisation).describe(),
        },
    )


@permission_required("understanding.view_themes")
def population_list(request: HeardRequest) -> HttpResponse:
    form = PopulationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request, "understanding.manage_codebooks")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_POPULATION_BYTES:
                form.add_error(
                    "file", "The file is bigger than 2 MB; a population profile is a few hundred rows"
                )
            else:
                try:
                    profile = representation.population_load(
                        actor=request.user,
                        organisation=request.organisation,
                        name=form.cleaned_data["name"],
                        area=form.cleaned_data["area"],
                        source=form.cleaned_data["source"],
                        content=upload.read(),
                    )
                except representation.ProfileProblem as problem:
                    form.add_error("file", str(problem))
                else:
                    messages.success(request, f"Population ‘{profile.name}’ loaded.")
                    return redirect("understanding:populations")
    return render(
        request,
        "understanding/populations.jinja",
        {
            "form": form,
            "profiles": population_profiles(organisation=request.organisation),
            "may_manage": may(request, "understanding.manage_codebooks"),
            "dimensions": representation.DIMENSIONS,
        },
        status=400 if form.errors else 200,
    )


@permission_required("understanding.view_themes")
def population_example(request: HeardRequest) -> HttpResponse:
    response = HttpResponse(EXAMPLE.read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="example_population.csv"'
    return response
