"""Password rules beyond Django's own, following NCSC guidance: long passwords welcome, no composition rules."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Allows long passphrases but refuses absurd lengths that would only slow the hasher."""

    def __init__(self, max_length: int = 256) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"Password must be {self.max_length} characters or fewer.", code="password_too_long"
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."
