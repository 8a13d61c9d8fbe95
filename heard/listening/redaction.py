"""Listening's doorway to heard.privacy: every piece of free text passes through here before it is stored."""

from __future__ import annotations

import re
from collections import Counter

from heard.privacy.redaction import redact

PLACEHOLDER = re.compile(r"\[(NAME|NHS_NUMBER|PHONE|EMAIL|POSTCODE|ADDRESS|DATE_OF_BIRTH|NI_NUMBER)\]")


def text_depersonalise(text: str) -> tuple[str, dict[str, int]]:
    """The text with identifiers replaced, and how many of each kind were removed (never the values)."""
    if not text:
        return "", {}
    cleaned = redact(text)
    before = Counter(PLACEHOLDER.findall(text))
    after = Counter(PLACEHOLDER.findall(cleaned))
    removed = {kind: count for kind, count in (after - before).items() if count}
    return cleaned, removed
