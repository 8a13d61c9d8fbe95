"""A document as a tagged PDF: the stand-alone page, printed by WeasyPrint.

PDF/UA-1 makes WeasyPrint tag the PDF (headings, lists, tables with their header cells, figures with their
alternative text), mark it as tagged, and write the title and language into it, so that screen readers can read
it. Nothing is fetched while printing: the page carries its charts inline, its CSS comes from Heard's own file,
and the URL fetcher refuses every address.

WeasyPrint is imported when the first PDF is made, not before: it needs Pango from the operating system
(``scripts/ensure-pdf-libraries.sh``), and the web page and the Word file do not.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import TYPE_CHECKING

from heard.reports.documents import Document
from heard.reports.render.page import REPORT_CSS, render_page

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.urls import URLFetcher

PRINT_CSS = REPORT_CSS
PDF_VARIANT = "pdf/ua-1"


def _no_fetching() -> URLFetcher:
    """A fetcher that allows no protocol at all: anything a report points to outside itself is left out."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=frozenset())


@cache
def _print_stylesheet() -> CSS:
    # WeasyPrint logs each step of every PDF, and fontTools each font table it trims, at INFO: hundreds of
    # lines a report. Their warnings still come through.
    for chatty in ("weasyprint.progress", "fontTools"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    from weasyprint import CSS

    return CSS(filename=str(PRINT_CSS), url_fetcher=_no_fetching())


def to_pdf(document: Document) -> bytes:
    """The document as an A4 PDF/UA-1 file, with page numbers, printed from the same HTML as the web page."""
    stylesheet = _print_stylesheet()
    from weasyprint import HTML

    html = HTML(string=render_page(document, for_pdf=True), url_fetcher=_no_fetching())
    pdf = html.write_pdf(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns the bytes when it is given no file to write to
    return pdf
