"""Redaction of identifiers in free text: ``redact``, ``redact_many`` and ``find_identifiers``.

Each identifier is replaced by a typed placeholder: ``[NAME]``, ``[NHS_NUMBER]``, ``[PHONE]``, ``[EMAIL]``,
``[POSTCODE]``, ``[ADDRESS]``, ``[DATE_OF_BIRTH]`` or ``[NI_NUMBER]``. See docs/adr/0011-redaction.md.
"""

from __future__ import annotations

from heard.privacy.redaction.engine import (
    KINDS,
    Identifier,
    find_identifiers,
    redact,
    redact_counting,
    redact_many,
)
from heard.privacy.redaction.numbers import nhs_number_is_valid

__all__ = [
    "KINDS",
    "Identifier",
    "find_identifiers",
    "nhs_number_is_valid",
    "redact",
    "redact_counting",
    "redact_many",
]
