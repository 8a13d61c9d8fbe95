"""Validation at the edge for decisions, their evidence and quotes."""

from __future__ import annotations

from typing import Any

from django import forms

from heard.acting.models import Decision, DecisionKind, DecisionStatus, EvidenceScope
from heard.core.fields import NhsDateField
from heard.core.models import User


class OwnerChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=DecisionKind.choices,
        error_messages={"required": "Choose whether this is decided or a commitment"},
    )
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a short title"})
    you_said = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
    we_did = forms.CharField(
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Say what was decided or will be done"},
    )
    owner_name = forms.CharField(required=False, max_length=200)
    owner = OwnerChoiceField(queryset=User.objects.none(), required=False, empty_label="Nobody named")
    decided_on = NhsDateField(required=False)
    due_on = NhsDateField(required=False)
    status = forms.ChoiceField(choices=DecisionStatus.choices, error_messages={"required": "Choose a status"})
    status_reason = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
    done_on = NhsDateField(required=False)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("status") == DecisionStatus.NOT_DONE
            and not (cleaned.get("status_reason") or "").strip()
        ):
            self.add_error("status_reason", "Say why it was not done")
        if (
            cleaned.get("kind") == DecisionKind.COMMITMENT
            and cleaned.get("status")
            in (
                DecisionStatus.PLANNED,
                DecisionStatus.IN_PROGRESS,
            )
            and not cleaned.get("due_on")
        ):
            self.add_error("due_on", "Enter the date it will be done by, so that people can hold us to it")
        return cleaned

    @staticmethod
    def initial_for(decision: Decision) -> dict[str, Any]:
        return {field: getattr(decision, field) for field in DecisionForm.base_fields}


class EvidenceForm(forms.Form):
    """One link at a time: the page offers the project's themes, events and questions, or a comment's number."""

    theme = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    scope = forms.ChoiceField(choices=EvidenceScope.choices, required=False, initial=EvidenceScope.PROJECT)
    activity = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    question = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    comment = forms.IntegerField(
        required=False, min_value=1, error_messages={"invalid": "Enter the comment's number, like 1234"}
    )
    note = forms.CharField(required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        themes: list[tuple[int, str]],
        activities: list[tuple[int, str]],
        questions: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Choose a theme"), *themes]  # type: ignore[attr-defined]
        self.fields["activity"].choices = [("", "Choose an event"), *activities]  # type: ignore[attr-defined]
        self.fields["question"].choices = [("", "Choose a question"), *questions]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [name for name in ("theme", "activity", "question", "comment") if cleaned.get(name)]
        if not chosen and not self.errors:
            raise forms.ValidationError("Choose a theme, an event, a question or a comment to link")
        if len(chosen) > 1:
            raise forms.ValidationError("Link one thing at a time")
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, error_messages={"required": "Say why"})


class QuoteForm(forms.Form):
    text = forms.CharField(
        max_length=600, widget=forms.Textarea, error_messages={"required": "Enter the words to quote"}
    )
    decision = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, decisions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", "Not linked to one decision"), *decisions]  # type: ignore[attr-defined]
