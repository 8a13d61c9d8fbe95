"""One document, three formats: a web page, a tagged PDF and a Word file (docs/adr/0021-report-documents.md).

``to_html`` gives a stand-alone page that prints well; ``document_context`` gives what the
``reports/_document_body.jinja`` partial needs, for a page inside the staff layout. ``to_pdf`` prints that same
page with WeasyPrint; ``to_docx`` writes the same content with Word's own heading, caption and table styles.
"""

from __future__ import annotations

from heard.reports.documents import Document
from heard.reports.render.page import document_context, to_html
from heard.reports.render.pdf import to_pdf
from heard.reports.render.word import to_docx

FORMATS = ("html", "pdf", "docx")


def render_as(document: Document, file_format: str) -> bytes:
    """The document in one of ``FORMATS``, as the bytes of its file."""
    if file_format == "pdf":
        return to_pdf(document)
    if file_format == "docx":
        return to_docx(document)
    if file_format == "html":
        return to_html(document).encode("utf-8")
    raise ValueError(f"No such format: {file_format!r}")


__all__ = ["FORMATS", "document_context", "render_as", "to_docx", "to_html", "to_pdf"]
