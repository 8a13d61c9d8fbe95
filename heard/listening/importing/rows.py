"""One row of a file to an ``IncomingFeedback``, or to problems named by row and column in plain words.

Messages are written for the person who will correct the file: "Row 14, Date: '31/02/2026' is not a real date".
The checker holds no database connection: projects are looked up in a dictionary built once per file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.utils import timezone

from heard.listening import fft
from heard.listening.importing.mapping import MappingChoice
from heard.listening.importing.reading import Cell
from heard.listening.models import Channel
from heard.listening.services.intake import IncomingFeedback, received_at_problem
from heard.privacy.redaction import redact
from heard.projects.models import Project

TEXT_LIMIT = 20_000
SERVICE_LIMIT = 200
QUESTION_LIMIT = 500
EXTERNAL_ID_LIMIT = 200

_TIME = r"(?:[ T]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?"
_DMY = re.compile(r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})" + _TIME)
_YMD = re.compile(r"(?P<y>\d{4})[/.\-](?P<m>\d{1,2})[/.\-](?P<d>\d{1,2})" + _TIME)
_MDY = re.compile(r"(?P<m>\d{1,2})[/.\-](?P<d>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})" + _TIME)
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "auto": (_YMD, _DMY),
    "DD/MM/YYYY": (_DMY,),
    "DD/MM/YYYY HH:MM": (_DMY,),
    "YYYY-MM-DD": (_YMD,),
    "MM/DD/YYYY": (_MDY,),
}
_EXAMPLES = {
    "auto": "31/03/2026 or 2026-03-31",
    "DD/MM/YYYY": "31/03/2026",
    "DD/MM/YYYY HH:MM": "31/03/2026 14:30",
    "YYYY-MM-DD": "2026-03-31",
    "MM/DD/YYYY": "03/31/2026",
}

_CHANNEL_WORDS: dict[str, str] = {
    **{value: value for value in Channel.values},
    **{label.lower(): value for value, label in Channel.choices},
    "web": Channel.ONLINE,
    "website": Channel.ONLINE,
    "internet": Channel.ONLINE,
    "online survey": Channel.ONLINE,
    "qr code": Channel.ONLINE,
    "paper": Channel.PAPER,
    "postal": Channel.PAPER,
    "post": Channel.PAPER,
    "card": Channel.EVENT_CARD,
    "event card": Channel.EVENT_CARD,
    "phone": Channel.TELEPHONE,
    "tel": Channel.TELEPHONE,
    "ivr": Channel.TELEPHONE,
    "sms": Channel.SMS,
    "text": Channel.SMS,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "letter": Channel.EMAIL,
    "tablet": Channel.KIOSK,
    "kiosk": Channel.KIOSK,
    "face to face": Channel.IN_PERSON,
    "face-to-face": Channel.IN_PERSON,
    "in person": Channel.IN_PERSON,
    "twitter": Channel.SOCIAL_MEDIA,
    "x": Channel.SOCIAL_MEDIA,
    "facebook": Channel.SOCIAL_MEDIA,
    "workshop": Channel.WORKSHOP,
    "event": Channel.WORKSHOP,
    "focus group": Channel.FOCUS_GROUP,
    "interview": Channel.INTERVIEW,
}
FFT_WORDS = ", ".join(label for _, label in fft.ANSWERS)


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "message": self.message}


def _quoted(value: str, limit: int = 40) -> str:
    # Problems are kept with the import and shown to staff: a mis-mapped comment column must not leak through.
    value = redact(value)
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return f"'{shown}'"


def date_parse(value: str, date_format: str, zone: tzinfo) -> datetime | str:
    """The moment ``value`` names, in ``zone`` unless it says otherwise; or why it is not one."""
    example = _EXAMPLES.get(date_format, _EXAMPLES["auto"])
    for pattern in _PATTERNS.get(date_format, _PATTERNS["auto"]):
        found = pattern.fullmatch(value)
        if found is None:
            continue
        if date_format == "DD/MM/YYYY HH:MM" and found["H"] is None:
            return f"{_quoted(value)} has no time: write it like {example}"
        year = int(found["y"])
        year = year + 2000 if year < 100 else year
        try:
            moment = datetime(
                year,
                int(found["m"]),
                int(found["d"]),
                int(found["H"] or 0),
                int(found["M"] or 0),
                int(found["S"] or 0),
                tzinfo=zone,
            )
        except ValueError:
            return f"{_quoted(value)} is not a real date"
        if found["H"] is not None and _OFFSET.search(value):
            # An ISO time with its own offset, as APIs and survey tools write them: keep the offset.
            return _iso(value.replace("Z", "+00:00"), zone)
        return moment
    return f"{_quoted(value)} is not a date like {example}"


def _iso(value: str, zone: tzinfo) -> datetime | str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return f"{_quoted(value)} is not a real date"
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


class RowChecker:
    """Checks rows of one file against one mapping. Build once per file; ``check`` once per row."""

    def __init__(self, *, header: list[str], choice: MappingChoice, projects: list[Project]) -> None:
        self.choice = choice
        position = {name: index for index, name in enumerate(header)}
        self._at = {key: position[column] for key, column in choice.columns.items() if column in position}
        self._label = {key: column for key, column in choice.columns.items() if column in position}
        self._projects: dict[str, Project] = {}
        for project in projects:
            self._projects[project.slug.lower()] = project
            self._projects.setdefault(project.title.strip().lower(), project)
        self._zone = timezone.get_current_timezone()
        self._now = timezone.now()

    def _cell(self, cells: list[Cell], key: str) -> Cell:
        index = self._at.get(key)
        if index is None or index >= len(cells):
            return ""
        value = cells[index]
        return value.strip() if isinstance(value, str) else value

    def _text(self, cells: list[Cell], key: str) -> str:
        value = self._cell(cells, key)
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
        return value

    def check(self, row: int, cells: list[Cell]) -> tuple[IncomingFeedback | None, list[Problem]]:
        """The row as feedback ready for the intake service, or None and every problem it has."""
        problems: list[Problem] = []

        def problem(key: str, message: str) -> None:
            problems.append(Problem(row, self._label.get(key, key), message))

        text = self._text(cells, "text")
        if len(text) > TEXT_LIMIT:
            problem(
                "text",
                f"the comment is {len(text):,} characters long; the most Heard keeps is {TEXT_LIMIT:,}",
            )

        answer = ""
        raw_answer = self._text(cells, "fft_answer")
        if raw_answer:
            parsed = fft.fft_answer_parse(raw_answer)
            if parsed is None:
                problem(
                    "fft_answer",
                    f"{_quoted(raw_answer)} is not a Friends and Family Test answer: use {FFT_WORDS}, or 1 to 6",
                )
            else:
                answer = parsed
        if not text and not raw_answer:
            key = "text" if "text" in self._at else "fft_answer"
            problem(key, "there is no comment and no answer to import")

        received_at: datetime | None = None
        raw_date = self._cell(cells, "received_at")
        if isinstance(raw_date, datetime):
            received_at = raw_date if timezone.is_aware(raw_date) else raw_date.replace(tzinfo=self._zone)
        elif isinstance(raw_date, date):
            received_at = datetime(raw_date.year, raw_date.month, raw_date.day, tzinfo=self._zone)
        elif raw_date:
            parsed_date = date_parse(raw_date, self.choice.date_format, self._zone)
            if isinstance(parsed_date, str):
                problem("received_at", parsed_date)
            else:
                received_at = parsed_date
        if received_at is not None and (wrong := received_at_problem(received_at, self._now)):
            problem("received_at", f"{_quoted(self._text(cells, 'received_at'))} {wrong}")

        service = self._text(cells, "service")
        if len(service) > SERVICE_LIMIT:
            problem("service", f"{_quoted(service)} is longer than {SERVICE_LIMIT} characters")

        question = self._text(cells, "question")
        if len(question) > QUESTION_LIMIT:
            problem("question", f"{_quoted(question)} is longer than {QUESTION_LIMIT} characters")

        external_id = self._text(cells, "external_id")
        if len(external_id) > EXTERNAL_ID_LIMIT:
            problem("external_id", f"{_quoted(external_id)} is longer than {EXTERNAL_ID_LIMIT} characters")

        channel = self.choice.default_channel
        raw_channel = self._text(cells, "channel")
        if raw_channel:
            found_channel = _CHANNEL_WORDS.get(" ".join(raw_channel.lower().split()))
            if found_channel is None:
                problem(
                    "channel", f"{_quoted(raw_channel)} is not a channel Heard knows, like Online, Paper form"
                )
            else:
                channel = found_channel

        project = self.choice.project
        raw_project = self._text(cells, "project")
        if raw_project:
            project = self._projects.get(raw_project.lower())
            if project is None:
                problem("project", f"there is no project called {_quoted(raw_project)} in Heard")

        if problems:
            return None, problems
        return (
            IncomingFeedback(
                channel=channel,
                text=text,
                service=service,
                received_at=received_at,
                fft_answer=answer,
                question=question,
                external_id=external_id,
                project=project,
            ),
            [],
        )
