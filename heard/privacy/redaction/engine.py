"""Runs every recogniser over a text, settles overlaps, and replaces what was found with typed placeholders."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from heard.privacy.redaction.names import NAME, find_names
from heard.privacy.redaction.numbers import NHS_NUMBER, PHONE, find_numbers
from heard.privacy.redaction.patterns import (
    ADDRESS,
    DATE_OF_BIRTH,
    EMAIL,
    NI_NUMBER,
    POSTCODE,
    find_addresses,
    find_dates_of_birth,
    find_emails,
    find_ni_numbers,
    find_postcodes,
)
from heard.privacy.redaction.spans import Span

KINDS = (EMAIL, NHS_NUMBER, PHONE, NI_NUMBER, POSTCODE, DATE_OF_BIRTH, ADDRESS, NAME)
_DIGIT = re.compile(r"\d")
# When two findings overlap, the earlier kind here wins: an e-mail address holds a name, an address a number.
_PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class Identifier:
    """One identifier found in a text: its kind and where it is (``text[start:end] == value``)."""

    kind: str
    start: int
    end: int
    value: str

    @property
    def placeholder(self) -> str:
        return f"[{self.kind}]"


def _candidates(text: str) -> list[Span]:
    spans: list[Span] = []
    if "@" in text:
        spans.extend(find_emails(text))
    if _DIGIT.search(text):
        spans.extend(find_numbers(text))
        spans.extend(find_ni_numbers(text))
        spans.extend(find_postcodes(text))
        spans.extend(find_dates_of_birth(text))
        spans.extend(find_addresses(text))
    else:
        # Without a digit, only a street named after a cue ("I live on Mill Lane") can be there.
        spans.extend(find_addresses(text))
    spans.extend(find_names(text))
    return spans


def _settle(text: str, spans: list[Span]) -> list[Span]:
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (_PRIORITY[s.kind], s.start - s.end, s.start)):
        if all(span.end <= other.start or span.start >= other.end for other in chosen):
            chosen.append(span)
    chosen.sort()
    # "Dave Smith" is one name: one placeholder for names separated only by spaces.
    merged: list[Span] = []
    for span in chosen:
        if (
            merged
            and span.kind == NAME
            and merged[-1].kind == NAME
            and text[merged[-1].end : span.start].strip(" .") == ""
        ):
            merged[-1] = Span(merged[-1].start, span.end, NAME)
        else:
            merged.append(span)
    return merged


def find_identifiers(text: str) -> list[Identifier]:
    """Every identifier in ``text``, in order, without overlaps."""
    return [
        Identifier(kind=span.kind, start=span.start, end=span.end, value=text[span.start : span.end])
        for span in _settle(text, _candidates(text))
    ]


def redact(text: str) -> str:
    """``text`` with each identifier replaced by its placeholder, such as ``[NAME]`` or ``[NHS_NUMBER]``."""
    return redact_counting(text)[0]


def redact_counting(text: str) -> tuple[str, dict[str, int]]:
    """``redact``, and how many identifiers of each kind it replaced (never their values)."""
    if not text:
        return text, {}
    spans = _settle(text, _candidates(text))
    if not spans:
        return text, {}
    pieces: list[str] = []
    counts: dict[str, int] = {}
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(f"[{span.kind}]")
        counts[span.kind] = counts.get(span.kind, 0) + 1
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces), counts


def redact_many(texts: Iterable[str]) -> list[str]:
    """``redact`` for many texts; a text seen before in the batch is not analysed twice."""
    done: dict[str, str] = {}
    redacted: list[str] = []
    for text in texts:
        result = done.get(text)
        if result is None:
            result = redact(text)
            if len(done) < 100_000:
                done[text] = result
        redacted.append(result)
    return redacted
