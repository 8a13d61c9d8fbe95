"""A whole file through the row checker: checked (every problem counted), previewed, or read for storing."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from heard.listening.importing.mapping import MappingChoice
from heard.listening.importing.reading import table_open
from heard.listening.importing.rows import Problem, RowChecker
from heard.listening.redaction import text_depersonalise
from heard.listening.services.intake import IncomingFeedback
from heard.projects.models import Project

# Problems kept to show; the rest are counted. Enough to correct a file by, too few to fill the database.
PROBLEMS_KEPT = 200
PREVIEW_ROWS = 10


@dataclass
class FileCheck:
    header: list[str]
    rows_total: int = 0
    rows_bad: int = 0
    problems_total: int = 0
    problems: list[dict[str, object]] = field(default_factory=list)
    external_ids: int = 0


@dataclass(frozen=True)
class PreviewRow:
    row: int
    incoming: IncomingFeedback
    redacted_text: str
    redactions: dict[str, int]


def file_check(*, path: Path, file_name: str, choice: MappingChoice, projects: list[Project]) -> FileCheck:
    """Every row checked; counts of rows and problems, and the first problems in row order."""
    with table_open(path, file_name=file_name) as table:
        checker = RowChecker(header=table.header, choice=choice, projects=projects)
        result = FileCheck(header=table.header)
        for number, cells in table.rows():
            result.rows_total += 1
            incoming, problems = checker.check(number, cells)
            if problems:
                result.rows_bad += 1
                result.problems_total += len(problems)
                room = PROBLEMS_KEPT - len(result.problems)
                result.problems.extend(problem.as_dict() for problem in problems[:room])
            elif incoming is not None and incoming.external_id:
                result.external_ids += 1
    return result


def rows_read(
    *, path: Path, file_name: str, choice: MappingChoice, projects: list[Project]
) -> Generator[tuple[int, IncomingFeedback | None, list[Problem]]]:
    """Every data row in order: (row number, the feedback or None, its problems)."""
    with table_open(path, file_name=file_name) as table:
        checker = RowChecker(header=table.header, choice=choice, projects=projects)
        for number, cells in table.rows():
            incoming, problems = checker.check(number, cells)
            yield number, incoming, problems


def preview_rows(
    *, path: Path, file_name: str, choice: MappingChoice, projects: list[Project], limit: int = PREVIEW_ROWS
) -> list[PreviewRow]:
    """The first good rows as they will be stored: the comment after redaction, never before."""
    shown = []
    with closing(rows_read(path=path, file_name=file_name, choice=choice, projects=projects)) as rows:
        good = ((number, incoming) for number, incoming, _ in rows if incoming is not None)
        for number, incoming in islice(good, limit):
            text, removed = text_depersonalise(incoming.text)
            shown.append(PreviewRow(row=number, incoming=incoming, redacted_text=text, redactions=removed))
    return shown
