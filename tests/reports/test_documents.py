"""One report document as a web page, a tagged PDF and a Word file: the same headings, tables and charts in each,
every text escaped, every chart with its alternative text and its table."""

from __future__ import annotations

import io
import re
from datetime import datetime

import docx
import pytest
from django.template.loader import render_to_string
from docx.oxml.ns import qn
from pypdf import PdfReader

from heard.reports.documents import (
    BulletList,
    Document,
    Figure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
    standard_provenance,
)
from heard.reports.render import document_context, to_docx, to_html, to_pdf
from heard.reports.render.page import UnsafePicture, figure_svg
from heard.reports.render.pdf import _no_fetching
from heard.understanding.charts import bar_chart
from heard.understanding.pictures import bar_png

TITLE = "Listening to patients in Leeds North"
WHAT_PEOPLE_SAID = "What people told us"
WAITING = "Waiting for appointments"
WHAT_NEXT = "What we will do next"
UNSAFE = 'One patient wrote <script>alert("x")</script> & then =HYPERLINK("http://example.org","click")'
ALT = "Bar chart: waiting times had the most comments (1,204), then staff attitude (388). The table below gives them."
CAPTION = "Comments on each theme, April to June 2026"
THEMES = ["Waiting times", "Staff attitude", "Parking & access"]
COUNTS = [1204, 388, 97]


def themes_table() -> Table:
    return Table(
        caption=CAPTION,
        columns=["Theme", "Comments"],
        rows=list(zip(THEMES, COUNTS, strict=True)),
        numeric=[False, True],
    )


@pytest.fixture(scope="module")
def report() -> Document:
    chart_title = "Comments on each theme"
    return Document(
        title=TITLE,
        subtitle="End-of-project report on patient and public involvement",
        provenance=standard_provenance(
            period="1 April to 30 June 2026",
            data_used="2,093 comments from the online survey and two events",
            produced_at=datetime(2026, 7, 3, 14, 5),  # noqa: DTZ001 - already in the reader's time zone
            produced_by="Alice Adams",
        ),
        sections=[
            Section(
                WHAT_PEOPLE_SAID,
                blocks=[
                    Paragraph(UNSAFE),
                    KeyFigures([("Comments", "2,093"), ("Events", "2")]),
                    BulletList(["Most comments were about waiting.", "Parking came up at both events."]),
                ],
                subsections=[
                    Section(
                        WAITING,
                        blocks=[
                            Figure(
                                title=chart_title,
                                alt=ALT,
                                svg=bar_chart(chart_title, THEMES, COUNTS),
                                png=bar_png(chart_title, THEMES, COUNTS),
                                table=themes_table(),
                            )
                        ],
                    )
                ],
            ),
            Section(
                WHAT_NEXT, blocks=[Paragraph("We will publish what we did in September."), themes_table()]
            ),
        ],
    )


@pytest.fixture(scope="module")
def page(report: Document) -> str:
    return to_html(report)


@pytest.fixture(scope="module")
def pdf(report: Document) -> PdfReader:
    return PdfReader(io.BytesIO(to_pdf(report)))


@pytest.fixture(scope="module")
def word(report: Document) -> docx.document.Document:
    return docx.Document(io.BytesIO(to_docx(report)))


# --- the web page -------------------------------------------------------------------------------------------


def test_page_is_british_english_with_the_title(page: str) -> None:
    assert '<html lang="en-GB">' in page
    assert f"<title>{TITLE}</title>" in page


def test_page_headings_follow_the_sections_in_order_and_depth(page: str) -> None:
    headings = re.findall(r"<(h[1-6])\b[^>]*>([^<]*)</h[1-6]>", page)
    assert headings == [("h1", TITLE), ("h2", WHAT_PEOPLE_SAID), ("h3", WAITING), ("h2", WHAT_NEXT)]


def test_page_escapes_what_people_wrote(page: str) -> None:
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; then =HYPERLINK(" in page
    assert "<script" not in page


def test_page_tables_have_captions_and_scoped_headers(page: str) -> None:
    assert page.count(f'<caption class="nhsuk-table__caption">{CAPTION}</caption>') == 2
    assert '<th scope="col" class="nhsuk-table__header">Theme</th>' in page
    assert '<th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">Comments</th>' in page
    assert '<th scope="row" class="nhsuk-table__header">Parking &amp; access</th>' in page
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">1,204</td>' in page


def test_page_chart_is_inline_svg_with_its_alternative_text_then_its_table(page: str) -> None:
    chart = re.search(r"<svg [^>]*>", page)
    assert chart is not None
    assert 'role="img"' in chart.group()
    assert 'aria-label="Bar chart: waiting times had the most comments (1,204)' in chart.group()
    assert f"<title>{ALT}</title>" in page
    assert page.index("<svg") < page.index("<caption", page.index("<svg"))


def test_page_provenance_says_what_the_report_covers_and_what_made_it(page: str) -> None:
    assert "1 April to 30 June 2026" in page
    assert "3 July 2026 at 14:05" in page
    assert re.search(r"Heard \d", page)


def test_document_body_partial_fits_inside_the_staff_layout(report: Document) -> None:
    body = render_to_string("reports/_document_body.jinja", document_context(report))
    assert "<html" not in body and "<head" not in body
    assert body.lstrip().startswith('<article class="heard-report">')
    assert f'<h1 class="heard-report__title">{TITLE}</h1>' in body


def test_a_chart_that_could_run_code_is_refused() -> None:
    for svg in (
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        '<image x:href="https://example.org/a.png"/></svg>',
        '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>',
    ):
        figure = Figure(title="Chart", alt="A chart", svg=svg, png=b"", table=themes_table())
        with pytest.raises(UnsafePicture):
            figure_svg(figure)


# --- the PDF ------------------------------------------------------------------------------------------------


def test_pdf_has_the_title_and_language_in_its_metadata(pdf: PdfReader) -> None:
    assert pdf.metadata is not None and pdf.metadata.title == TITLE
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"


def test_pdf_is_tagged_for_screen_readers(pdf: PdfReader) -> None:
    catalogue = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalogue
    assert catalogue["/MarkInfo"]["/Marked"].value is True
    tags = []

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        element = element.get_object()
        if "/S" in element:
            tags.append((element["/S"], element.get("/Alt")))
        children = element.get("/K", [])
        for child in children if isinstance(children, list) else [children]:
            child = child.get_object() if hasattr(child, "get_object") else child
            if hasattr(child, "get") and "/S" in child:
                walk(child)

    walk(catalogue["/StructTreeRoot"])
    names = [name for name, _ in tags]
    assert [name for name in names if name in ("/H1", "/H2", "/H3")] == ["/H1", "/H2", "/H3", "/H2"]
    assert ("/Figure", ALT) in tags
    # Two tables; WeasyPrint tags each page's part of a table that runs over a page break as a table of its own.
    assert names.count("/Table") >= 2 and "/TH" in names and "/Caption" in names


def test_pdf_text_has_the_headings_and_the_figures(pdf: PdfReader) -> None:
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for heading in (TITLE, WHAT_PEOPLE_SAID, WAITING, WHAT_NEXT):
        assert heading in text
    assert "1,204" in text
    assert '<script>alert("x")</script> & then =HYPERLINK(' in text


def test_pdf_printing_fetches_nothing_from_outside() -> None:
    fetcher = _no_fetching()
    for address in ("https://example.org/style.css", "http://127.0.0.1/x.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(address)


# --- the Word file ------------------------------------------------------------------------------------------


def test_word_file_has_title_and_language_in_its_properties(word: docx.document.Document) -> None:
    assert word.core_properties.title == TITLE
    assert word.core_properties.language == "en-GB"


def test_word_headings_use_heading_styles_in_order(word: docx.document.Document) -> None:
    headings = [
        (paragraph.style.name, paragraph.text)
        for paragraph in word.paragraphs
        if paragraph.style is not None and paragraph.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", TITLE),
        ("Heading 2", WHAT_PEOPLE_SAID),
        ("Heading 3", WAITING),
        ("Heading 2", WHAT_NEXT),
    ]


def test_word_keeps_what_people_wrote_as_text(word: docx.document.Document) -> None:
    assert UNSAFE in [paragraph.text for paragraph in word.paragraphs]


def test_word_tables_have_a_repeating_header_row(word: docx.document.Document) -> None:
    assert len(word.tables) == 2
    table = word.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Theme", "Comments"]
    assert [cell.text for cell in table.rows[1].cells] == ["Waiting times", "1,204"]
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    caption = table._tbl.tblPr.find(qn("w:tblCaption"))
    assert caption is not None and caption.get(qn("w:val")) == CAPTION


def test_word_chart_is_a_picture_with_alternative_text_then_caption_then_table(
    word: docx.document.Document,
) -> None:
    pictures = list(word.element.body.iter(qn("wp:docPr")))
    assert len(pictures) == 1
    assert pictures[0].get("descr") == ALT
    assert pictures[0].get("title") == "Comments on each theme"
    body = list(word.element.body)
    picture_at = next(index for index, element in enumerate(body) if list(element.iter(qn("wp:docPr"))))
    after = [element.tag for element in body[picture_at + 1 : picture_at + 4]]
    # the figure's caption, the table's caption, the table
    assert after == [qn("w:p"), qn("w:p"), qn("w:tbl")]


# --- the model ----------------------------------------------------------------------------------------------


def test_a_table_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(ValueError, match="Row 2"):
        Table(caption="Themes", columns=["Theme", "Comments"], rows=[["Waiting", 3], ["Parking"]])


def test_a_chart_without_alternative_text_is_refused() -> None:
    with pytest.raises(ValueError, match="alternative text"):
        Figure(title="Themes", alt=" ", svg="<svg/>", png=b"", table=themes_table())
