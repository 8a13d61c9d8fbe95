"""A document as a web page, through the Jinja templates in ``heard/jinja2/reports/``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from django.template.loader import render_to_string
from markupsafe import Markup

from heard.reports.documents import Document, Figure, heard_version

SVG = "http://www.w3.org/2000/svg"

# What our charts are drawn with (heard.understanding.charts). Nothing here can run code or fetch anything.
SVG_ELEMENTS = frozenset("svg g title desc rect line polyline polygon path circle ellipse text tspan".split())
UNSAFE_VALUE = re.compile(r"url\s*\(|javascript:|expression\s*\(", re.IGNORECASE)


class UnsafePicture(ValueError):
    """A figure's SVG holds something other than a plain drawing."""


def figure_svg(figure: Figure) -> Markup:
    """The figure's SVG, checked to be a plain drawing and labelled with the figure's alternative text.

    The SVG is the one piece of markup in a document, so it is parsed rather than trusted: only drawing elements,
    no scripts, event handlers, links or external references. Its ``<title>`` becomes the alternative text too,
    since that is what WeasyPrint puts in the tagged PDF.
    """
    if "<!" in figure.svg:  # no DOCTYPE, entities or CDATA: nothing for the parser to expand
        raise UnsafePicture(f"The chart “{figure.title}” has declarations that a drawing does not need.")
    try:
        root = ElementTree.fromstring(figure.svg)  # noqa: S314 - no DOCTYPE, so no entities to expand
    except ElementTree.ParseError as error:
        raise UnsafePicture(f"The chart “{figure.title}” is not well-formed SVG ({error}).") from error
    for element in root.iter():
        namespace, _, name = element.tag.rpartition("}")
        if namespace != "{" + SVG or name not in SVG_ELEMENTS:
            raise UnsafePicture(
                f"The chart “{figure.title}” has a <{name}> element, which a drawing does not need."
            )
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2].lower()
            if local.startswith("on") or local == "href" or UNSAFE_VALUE.search(value):
                raise UnsafePicture(
                    f"The chart “{figure.title}” has an attribute “{local}” that is not allowed."
                )
        element.tag = name  # written back with one xmlns on the root, not ElementTree's ns0: prefixes
    root.set("xmlns", SVG)
    root.set("role", "img")
    root.set("aria-label", figure.alt)
    root.attrib.pop("aria-labelledby", None)
    title = root.find("title")
    if title is None:
        title = ElementTree.Element("title")
        root.insert(0, title)
    title.text = figure.alt
    return Markup(ElementTree.tostring(root, encoding="unicode"))  # noqa: S704 - checked above, and ElementTree escapes every text


def heading_tag(level: int) -> str:
    return f"h{min(level, 6)}"


def document_context(document: Document) -> dict[str, Any]:
    """What ``reports/_document_body.jinja`` needs, to show a document inside another page."""
    return {"document": document, "figure_svg": figure_svg, "heading_tag": heading_tag}


REPORT_CSS = Path(__file__).resolve().parent.parent.parent / "static" / "heard" / "report.css"


def render_page(document: Document, *, for_pdf: bool) -> str:
    """The stand-alone page. For the PDF it leaves out the styles: the PDF gets its CSS from disk. Otherwise the
    report's own styles go inside the page, so a downloaded copy looks right opened from anywhere."""
    return render_to_string(
        "reports/document.jinja",
        {
            **document_context(document),
            "for_pdf": for_pdf,
            "heard_version": heard_version(),
            "report_css": "" if for_pdf else REPORT_CSS.read_text(encoding="utf-8"),
        },
    )


def to_html(document: Document) -> str:
    """The document as a stand-alone web page, in NHS.UK style, that prints well."""
    return render_page(document, for_pdf=False)
