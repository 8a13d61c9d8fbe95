"""Feedback sources, and importing another system's CSV export: upload, map the columns, preview, import."""

from __future__ import annotations

import pytest

from heard.listening.models import FeedbackItem
from tests.browser.browsing import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = "FFT – Ward 23"
WARD_EXPORT = (
    b"Response date,Patient comment,Ward,FFT score\r\n"
    b"01/03/2026,Lovely staff. Call me on 07700 900123 if you need more.,Ward 23,Very good\r\n"
    b"02/03/2026,The wait for my discharge letter was far too long.,Ward 23,Poor\r\n"
)


def test_given_an_administrator_when_she_adds_a_source_and_imports_a_csv_then_its_rows_arrive_redacted(
    visitor: Visitor, alice
):
    visitor.start_signed_in(alice)
    visitor.follow("Imports", within=visitor.page.get_by_role("navigation"))
    visitor.follow("Feedback sources")
    assert visitor.heading() == "Feedback sources"

    visitor.fill("Name", SOURCE)
    visitor.main.get_by_label("Kind", exact=True).select_option(label="Friends and Family Test")
    visitor.fill("Keep items for how many days?", "730")
    visitor.submit("Add the source")

    assert visitor.main.get_by_text(f"Added the source {SOURCE}").is_visible()
    assert "730 days" in visitor.main.get_by_role("row", name=SOURCE).inner_text()
    visitor.follow(f"Import a file into {SOURCE}")

    assert visitor.heading() == "Import a file"
    assert visitor.main.get_by_label("Where is the feedback from?").input_value() != ""  # the source chosen
    with visitor.page.expect_file_chooser() as choosing:
        visitor.main.get_by_label("File", exact=True).click()  # NHS.UK's drop zone, a button
    choosing.value.set_files(
        files={"name": "ward-23-march.csv", "mimeType": "text/csv", "buffer": WARD_EXPORT}
    )
    assert visitor.main.get_by_text("ward-23-march.csv").is_visible()
    visitor.submit("Upload and continue")

    assert visitor.heading() == "Which column holds what"
    visitor.main.get_by_label("Comment", exact=True).select_option("Patient comment")
    visitor.main.get_by_label("Date received", exact=True).select_option("Response date")
    visitor.main.get_by_label("Service, ward or team", exact=True).select_option("Ward")
    visitor.main.get_by_label("Friends and Family Test answer", exact=True).select_option("FFT score")
    visitor.submit("Check the file")

    assert visitor.heading() == "ward-23-march.csv"
    preview = visitor.main.get_by_role("table").inner_text()
    assert "Lovely staff. Call me on [PHONE] if you need more." in preview
    assert "07700" not in preview
    assert visitor.main.get_by_text("No problems found.").is_visible()
    assert FeedbackItem.objects.count() == 0  # nothing is imported until she says so
    visitor.submit("Import 2 rows")

    assert visitor.main.get_by_text("Import complete").is_visible()
    assert visitor.main.get_by_text("2 rows imported").first.is_visible()
    texts = sorted(FeedbackItem.objects.values_list("text", flat=True))
    assert texts == [
        "Lovely staff. Call me on [PHONE] if you need more.",
        "The wait for my discharge letter was far too long.",
    ]
    visitor.follow(f"See the feedback from {SOURCE}")
    assert visitor.main.get_by_text("2 items.").is_visible()

    visitor.follow("Imports", within=visitor.page.get_by_role("navigation"))
    row = visitor.main.get_by_role("row", name="ward-23-march.csv")
    assert "Imported" in row.inner_text()
    assert row.get_by_role("cell").last.inner_text().strip().endswith("2")
