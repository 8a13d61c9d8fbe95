"""Validation at the edge for the feedback pages."""

from __future__ import annotations

from typing import Any

from django import forms

from heard.core.models import Organisation
from heard.listening import selectors
from heard.listening.models import Channel, FeedbackSource, Survey
from heard.listening.selectors import FeedbackFilters
from heard.projects.models import Project

DATE_MESSAGE = "Enter a date like 2026-03-31"


class FeedbackFilterForm(forms.Form):
    project = forms.ModelChoiceField[Project](
        queryset=Project.objects.none(), required=False, empty_label="All projects", to_field_name="slug"
    )
    survey = forms.ModelChoiceField[Survey](
        queryset=Survey.objects.none(), required=False, empty_label="All surveys", to_field_name="code"
    )
    channel = forms.ChoiceField(choices=[("", "All channels"), *Channel.choices], required=False)
    source = forms.ModelChoiceField[FeedbackSource](
        queryset=FeedbackSource.objects.none(), required=False, empty_label="All sources"
    )
    service = forms.CharField(required=False, max_length=200)
    date_from = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": DATE_MESSAGE}
    )
    date_to = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": DATE_MESSAGE}
    )
    flagged = forms.BooleanField(required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = selectors.projects_of(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["survey"].queryset = selectors.surveys_of(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["source"].queryset = selectors.sources_of(organisation=organisation)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def filters(self) -> FeedbackFilters:
        data = self.cleaned_data
        return FeedbackFilters(
            project=data.get("project"),
            survey=data.get("survey"),
            channel=data.get("channel") or "",
            source=data.get("source"),
            service=data.get("service") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            flagged_only=bool(data.get("flagged")),
        )


class FlagForm(forms.Form):
    flagged = forms.BooleanField(required=False)
    note = forms.CharField(required=False, max_length=500)
