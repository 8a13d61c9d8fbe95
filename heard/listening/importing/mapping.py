"""Which column of a file holds what, and a first guess from the column names an export usually has."""

from __future__ import annotations

import re
from dataclasses import dataclass

from heard.listening.models import Channel
from heard.projects.models import Project


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    hint: str


# What a column can hold, in the order the mapping page asks for them.
FIELDS: tuple[ImportField, ...] = (
    ImportField("text", "Comment", "What the person wrote. Identifiers are removed before it is stored."),
    ImportField(
        "received_at", "Date received", "When the feedback was given. Without it, the import date is used."
    ),
    ImportField("service", "Service, ward or team", "What the feedback is about, as the file names it."),
    ImportField(
        "question",
        "Question",
        "The question the comment answers, like “What could we do better?”, where the file has one.",
    ),
    ImportField(
        "fft_answer", "Friends and Family Test answer", "Very good to Very poor, Don't know, or 1 to 6."
    ),
    ImportField(
        "external_id", "Reference or ID", "The file's own reference, so that a row sent twice is stored once."
    ),
    ImportField(
        "channel", "Channel", "How it was given: online, paper, telephone… Otherwise the default below."
    ),
    ImportField("project", "Project", "A project's short name or title in Heard."),
)
FIELD_KEYS = frozenset(field.key for field in FIELDS)

# Date layouts offered on the mapping page. Day comes before month unless the person says otherwise.
DATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("auto", "Work it out (day before month, as in the UK)"),
    ("DD/MM/YYYY", "DD/MM/YYYY, like 31/03/2026 (a time after it is kept)"),
    ("DD/MM/YYYY HH:MM", "DD/MM/YYYY HH:MM, like 31/03/2026 14:30"),
    ("YYYY-MM-DD", "YYYY-MM-DD, like 2026-03-31 (a time after it is kept)"),
    ("MM/DD/YYYY", "MM/DD/YYYY, like 03/31/2026 (American exports)"),
)
DATE_FORMAT_KEYS = frozenset(key for key, _ in DATE_FORMATS)

# Column names seen in FFT, PALS, complaints and survey-tool exports, normalised (lower case, words only).
_GUESSES: dict[str, tuple[str, ...]] = {
    "text": (
        "comment",
        "comments",
        "free text",
        "feedback",
        "text",
        "comment text",
        "fft why",
        "why",
        "what was good",
        "response",
        "details",
        "description",
        "message",
        "verbatim",
        "patient comment",
    ),
    "received_at": (
        "date",
        "date received",
        "received",
        "received date",
        "response date",
        "submitted",
        "date submitted",
        "created",
        "created at",
        "timestamp",
        "date of response",
        "when",
    ),
    "service": (
        "ward",
        "service",
        "department",
        "team",
        "unit",
        "location",
        "site",
        "practice",
        "specialty",
        "clinic",
        "ward name",
        "service name",
    ),
    "fft_answer": (
        "rating",
        "fft",
        "fft rating",
        "fft score",
        "fft answer",
        "fft response",
        "score",
        "overall",
        "overall rating",
        "experience",
        "fft question",
    ),
    "external_id": (
        "id",
        "ref",
        "reference",
        "response id",
        "comment id",
        "case number",
        "case id",
        "record id",
        "respondent id",
        "unique id",
    ),
    "channel": ("channel", "method", "mode", "collection method", "how received"),
    "project": ("project", "project name", "engagement"),
    "question": ("question", "question text", "question asked", "survey question"),
}


def _normalised(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


def columns_guess(header: list[str]) -> dict[str, str]:
    """A first mapping from the column names alone: exact known names first, then names that contain one."""
    names = {_normalised(column): column for column in reversed(header)}
    taken: set[str] = set()
    guess: dict[str, str] = {}
    for key, candidates in _GUESSES.items():
        for candidate in candidates:
            column = names.get(candidate)
            if column and column not in taken:
                guess[key] = column
                taken.add(column)
                break
    for key in ("text", "received_at", "fft_answer"):
        if key in guess:
            continue
        for normalised, column in names.items():
            words = normalised.split()
            if "birth" in words:  # a date of birth is never the date feedback arrived
                continue
            if column not in taken and any(candidate in words for candidate in _GUESSES[key][:3]):
                guess[key] = column
                taken.add(column)
                break
    return guess


def columns_fit(saved: dict[str, str], header: list[str]) -> dict[str, str]:
    """The saved mapping's columns that this file has, so that a renamed column is asked about, not guessed."""
    present = set(header)
    return {key: column for key, column in saved.items() if key in FIELD_KEYS and column in present}


@dataclass(frozen=True)
class MappingChoice:
    """Everything the row checker needs to know about a file's layout and the defaults for its rows."""

    columns: dict[str, str]
    date_format: str = "auto"
    default_channel: str = Channel.OTHER
    project: Project | None = None
