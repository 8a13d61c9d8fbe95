"""The feedback list for staff: filters, an item with its answers, follow-up flags, and safe exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from heard.core.models import AuditEntry, Role
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(leeds, wakefield):
    pals = FeedbackSourceFactory(organisation=leeds, name="PALS log", kind="pals")
    fft = FeedbackSourceFactory(organisation=leeds, name="FFT export", kind="fft")
    project = ProjectFactory(organisation=leeds, slug="urgent-care")
    return {
        "phone": FeedbackItemFactory(
            organisation=leeds,
            source=pals,
            channel="telephone",
            text="Rang about the wait",
            service="A&E",
            received_at=datetime(2026, 1, 5, tzinfo=UTC),
        ),
        "card": FeedbackItemFactory(
            organisation=leeds,
            source=fft,
            channel="event_card",
            text='=HYPERLINK("http://x")',
            service="Ward 23",
            project=project,
            received_at=datetime(2026, 2, 5, tzinfo=UTC),
            fft_answer="good",
        ),
        "elsewhere": FeedbackItemFactory(organisation=wakefield, text="Wakefield's own comment"),
    }


def test_staff_see_their_organisations_feedback_and_can_narrow_it(bob, feedback, signed_in):
    client = signed_in(bob)
    page = client.get("/feedback/").content.decode()
    assert "Rang about the wait" in page
    assert "Wakefield" not in page
    by_channel = client.get("/feedback/?channel=telephone").content.decode()
    assert "Rang about the wait" in by_channel and "HYPERLINK" not in by_channel
    by_project = client.get("/feedback/?project=urgent-care").content.decode()
    assert "HYPERLINK" in by_project and "Rang about the wait" not in by_project
    by_date = client.get("/feedback/?date_from=2026-02-01&date_to=2026-02-28").content.decode()
    assert "HYPERLINK" in by_date and "Rang about the wait" not in by_date
    by_service = client.get("/feedback/?service=ward").content.decode()
    assert "HYPERLINK" in by_service and "Rang about the wait" not in by_service


def test_bad_filters_are_explained(bob, feedback, signed_in):
    response = signed_in(bob).get("/feedback/?date_from=2026-03-01&date_to=2026-02-01")
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_an_item_shows_its_source_channel_and_answers(bob, feedback, signed_in):
    page = signed_in(bob).get(f"/feedback/{feedback['card'].pk}/").content.decode()
    assert "Event card" in page
    assert "FFT export" in page
    assert "Good" in page  # the FFT answer in words


def test_another_organisations_item_is_not_found(bob, feedback, signed_in):
    client = signed_in(bob)
    assert client.get(f"/feedback/{feedback['elsewhere'].pk}/").status_code == 404
    assert client.post(f"/feedback/{feedback['elsewhere'].pk}/flag/", {"flagged": "on"}).status_code == 404


def test_flagging_for_follow_up_is_kept_audited_and_filterable(bob, feedback, signed_in):
    client = signed_in(bob)
    item = feedback["phone"]
    response = client.post(f"/feedback/{item.pk}/flag/", {"flagged": "on", "note": "Call back about parking"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.flagged and item.flag_note == "Call back about parking"
    assert AuditEntry.objects.filter(action="feedback.flagged", actor=bob).exists()
    flagged_page = client.get("/feedback/?flagged=on").content.decode()
    assert "Rang about the wait" in flagged_page and "HYPERLINK" not in flagged_page


def test_viewers_may_read_but_not_flag_or_export(leeds, feedback, member_factory, signed_in):
    client = signed_in(member_factory(leeds, "vic", Role.VIEWER))
    assert client.get("/feedback/").status_code == 200
    assert client.post(f"/feedback/{feedback['phone'].pk}/flag/", {"flagged": "on"}).status_code == 403
    assert client.get("/feedback/export.csv").status_code == 403


def test_csv_export_is_the_filtered_list_safe_from_formulas_and_audited(bob, feedback, signed_in):
    response = signed_in(bob).get("/feedback/export.csv?source=" + str(feedback["card"].source_id))
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["comment"] for row in rows] == ['\'=HYPERLINK("http://x")']
    assert rows[0]["FFT answer"] == "Good"
    assert "Wakefield" not in body
    entry = AuditEntry.objects.get(action="feedback.exported")
    assert entry.detail["rows"] == 1 and entry.detail["format"] == "csv"


def test_excel_export_opens_and_keeps_formulas_as_text(bob, feedback, signed_in):
    response = signed_in(bob).get("/feedback/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "id"
    comments = {row[8] for row in values[1:]}
    assert comments == {"Rang about the wait", '=HYPERLINK("http://x")'}
    formula_cell = next(row for row in sheet.iter_rows(min_row=2) if row[8].value.startswith("="))[8]
    assert formula_cell.data_type == "s"  # text, not a formula
