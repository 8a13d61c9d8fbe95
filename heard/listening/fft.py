"""The Friends and Family Test, as NHS England has asked it since April 2020 (DOMAIN.md)."""

from __future__ import annotations

QUESTION = "Overall, how was your experience of our service?"

# In the order they are offered, with the published groupings.
ANSWERS: list[tuple[str, str]] = [
    ("very_good", "Very good"),
    ("good", "Good"),
    ("neither", "Neither good nor poor"),
    ("poor", "Poor"),
    ("very_poor", "Very poor"),
    ("dont_know", "Don't know"),
]
POSITIVE = frozenset({"very_good", "good"})
NEGATIVE = frozenset({"poor", "very_poor"})
LABELS = dict(ANSWERS)

# How other systems write the same answers: labels, the 1–6 codes of FFT returns, and common variants.
_ALIASES = {
    **{label.lower(): value for value, label in ANSWERS},
    **{str(number): value for number, (value, _) in enumerate(ANSWERS, start=1)},
    "extremely likely": "very_good",
    "likely": "good",
    "neither likely nor unlikely": "neither",
    "unlikely": "poor",
    "extremely unlikely": "very_poor",
    "neither good nor bad": "neither",
    "dont know": "dont_know",
    "don’t know": "dont_know",
    "do not know": "dont_know",
}


def fft_answer_parse(raw: str) -> str | None:
    """The standard answer a source's wording stands for, or None when it is not an FFT answer."""
    cleaned = " ".join(raw.strip().lower().replace("_", " ").split())
    if cleaned in LABELS:
        return cleaned
    return _ALIASES.get(cleaned)
