"""A document as a Word file, with Word's own styles so that its navigation pane and accessibility checker work.

Headings use Heading 1, 2, 3… at the same levels as the web page (the title is Heading 1); tables have a header
row that repeats on every page and a caption; charts are the PNG picture with its alternative text, a caption,
then its table. python-docx has no call for a picture's alternative text or a table's caption, so those are
written into the XML directly.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table as WordTable

from heard.reports.documents import (
    Block,
    BulletList,
    Document,
    Figure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
    heard_version,
)

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21.0), Cm(29.7), Cm(2.0)
PICTURE_WIDTH = Cm(17.0)  # the width between A4's margins
# Characters that XML 1.0, and so Word, cannot hold: control characters other than tab and line breaks.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain(text: str) -> str:
    return NOT_XML.sub("", text)


def _set_language(word: WordDocument, language: str) -> None:
    """The default language of every run, so Word's spelling and screen readers use British English."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if run_properties is None:
        return
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _mark_header_row(table: WordTable) -> None:
    """Word repeats a row marked as a table header at the top of each page, and reads it as the header."""
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        row_properties.append(element)


def _caption_table(table: WordTable, caption: str) -> None:
    """The table's own caption (Word's "Alt Text" title for a table), read out by screen readers."""
    properties = table._tbl.tblPr
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), _plain(caption)[:255])
    properties.append(element)


def _add_table(word: WordDocument, table: Table) -> None:
    word.add_paragraph(_plain(table.caption), style="Caption")
    word_table = word.add_table(rows=1, cols=len(table.columns))
    word_table.style = word.styles["Table Grid"]
    word_table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _caption_table(word_table, table.caption)
    for cell, heading, numeric in zip(word_table.rows[0].cells, table.columns, table.numeric, strict=True):
        run = cell.paragraphs[0].add_run(_plain(heading))
        run.bold = True
        if numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _mark_header_row(word_table)
    for row in table.text_rows():
        cells = word_table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(_plain(text))
            if index == 0 and table.row_headings:
                run.bold = True
            if table.numeric[index]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()  # Word sets what follows a table flush against it


def _add_block(word: WordDocument, block: Block) -> None:
    if isinstance(block, Paragraph):
        word.add_paragraph(_plain(block.text))
    elif isinstance(block, BulletList):
        for item in block.items:
            word.add_paragraph(_plain(item), style="List Bullet")
    elif isinstance(block, KeyFigures):
        for label, value in block.figures:
            paragraph = word.add_paragraph()
            paragraph.add_run(_plain(label) + ": ")
            paragraph.add_run(_plain(value)).bold = True
    elif isinstance(block, Table):
        _add_table(word, block)
    elif isinstance(block, Figure):
        picture = word.add_picture(io.BytesIO(block.png), width=PICTURE_WIDTH)
        properties = picture._inline.docPr
        properties.set("descr", _plain(block.alt))
        properties.set("title", _plain(block.title))
        word.add_paragraph(_plain(block.title), style="Caption")
        _add_table(word, block.table)


def _add_section(word: WordDocument, section: Section, level: int) -> None:
    word.add_heading(_plain(section.heading), level=min(level, 9))
    for block in section.blocks:
        _add_block(word, block)
    for subsection in section.subsections:
        _add_section(word, subsection, level + 1)


def to_docx(document: Document) -> bytes:
    """The document as a Word file (.docx) on A4, with its title and language in the file's properties."""
    word = docx.Document()
    page = word.sections[0]
    page.page_width, page.page_height = PAGE_WIDTH, PAGE_HEIGHT
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = MARGIN
    _set_language(word, document.language)

    now = datetime.now(tz=UTC)
    properties = word.core_properties
    properties.title = _plain(document.title)
    properties.subject = _plain(document.subtitle)
    properties.language = document.language
    properties.author = properties.last_modified_by = _plain(document.author) or "Heard"
    properties.comments = f"Made with Heard {heard_version()}"
    properties.created = properties.modified = now
    properties.revision = 1

    word.add_heading(_plain(document.title), level=1)
    if document.subtitle:
        word.add_paragraph(_plain(document.subtitle), style="Subtitle")
    for label, value in document.provenance:
        paragraph = word.add_paragraph()
        paragraph.add_run(_plain(label) + ": ").bold = True
        paragraph.add_run(_plain(value))
    for section in document.sections:
        _add_section(word, section, document.sections_start_at_level)

    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
