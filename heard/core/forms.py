"""Validation at the edge for the core app's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from heard.core.models import Role


class SigninForm(forms.Form):
    username = forms.CharField(max_length=150, error_messages={"required": "Enter your username"})
    password = forms.CharField(
        max_length=256, strip=False, error_messages={"required": "Enter your password"}
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app, or a recovery code"},
    )


class SetupCodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "invalid": "The code must be 6 digits, like 123456",
        },
    )


class MemberAddForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]{3,150}$",
        error_messages={
            "required": "Enter a username",
            "invalid": "A username is 3 to 150 letters, numbers and . @ + - _",
        },
    )
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(
        required=False, error_messages={"invalid": "Enter an email address like name@nhs.net"}
    )
    role = forms.ChoiceField(choices=Role.choices, error_messages={"required": "Choose a role"})
    password = forms.CharField(
        strip=False,
        required=False,
        help_text="Only for a new account. They should change it when they first sign in.",
    )

    def __init__(self, *args: Any, new_user: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_user = new_user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.new_user and cleaned.get("username"):
            password = cleaned.get("password") or ""
            if not password:
                self.add_error("password", "Enter a first password for the new account")
            else:
                try:
                    validate_password(password)
                except forms.ValidationError as error:
                    self.add_error("password", error)
        return cleaned


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, error_messages={"required": "Choose a role"})


class AuditSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    action = forms.CharField(required=False, max_length=80)
    actor = forms.CharField(required=False, max_length=150, label="Username")
    identifiable = forms.BooleanField(required=False, label="Only views of identifiable data")
    date_from = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": "Enter a date like 2026-03-31"}
    )
    date_to = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": "Enter a date like 2026-03-31"}
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        strip=False, error_messages={"required": "Enter your current password"}
    )
    new_password = forms.CharField(strip=False, error_messages={"required": "Enter a new password"})

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current_password(self) -> str:
        current: str = self.cleaned_data["current_password"]
        if not self.user.check_password(current):
            raise forms.ValidationError("Your current password is not right")
        return current

    def clean_new_password(self) -> str:
        new: str = self.cleaned_data["new_password"]
        validate_password(new, self.user)
        return new

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("current_password") and cleaned.get("current_password") == cleaned.get("new_password"):
            self.add_error("new_password", "Choose a password different from your current one")
        return cleaned
