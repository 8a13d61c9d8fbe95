"""Redacting a CSV extract: the same rows in the same order, only the text column changed.

The file is read a record at a time and written as it goes, so its size is bounded by the disk, not memory.
Each record is kept as the bytes it came as: only the text field is replaced, so every other field, the quoting,
the line endings and a byte-order mark come out exactly as they went in. The output is written to a temporary
file beside the destination and renamed into place at the end, so a failure never leaves half a file behind.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from heard.privacy.redaction import redact_many

BATCH_ROWS = 2_000
PROGRESS_EVERY_SECONDS = 2.0

# One field of a record (RFC 4180): quoted, with "" for a quote inside, or anything up to the next comma. A
# quoted field with text after its closing quote (not RFC 4180, but seen) is read up to the next comma.
_FIELD = re.compile(r'"(?:[^"]|"")*"[^,]*|[^,]*')


class ExtractError(Exception):
    """A problem with the input file, in words for the person who ran the command."""


@dataclass
class ExtractSummary:
    rows: int
    rows_changed: int
    seconds: float


@dataclass
class _Record:
    line: int  # the line number it starts on, counting the header as 1
    body: str  # without its line ending
    ending: str
    fields: list[tuple[int, int]]


def _records(lines: Iterator[str]) -> Iterator[_Record]:
    line_number = 0
    pending: list[str] = []
    quotes = 0
    start_line = 1
    for line in lines:
        line_number += 1
        if not pending:
            start_line = line_number
        pending.append(line)
        quotes += line.count('"')
        if quotes % 2:
            continue  # a quoted field runs on to the next line
        text = "".join(pending)
        pending, quotes = [], 0
        body = text.rstrip("\r\n")
        yield _Record(line=start_line, body=body, ending=text[len(body) :], fields=_split(body))
    if pending:
        raise ExtractError(f'line {start_line}: a quoted field is never closed (an odd number of " marks).')


def _split(body: str) -> list[tuple[int, int]]:
    fields: list[tuple[int, int]] = []
    position = 0
    while True:
        match = _FIELD.match(body, position)
        assert match is not None  # the pattern can match the empty string
        fields.append((match.start(), match.end()))
        position = match.end()
        if position >= len(body):
            return fields
        position += 1  # the comma
        if position == len(body):
            fields.append((position, position))
            return fields


def _unquote(raw: str) -> str:
    if raw.startswith('"'):
        closing = raw.rfind('"')
        if closing > 0:
            return raw[1:closing].replace('""', '"') + raw[closing + 1 :]
    return raw


def _quote_like(raw: str, value: str) -> str:
    if raw.startswith('"') or any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _column_index(header: _Record, text_column: str, source: Path) -> int:
    names = [_unquote(header.body[start:end]) for start, end in header.fields]
    if text_column in names:
        return names.index(text_column)
    folded = [name.strip().casefold() for name in names]
    if text_column.strip().casefold() in folded:
        return folded.index(text_column.strip().casefold())
    listed = ", ".join(repr(name) for name in names)
    raise ExtractError(f"{source} has no column {text_column!r}. Its columns are: {listed}.")


def extract_redact(
    *,
    source: Path,
    destination: Path,
    text_column: str = "text",
    progress: Callable[[int], None] | None = None,
) -> ExtractSummary:
    """Write ``source`` to ``destination`` with identifiers redacted in ``text_column`` only."""
    started = time.perf_counter()
    try:
        handle = source.open("r", encoding="utf-8", newline="")
    except OSError as error:
        raise ExtractError(f"cannot read {source}: {error.strerror or error}.") from None
    destination.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    rows = changed = 0
    try:
        with handle, os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            records = _records(iter(handle))
            try:
                header = next(records)
            except StopIteration:
                raise ExtractError(f"{source} is empty: it has no header row.") from None
            # A byte-order mark is kept as it came, outside the column name.
            bom = "\ufeff" if header.body.startswith("\ufeff") else ""
            if bom:
                header = _Record(header.line, header.body[1:], header.ending, _split(header.body[1:]))
            column = _column_index(header, text_column, source)
            out.write(bom + header.body + header.ending)
            last_report = time.perf_counter()
            batch: list[_Record] = []

            def flush() -> int:
                texts = []
                for record in batch:
                    if column >= len(record.fields):
                        raise ExtractError(
                            f"line {record.line} has {len(record.fields)} fields, so no {text_column!r} "
                            f"(field {column + 1})."
                        )
                    start, end = record.fields[column]
                    texts.append(_unquote(record.body[start:end]))
                found = 0
                for record, text, clean in zip(batch, texts, redact_many(texts), strict=True):
                    start, end = record.fields[column]
                    if clean != text:
                        found += 1
                        raw = record.body[start:end]
                        out.write(
                            record.body[:start] + _quote_like(raw, clean) + record.body[end:] + record.ending
                        )
                    else:
                        out.write(record.body + record.ending)
                batch.clear()
                return found

            for record in records:
                batch.append(record)
                rows += 1
                if len(batch) >= BATCH_ROWS:
                    changed += flush()
                    if progress is not None and time.perf_counter() - last_report >= PROGRESS_EVERY_SECONDS:
                        progress(rows)
                        last_report = time.perf_counter()
            changed += flush()
        os.replace(temporary, destination)
    except UnicodeDecodeError as error:
        raise ExtractError(
            f"{source} is not UTF-8 (byte {error.start} of a block cannot be read): save it as CSV UTF-8."
        ) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return ExtractSummary(rows=rows, rows_changed=changed, seconds=time.perf_counter() - started)
