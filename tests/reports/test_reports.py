"""The PPIE, board and consultation reports: protected figures, only approved quotes and live decisions, the same
content as a web page, a PDF and a Word file, from the command line and the web."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document as WordDocument
from pypdf import PdfReader

from heard.acting import services
from heard.acting.quotes import quote_approve, quote_choose, quote_withdraw
from heard.core.models import AuditEntry
from heard.projects.models import Activity
from heard.reports.builders import board_report, last_full_quarter, ppie_report
from heard.reports.render import to_docx, to_html, to_pdf
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import coding_save
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(leeds, alice, bob):  # type: ignore[no-untyped-def]
    """12 comments about waiting, 3 about parking, a workshop of 23, one live decision with a quote, one removed."""
    project = ProjectFactory(
        organisation=leeds,
        title="Evening clinics",
        slug="evening-clinics",
        equality_groups=["shift_workers", "carers"],
        learning="Evening sessions reached people days never did.",
        promotion="Posters in pharmacies and a post on the council's page.",
    )
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    parking = codebook.themes.get(name="Parking")
    source = FeedbackSourceFactory(organisation=leeds, name="Online survey")
    Activity.objects.create(
        project=project,
        kind="workshop",
        title="Evening workshop",
        held_on=date(2026, 3, 2),
        attendance=23,
        groups_reached=["shift_workers"],
    )
    when = datetime(2026, 3, 10, 12, tzinfo=timezone.get_current_timezone())
    items = []
    for number in range(15):
        item = FeedbackItemFactory(
            organisation=leeds,
            source=source,
            project=project,
            received_at=when,
            text=f"I waited weeks for a slot ({number})",
        )
        coding_save(
            coder=bob, codebook=codebook, item=item, themes=[waiting if number < 12 else parking], sentiment=4
        )
        items.append(item)
    decision = services.decision_record(
        actor=alice,
        project=project,
        title="Evening appointments",
        we_did="Open until 8pm.",
        due_on=date(2027, 1, 31),
    )
    services.evidence_add(actor=alice, decision=decision, target=waiting)
    removed = services.decision_record(
        actor=alice, project=project, title="Dropped idea", we_did="No.", due_on=date(2027, 1, 1)
    )
    services.decision_remove(actor=alice, decision=removed, reason="Superseded")
    quote = quote_choose(
        actor=bob, project=project, item=items[0], text="I waited weeks for a slot", decision=decision
    )
    quote_approve(actor=alice, quote=quote)
    return project


def test_the_ppie_report_protects_figures_and_shows_only_live_decisions_and_approved_quotes(
    project, alice
) -> None:  # type: ignore[no-untyped-def]
    html = to_html(ppie_report(project=project))
    assert "Patient and public involvement report: Evening clinics" in html
    assert "Evening appointments" in html and "Dropped idea" not in html
    assert "“I waited weeks for a slot”" in html
    assert "Evening sessions reached people days never did." in html and "Posters in pharmacies" in html
    assert "Carers: not recorded as reached" in html and "Shift workers" in html
    # 15 comments round to 15; 12 about waiting to 10; 3 about parking hidden; 23 people to 25.
    assert ">10<" in html and ">*<" in html and ">25<" in html and ">12<" not in html and ">23<" not in html
    assert "Period covered" in html and "Counts from 1 to 7 are shown as *" in html

    from heard.acting.models import Quote

    quote_withdraw(actor=alice, quote=Quote.objects.get(), reason="Asked to")
    assert "I waited weeks for a slot”" not in to_html(ppie_report(project=project))


def test_the_pdf_and_word_files_read_back_with_headings(project) -> None:  # type: ignore[no-untyped-def]
    document = ppie_report(project=project)
    reader = PdfReader(io.BytesIO(to_pdf(document)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "How their feedback shaped the work" in text and "Evening appointments" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    word = WordDocument(io.BytesIO(to_docx(document)))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Patient and public involvement report: Evening clinics"
    assert "Key learning" in headings and "Evening appointments" in headings


def test_the_command_line_writes_each_format(project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for file_format in ("html", "pdf", "docx"):
        out = tmp_path / f"report.{file_format}"
        call_command(
            "report",
            "ppie",
            "--project",
            "evening-clinics",
            "--format",
            file_format,
            "--out",
            str(out),
            stdout=io.StringIO(),
        )
        assert out.stat().st_size > 1000
    # A start alone runs to today, so the commitment recorded today is open at the period's end.
    out = tmp_path / "board.html"
    call_command(
        "report",
        "board",
        "--organisation",
        "leeds-north",
        "--from",
        "2026-01-01",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    board = out.read_text()
    assert "1 January 2026 to " in board and "Evening appointments" in board
    # A period that ended before it was recorded does not count it as open then.
    call_command(
        "report",
        "board",
        "--organisation",
        "leeds-north",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    board = out.read_text()
    assert "1 January 2026 to 31 March 2026" in board and "Evening appointments" not in board
    assert AuditEntry.objects.filter(action="report.produced", detail__report="board").count() == 2
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no survey"):
        call_command(
            "report", "consultation", "--project", "evening-clinics", "--out", str(tmp_path / "c.html")
        )
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command(
            "report",
            "board",
            "--organisation",
            "leeds-north",
            "--from",
            "1/1/2026",
            "--out",
            str(tmp_path / "b.html"),
        )


def test_the_board_report_defaults_to_the_last_full_quarter() -> None:
    assert last_full_quarter(date(2026, 11, 22)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert last_full_quarter(date(2026, 1, 5)) == (date(2025, 10, 1), date(2025, 12, 31))


def test_the_board_report_counts_the_period(project, leeds) -> None:  # type: ignore[no-untyped-def]
    html = to_html(board_report(organisation=leeds, start=date(2026, 3, 1), end=date(2026, 3, 31)))
    assert "Comments received" in html and ">15<" in html
    assert "Evening clinics: no activity has recorded reaching Carers" in html


def test_the_web_page_and_downloads(project, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(bob)
    page = client.get("/reports/projects/evening-clinics/ppie/")
    assert page.status_code == 200 and "Download this report" in page.content.decode()
    pdf = client.get("/reports/projects/evening-clinics/ppie/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="ppie-report-evening-clinics.pdf"' in pdf["Content-Disposition"]
    docx = client.get("/reports/projects/evening-clinics/ppie/?format=docx")
    assert docx.content[:2] == b"PK"
    assert "no survey yet" in client.get("/reports/projects/evening-clinics/consultation/").content.decode()
    assert (
        "Board assurance report"
        in client.get("/reports/board/?from=2026-01-01&to=2026-03-31").content.decode()
    )
    assert (
        "End-of-project involvement (PPIE) report"
        in client.get("/projects/evening-clinics/").content.decode()
    )


def test_who_took_part_in_a_report_gives_away_no_small_count() -> None:
    from heard.core.disclosure import SmallNumberRule
    from heard.reports.builders import _representation_blocks
    from heard.reports.documents import BulletList, Paragraph, Table
    from heard.understanding.representation import CategoryRow, DimensionResult, GroupReach, Representation

    rows = [
        CategoryRow("16_24", "16 to 24", 3, "*", 3 / 23, 0.04, 0.32, 0.12, 0.01, "too few to say"),
        CategoryRow("25_34", "25 to 34", 20, "20", 20 / 23, 0.68, 0.95, 0.16, 0.71, "over"),
    ]
    result = Representation(
        respondents=23,
        dimensions=[DimensionResult("age_band", "Age", 23, 0, rows)],
        groups=[GroupReach("young_people", "Children and young people", "3 of 23 respondents", "unknown")],
    )
    blocks = _representation_blocks(result, SmallNumberRule())
    text = " ".join(
        block.text
        if isinstance(block, Paragraph)
        else " ".join(block.items)
        if isinstance(block, BulletList)
        else ""
        for block in blocks
    )
    table = next(block for block in blocks if isinstance(block, Table))
    assert "25 people answered" in text and "23" not in text and "3 of 23" not in text
    assert table.text_rows() == [
        ["16 to 24", "*", "*", "12%", "Too few to say"],
        ["25 to 34", "20", "80%", "16%", "Over-represented"],  # 20 of 25 (the protected total), not of 23
    ]
