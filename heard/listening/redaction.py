"""Listening's doorway to heard.privacy: every piece of free text passes through here before it is stored."""

from __future__ import annotations

from heard.privacy.redaction import redact_counting


def text_depersonalise(text: str) -> tuple[str, dict[str, int]]:
    """The text with identifiers replaced, and how many of each kind were removed (never the values)."""
    return redact_counting(text) if text else ("", {})
