"""Report documents: ``make bench`` (or ``.venv/bin/python bench/reports.py``).

Builds a long report, about 30 A4 pages (20 charts, each with its table, and two tables of 200 rows), and times
the web page, the PDF (WeasyPrint, PDF/UA-1) and the Word file, each made several times in one process after a
first run that warms the caches. It needs no database. It prints the figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    os.environ.setdefault("HEARD_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from pypdf import PdfReader

    from heard.reports.documents import Block, Document, Figure, Paragraph, Section, Table
    from heard.reports.render import to_docx, to_html, to_pdf
    from heard.understanding.charts import bar_chart
    from heard.understanding.pictures import bar_png

    sections = []
    for number in range(1, 21):
        themes = [f"Theme {letter} in part {number}" for letter in "ABCDEFGH"]
        counts = [400 - 45 * index for index in range(8)]
        title = f"Comments on each theme, part {number}"
        blocks: list[Block] = [
            Paragraph("What people said in this part, in a few sentences of plain English. " * 6),
            Figure(
                title=title,
                alt=f"Bar chart of comments on each theme in part {number}; the table after it gives the figures.",
                svg=bar_chart(title, themes, counts),
                png=bar_png(title, themes, counts),
                table=Table(
                    title, ["Theme", "Comments"], list(zip(themes, counts, strict=True)), [False, True]
                ),
            ),
        ]
        if number in (10, 20):
            blocks.append(
                Table(
                    f"Comments by service, part {number}",
                    ["Service", "Comments", "Positive", "Negative"],
                    [[f"Service {row}", row * 7, row * 4, row * 3] for row in range(1, 201)],
                    [False, True, True, True],
                )
            )
        sections.append(Section(f"Part {number}", blocks))
    document = Document(title="A long report", subtitle="For timing", sections=sections)

    def timed(make: Callable[[], object]) -> tuple[float, object]:
        make()  # warm: templates compiled, fonts and stylesheets loaded
        times, result = [], None
        for _ in range(arguments.runs):
            started = time.perf_counter()
            result = make()
            times.append(time.perf_counter() - started)
        return statistics.median(times), result

    page_time, page = timed(lambda: to_html(document))
    pdf_time, pdf = timed(lambda: to_pdf(document))
    word_time, word = timed(lambda: to_docx(document))
    assert isinstance(page, str) and isinstance(pdf, bytes) and isinstance(word, bytes)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"median of {arguments.runs} runs, {os.cpu_count()} cores")
    print(f"| web page | {page_time:.2f} s | {len(page) // 1024:,} KiB |")
    print(f"| PDF      | {pdf_time:.2f} s | {len(pdf) // 1024:,} KiB, {pages} pages |")
    print(f"| Word     | {word_time:.2f} s | {len(word) // 1024:,} KiB |")


if __name__ == "__main__":
    main()
