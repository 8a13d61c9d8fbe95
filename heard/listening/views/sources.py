"""Feedback sources: everyone may see them; administrators add them, with how long their items are kept."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from heard.core.access import may, permission_required
from heard.core.http import HeardRequest
from heard.listening.importing import selectors
from heard.listening.models import SourceKind
from heard.listening.services.sources import source_create


class SourceForm(forms.Form):
    name = forms.CharField(
        max_length=120, error_messages={"required": "Enter a name for the source, like 'FFT - Ward 23'"}
    )
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind"), *SourceKind.choices],
        error_messages={"required": "Choose what kind of source it is"},
    )
    retention_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=36500,
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 730",
            "min_value": "Keep items for at least 1 day, or leave it empty to keep them until removed",
            "max_value": "Enter at most 36,500 days (100 years)",
        },
    )


@permission_required("listening.view_feedback")
@require_http_methods(["GET", "POST"])
def source_list(request: HeardRequest) -> HttpResponse:
    may_manage = may(request, "listening.manage_sources")
    form = SourceForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied("listening.manage_sources")
        if form.is_valid():
            try:
                source = source_create(
                    actor=request.user,
                    organisation=request.organisation,
                    name=form.cleaned_data["name"].strip(),
                    kind=form.cleaned_data["kind"],
                    retention_days=form.cleaned_data["retention_days"],
                )
            except ValidationError:
                form.add_error("name", "There is already a source with that name")
            else:
                messages.success(request, f"Added the source {source.name}")
                return redirect("listening:sources")
    sources = selectors.sources_with_counts(organisation=request.organisation)
    return render(
        request,
        "listening/sources/list.jinja",
        {
            "form": form,
            "sources": sources,
            "may_manage": may_manage,
            "may_import": may(request, "listening.import_feedback"),
        },
        status=400 if form.errors else 200,
    )
