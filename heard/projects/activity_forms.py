"""Validation at the edge for a project's activities."""

from __future__ import annotations

from typing import Any

from django import forms

from heard.core.fields import NhsDateField
from heard.projects.models import Activity, ActivityKind, EqualityGroup


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ActivityKind.choices, error_messages={"required": "Choose what kind of activity"}
    )
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the activity's title"})
    held_on = NhsDateField(error_messages={"required": "Enter the date it was held"})
    location = forms.CharField(required=False, max_length=200)
    attendance = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={"invalid": "Enter how many people came as a whole number, like 24"},
    )
    groups_reached = forms.MultipleChoiceField(choices=EqualityGroup.choices, required=False)
    notes = forms.CharField(required=False, max_length=20000, widget=forms.Textarea)

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        return {
            "kind": activity.kind,
            "title": activity.title,
            "held_on": activity.held_on,
            "location": activity.location,
            "attendance": activity.attendance,
            "groups_reached": activity.groups_reached,
            "notes": activity.notes,
        }
