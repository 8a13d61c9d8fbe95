"""The demo organisation as issue 5 says it must work: its project's decisions, its public "you said, we did"
page, and its reports on the web and as PDF and Word downloads, every page checked with axe."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from docx import Document as WordDocument
from pypdf import PdfReader

from heard.acting.models import Quote, QuoteStatus
from heard.core.models import User
from heard.demo.surveys import SURVEY_TITLE
from tests.browser.browsing import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "same-day-urgent-care-in-leeds-west"


@pytest.fixture
def demo(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    call_command("demo_load", stdout=io.StringIO())


def test_the_demo_projects_public_page_and_reports(
    demo, visitor: Visitor, visitor_without_javascript: Visitor
) -> None:  # type: ignore[no-untyped-def]
    # The public page, with and without JavaScript: published decisions and approved quotes only.
    approved = list(Quote.objects.filter(project__slug=PROJECT, status=QuoteStatus.APPROVED))
    for reader in (visitor_without_javascript, visitor):
        reader.visit("/you-said-we-did/leeds-west/")
        reader.follow("Same-day urgent care in Leeds West")
        assert reader.heading() == "Same-day urgent care in Leeds West"
        text = reader.main.inner_text()
        assert "More staff at the urgent treatment centre at weekends" in text
        assert "Reply to everyone" not in text  # recorded, not published
        assert all(quote.text in text for quote in approved)

    # Staff: the project page links to its decisions and its PPIE report; the report page and its downloads.
    visitor.start_signed_in(User.objects.get(username="demo-viewer"))
    visitor.visit(f"/projects/{PROJECT}/")
    visitor.follow("End-of-project involvement (PPIE) report")
    assert visitor.heading() == "Patient and public involvement report: Same-day urgent care in Leeds West"
    assert "How their feedback shaped the work" in visitor.main.inner_text()
    assert visitor.main.get_by_role("table").count() > 0
    for label, check in (("PDF", _reads_as_pdf), ("Word", _reads_as_word)):
        with visitor.page.expect_download() as download:
            visitor.main.get_by_role("link", name=re.compile(f"^{label}")).click()
        check(download.value.path().read_bytes())
    visitor.visit("/home/")
    visitor.follow("Board assurance report for the last full quarter")
    assert visitor.heading().startswith("Board assurance report")
    # The demo's survey asks about same-day care, so its consultation summary is this project's.
    visitor.visit(f"/reports/projects/{PROJECT}/consultation/")
    assert visitor.heading().startswith("Consultation response summary")
    assert f"Consultation response summary: {SURVEY_TITLE}" in visitor.main.inner_text()
    visitor.visit("/reports/projects/maternity-experience-survey-follow-up/consultation/")
    assert "no survey yet" in visitor.main.inner_text()


def _reads_as_pdf(data: bytes) -> None:
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "More staff at the urgent treatment centre at weekends" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def _reads_as_word(data: bytes) -> None:
    headings = [
        p.text for p in WordDocument(io.BytesIO(data)).paragraphs if p.style.name.startswith("Heading")
    ]
    assert "How their feedback shaped the work" in headings
    assert "More staff at the urgent treatment centre at weekends" in headings
