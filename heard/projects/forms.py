"""Validation at the edge for engagement projects."""

from __future__ import annotations

from typing import Any

from django import forms

from heard.core.fields import NhsDateField
from heard.core.models import User
from heard.projects.models import EqualityGroup, Stage


class LeadChoiceField(forms.ModelChoiceField[User]):
    """Offers people by the name colleagues know them by, not their username."""

    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class ProjectForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the project's title"})
    summary = forms.CharField(required=False, max_length=5000)
    stage = forms.ChoiceField(
        choices=Stage.choices,
        error_messages={"required": "Choose where the project is on the commissioning cycle"},
    )
    starts_on = NhsDateField(required=False)
    ends_on = NhsDateField(required=False)
    lead = LeadChoiceField(queryset=User.objects.none(), required=False, empty_label="No lead yet")
    equality_groups = forms.MultipleChoiceField(choices=EqualityGroup.choices, required=False)
    learning = forms.CharField(required=False, max_length=10000)
    promotion = forms.CharField(required=False, max_length=10000)

    def __init__(self, *args: Any, leads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return cleaned
