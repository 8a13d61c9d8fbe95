"""CSV and Excel files as a header and rows of cells, numbered as a spreadsheet numbers them (header is row 1).

CSV comes in many shapes from NHS systems: UTF-8 with or without Excel's byte-order mark, Windows-1252 from older
exports, UTF-16 from Excel's "Unicode text", and commas, semicolons, tabs or bars between fields. Excel files are
read in openpyxl's read-only mode, so a large sheet streams rather than filling memory, and formulas are read as
the text they are, never evaluated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

# A cell as the importer sees it: text, or a date that Excel already knew to be one.
Cell = str | datetime | date

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
DELIMITERS = (",", ";", "\t", "|")
ZIP_MAGIC = b"PK\x03\x04"
# Allow long comments: the csv module's default field limit is 128 KB.
csv.field_size_limit(10 * 1024 * 1024)


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why in plain words."""


class Table:
    """The header and the data rows of one file or sheet. ``rows()`` may be read once per ``table_open``."""

    def __init__(self, header: list[str], rows: Iterator[tuple[int, list[Cell]]]) -> None:
        self.header = header
        self._rows = rows

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """(row number as the spreadsheet shows it, cells) for every row that has anything in it."""
        return self._rows


def file_kind(file_name: str, head: bytes) -> str:
    """ "csv" or "excel", from the name and the first bytes; FileProblem for anything else."""
    suffix = Path(file_name).suffix.lower()
    if suffix in EXCEL_SUFFIXES or (suffix not in CSV_SUFFIXES and head.startswith(ZIP_MAGIC)):
        return "excel"
    if suffix == ".xls":
        raise FileProblem(
            "Heard cannot read old .xls workbooks. Save the file as .xlsx or CSV and try again."
        )
    if suffix in CSV_SUFFIXES:
        return "csv"
    raise FileProblem("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")


def text_decode(raw: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), UTF-16 with a mark, else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Windows exports: every byte means something in cp1252 except five, which become U+FFFD.
        return raw.decode("cp1252", errors="replace")


def delimiter_sniff(text: str) -> str:
    """The delimiter that splits the header line most, outside quotes; a comma when nothing does."""
    first_line = []
    quoted = False
    for character in text[:65536]:
        if character == '"':
            quoted = not quoted
        elif character in "\r\n" and not quoted:
            break
        first_line.append(character)
    line = "".join(first_line)
    unquoted = "".join(part for index, part in enumerate(line.split('"')) if index % 2 == 0)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _header_clean(cells: list[Any]) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(cells, start=1):
        name = " ".join(str(cell).split()) if cell is not None else ""
        name = name or f"Column {position}"
        # Two columns with the same heading stay apart: "Comment", "Comment (2)".
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    while names and names[-1].startswith("Column ") and cells and cells[len(names) - 1] in (None, ""):
        names.pop()
    return names


def _csv_table(raw: bytes) -> Table:
    text = text_decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_sniff(text))
    try:
        header_cells = next(reader)
    except StopIteration:
        raise FileProblem("The file is empty.") from None
    except csv.Error as failure:
        raise FileProblem(f"The file is not a CSV file Heard can read ({failure}).") from None
    header = _header_clean(header_cells)
    if not header:
        raise FileProblem("The first row must name the columns, like Date, Ward, Rating, Comment.")

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        # A quoted field may run over several lines, but a spreadsheet shows it as one row: count records.
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                yield number, list(cells)

    return Table(header, rows())


def _excel_cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # Excel keeps every number as a float: a reference 12345 must not become "12345.0".
        return str(int(value))
    return str(value)


@contextmanager
def _excel_table(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # data_only=False: a formula is read as its text and stored as text; nothing in the file is run.
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError) as failure:
        raise FileProblem(f"The Excel workbook could not be opened ({type(failure).__name__}).") from None
    except Exception:  # a damaged zip raises zipfile.BadZipFile and friends
        raise FileProblem(
            "The Excel workbook could not be opened: it may be damaged or password-protected."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        try:
            header = _header_clean(list(next(values)))
        except StopIteration:
            raise FileProblem("The first sheet of the workbook is empty.") from None
        if not header:
            raise FileProblem("The first row must name the columns, like Date, Ward, Rating, Comment.")

        def rows() -> Iterator[tuple[int, list[Cell]]]:
            for number, row in enumerate(values, start=2):
                cells = [_excel_cell(value) for value in row]
                if any(cell != "" for cell in cells):
                    yield number, cells

        yield Table(header, rows())
    finally:
        workbook.close()


@contextmanager
def table_open(path: Path, *, file_name: str) -> Iterator[Table]:
    """The file at ``path`` (uploaded as ``file_name``) as a Table; FileProblem if it cannot be read."""
    with path.open("rb") as handle:
        head = handle.read(8)
    kind = file_kind(file_name, head)
    if kind == "excel":
        with _excel_table(path) as table:
            yield table
        return
    yield _csv_table(path.read_bytes())
