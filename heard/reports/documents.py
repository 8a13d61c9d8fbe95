"""The document model that every report is built in, once, before it becomes a web page, a PDF or a Word file.

Plain, frozen dataclasses with no Django in them: a report's builder fills them from selectors, and the renderers
in ``heard.reports.render`` turn the same document into each format. Every piece of text is plain text; the
renderers escape it, so nothing a person typed can become markup. The one piece of markup is a figure's SVG,
which the renderers check before they use it.

Headings take their level from where a section sits: the document's title is the first level, its sections the
second, their subsections the third, and so on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from typing import ClassVar

Cell = str | int | float


def cell_text(value: Cell) -> str:
    """A table cell as people read it: whole numbers with thousands separators, other numbers to one place."""
    if isinstance(value, bool):  # a bool is an int to Python, but "True" is not a figure
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return value


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class BulletList:
    items: Sequence[str]
    kind: ClassVar[str] = "bullet_list"

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True)
class KeyFigures:
    """A few headline numbers, each with what it counts: ("Comments", "1,204")."""

    figures: Sequence[tuple[str, str]]
    kind: ClassVar[str] = "key_figures"

    def __post_init__(self) -> None:
        object.__setattr__(self, "figures", tuple((str(label), str(value)) for label, value in self.figures))


@dataclass(frozen=True)
class Table:
    """A table with a caption, one heading per column and rows of cells.

    ``numeric`` says which columns hold figures (right-aligned, as the NHS.UK table does); by default none.
    With ``row_headings`` the first cell of each row names the row, and is marked up as its heading.
    """

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    numeric: Sequence[bool] = ()
    row_headings: bool = True
    kind: ClassVar[str] = "table"

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"The table “{self.caption}” has no columns.")
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))
        object.__setattr__(self, "numeric", tuple(self.numeric) or (False,) * len(self.columns))
        if len(self.numeric) != len(self.columns):
            raise ValueError(
                f"The table “{self.caption}” has {len(self.columns)} columns but {len(self.numeric)} numeric flags."
            )
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"Row {number} of the table “{self.caption}” has {len(row)} cells, not {len(self.columns)}."
                )

    def text_rows(self) -> list[list[str]]:
        return [[cell_text(cell) for cell in row] for row in self.rows]


@dataclass(frozen=True)
class Figure:
    """A chart, which always carries the table of its figures.

    ``svg`` is drawn on the web page and in the PDF, ``png`` in the Word file (Word's own SVG support is patchy).
    ``alt`` is what a screen reader says instead of the picture: what it shows and where the table is.
    """

    title: str
    alt: str
    svg: str
    png: bytes
    table: Table
    kind: ClassVar[str] = "figure"

    def __post_init__(self) -> None:
        if not self.alt.strip():
            raise ValueError(f"The figure “{self.title}” needs alternative text.")


Block = Paragraph | BulletList | KeyFigures | Table | Figure


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: Sequence[Block] = ()
    subsections: Sequence[Section] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))
        object.__setattr__(self, "subsections", tuple(self.subsections))


@dataclass(frozen=True)
class Document:
    """A whole report. ``provenance`` says where it came from: the period, the data used, when and by what."""

    title: str
    subtitle: str = ""
    provenance: Sequence[tuple[str, str]] = ()
    sections: Sequence[Section] = ()
    language: str = "en-GB"
    author: str = ""
    sections_start_at_level: ClassVar[int] = 2

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "provenance", tuple((str(label), str(value)) for label, value in self.provenance)
        )
        object.__setattr__(self, "sections", tuple(self.sections))

    def outline(self) -> list[tuple[int, Section]]:
        """Every section in reading order, with its heading level (the title is level 1)."""
        found: list[tuple[int, Section]] = []

        def walk(sections: Sequence[Section], level: int) -> None:
            for section in sections:
                found.append((level, section))
                walk(section.subsections, level + 1)

        walk(self.sections, self.sections_start_at_level)
        return found


def heard_version() -> str:
    try:
        return metadata.version("heard")
    except metadata.PackageNotFoundError:  # running from a tree that was never installed
        return "unknown"


def produced_at_text(moment: datetime) -> str:
    """A moment as the NHS writes it: 3 March 2026 at 14:05 (already in the reader's time zone)."""
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M}"


def standard_provenance(
    *, period: str, data_used: str, produced_at: datetime, produced_by: str = ""
) -> tuple[tuple[str, str], ...]:
    """The lines every report starts with, so a reader knows what it covers and how to reproduce it."""
    lines = [
        ("Period covered", period),
        ("Data used", data_used),
        ("Produced", produced_at_text(produced_at)),
    ]
    if produced_by:
        lines.append(("Produced by", produced_by))
    lines.append(("Made with", f"Heard {heard_version()}"))
    return tuple(lines)
