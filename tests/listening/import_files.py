"""Files for the import tests, built in memory: CSV in several encodings, and Excel workbooks."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

FFT_HEADER = ["ID", "Date", "Ward", "Rating", "Comment"]


def csv_bytes(
    rows: Sequence[Sequence[object]],
    header: Sequence[str] = FFT_HEADER,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = FFT_HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
