"""One document, three formats: a web page, a tagged PDF and a Word file (docs/adr/0021-report-documents.md).

``to_html`` gives a stand-alone page that prints well; ``document_context`` gives what the
``reports/_document_body.jinja`` partial needs, for a page inside the staff layout. ``to_pdf`` prints that same
page with WeasyPrint; ``to_docx`` writes the same content with Word's own heading, caption and table styles.
"""

from __future__ import annotations

from heard.reports.render.page import document_context, to_html
from heard.reports.render.pdf import to_pdf
from heard.reports.render.word import to_docx

__all__ = ["document_context", "to_docx", "to_html", "to_pdf"]
