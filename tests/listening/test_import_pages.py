"""The import pages as an analyst uses them: upload, choose columns, see the redacted preview, import, watch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heard.core.models import Role
from heard.listening.models import FeedbackItem, ImportBatch, ImportMapping, ImportStatus
from heard.listening.services import imports
from tests.factories import FeedbackSourceFactory
from tests.listening.import_files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    ["R1", "02/03/2026", "Ward 23", "Very good", "Ask for Jane Doe on 07700 900123, she was brilliant"],
    ["R2", "03/03/2026", "A&E", "Poor", "Waited four hours"],
]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def fft_source(leeds):
    return FeedbackSourceFactory(organisation=leeds, name="FFT inpatients", kind="fft")


def _upload(client, source, content: bytes, name: str = "march.csv"):
    return client.post(
        "/imports/new/",
        {"source": source.pk, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def _batch_id(response) -> int:
    found = re.search(r"/imports/(\d+)/", response["Location"])
    assert found, response["Location"]
    return int(found.group(1))


def _columns_post(client, batch_id: int, **overrides: str):
    data = {
        "column_text": "Comment",
        "column_received_at": "Date",
        "column_service": "Ward",
        "column_fft_answer": "Rating",
        "column_external_id": "ID",
        "column_channel": "",
        "column_project": "",
        "date_format": "DD/MM/YYYY",
        "default_channel": "paper",
        "project": "",
        "mapping_name": "FFT monthly",
        **overrides,
    }
    return client.post(f"/imports/{batch_id}/columns/", data)


def test_an_analyst_uploads_maps_previews_and_imports(bob, fft_source, signed_in):
    client = signed_in(bob)
    assert client.get("/imports/").status_code == 200
    response = _upload(client, fft_source, csv_bytes(ROWS))
    assert response.status_code == 302
    batch_id = _batch_id(response)
    # The first time, Heard guesses the obvious column names.
    form = client.get(f"/imports/{batch_id}/columns/").content.decode()
    assert re.search(r'<option value="Comment"\s+selected', form)
    assert re.search(r'<option value="Ward"\s+selected', form)
    assert _columns_post(client, batch_id).status_code == 302
    preview = client.get(f"/imports/{batch_id}/").content.decode()
    # The preview shows the comment as it will be stored: after redaction.
    assert "07700 900123" not in preview and "Jane Doe" not in preview
    assert "[PHONE]" in preview and "she was brilliant" in preview
    assert "Import 2 rows" in preview
    assert FeedbackItem.objects.count() == 0
    response = client.post(f"/imports/{batch_id}/start/")
    assert response.status_code == 302
    result = client.get(f"/imports/{batch_id}/").content.decode()
    assert "Import complete" in result
    assert FeedbackItem.objects.filter(source=fft_source, channel="paper").count() == 2


def test_the_saved_mapping_is_chosen_for_the_next_file_from_the_source(bob, fft_source, signed_in):
    client = signed_in(bob)
    first = _batch_id(_upload(client, fft_source, csv_bytes(ROWS)))
    _columns_post(client, first, column_service="", default_channel="telephone")
    second = _batch_id(_upload(client, fft_source, csv_bytes(ROWS[:1]), name="april.csv"))
    form = client.get(f"/imports/{second}/columns/").content.decode()
    assert "FFT monthly" in form
    assert re.search(r'<option value="telephone"\s+selected', form)
    # The service column was left out of the saved choices, so it is not guessed back in.
    assert not re.search(r'<option value="Ward"\s+selected', form)
    assert ImportMapping.objects.filter(source=fft_source).count() == 1


def test_bad_rows_are_listed_and_the_good_rows_can_be_imported_on_request(bob, fft_source, signed_in):
    client = signed_in(bob)
    rows = [*ROWS, ["R3", "31/02/2026", "Ward 1", "Good", "Fine"]]
    batch_id = _batch_id(_upload(client, fft_source, csv_bytes(rows)))
    _columns_post(client, batch_id)
    page = client.get(f"/imports/{batch_id}/").content.decode()
    assert "Row 4, Date: &#39;31/02/2026&#39; is not a real date" in page
    assert "Import the 2 good rows and skip the 1 bad ones" in page
    refused = client.post(f"/imports/{batch_id}/start/", follow=True).content.decode()
    assert "1 row has problems" in refused
    assert FeedbackItem.objects.count() == 0
    client.post(f"/imports/{batch_id}/start/", {"good_rows": "yes"})
    assert set(FeedbackItem.objects.values_list("external_id", flat=True)) == {"R1", "R2"}
    done = client.get(f"/imports/{batch_id}/").content.decode()
    assert "Skipped because of problems" in done


def test_the_problem_list_is_capped_with_a_count(bob, fft_source, signed_in):
    client = signed_in(bob)
    rows = [[f"B{n}", "31/02/2026", "Ward", "Meh", "x"] for n in range(150)]
    batch_id = _batch_id(_upload(client, fft_source, csv_bytes(rows)))
    _columns_post(client, batch_id)
    page = client.get(f"/imports/{batch_id}/").content.decode()
    assert page.count("<li>Row ") == 200
    assert "And 100 more problems not listed." in page


def test_a_repeated_file_is_refused_with_a_link_to_the_earlier_import(bob, fft_source, signed_in):
    client = signed_in(bob)
    content = csv_bytes(ROWS)
    first = _batch_id(_upload(client, fft_source, content))
    _columns_post(client, first)
    client.post(f"/imports/{first}/start/")
    again = _upload(client, fft_source, content, name="march-copy.csv")
    assert again.status_code == 400
    page = again.content.decode()
    assert "This file was already imported into FFT inpatients" in page
    assert f'href="/imports/{first}/"' in page
    assert FeedbackItem.objects.count() == 2


def test_an_excel_upload_is_mapped_and_previewed(bob, fft_source, signed_in):
    client = signed_in(bob)
    response = client.post(
        "/imports/new/",
        {"source": fft_source.pk, "file": SimpleUploadedFile("fft.xlsx", xlsx_bytes(ROWS))},
    )
    batch_id = _batch_id(response)
    _columns_post(client, batch_id)
    page = client.get(f"/imports/{batch_id}/").content.decode()
    assert "Waited four hours" in page and "07700 900123" not in page


def test_an_oversized_upload_gets_a_clear_message(bob, fft_source, signed_in, monkeypatch):
    monkeypatch.setattr(imports, "IMPORT_MAX_BYTES", 50)
    response = _upload(signed_in(bob), fft_source, csv_bytes(ROWS * 3))
    assert response.status_code == 400
    assert "The file must be smaller than" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_running_import_shows_progress_that_updates_without_a_timed_reload(bob, fft_source, signed_in):
    client = signed_in(bob)
    batch_id = _batch_id(_upload(client, fft_source, csv_bytes(ROWS)))
    _columns_post(client, batch_id)
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.RUNNING, rows_done=1)
    response = client.get(f"/imports/{batch_id}/")
    page = response.content.decode()
    # A timed reload would fail WCAG 2.2.1; our own script (allowed by the policy) updates the live region.
    assert 'http-equiv="refresh"' not in page
    assert f'data-heard-poll="/imports/{batch_id}/"' in page and 'aria-live="polite"' in page
    assert re.search(r'<progress id="import-progress"[^>]*max="2" value="1"', page)
    assert "1 of 2 rows done (50%)" in page
    assert "Refresh now" in page  # without JavaScript
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.DONE, rows_done=2, rows_imported=2)
    assert "data-heard-poll" not in client.get(f"/imports/{batch_id}/").content.decode()


def test_a_viewer_cannot_import(member_factory, leeds, fft_source, signed_in):
    viewer = member_factory(leeds, "vic", Role.VIEWER)
    client = signed_in(viewer)
    assert client.get("/imports/").status_code == 403
    assert _upload(client, fft_source, csv_bytes(ROWS)).status_code == 403
    assert ImportBatch.objects.count() == 0


def test_another_organisations_import_and_source_are_not_found(bob, carol, fft_source, signed_in, wakefield):
    theirs = FeedbackSourceFactory(organisation=wakefield, name="Wakefield FFT")
    carol_client = signed_in(carol)
    batch_id = _batch_id(_upload(carol_client, theirs, csv_bytes(ROWS)))
    client = signed_in(bob)
    assert client.get(f"/imports/{batch_id}/").status_code == 404
    assert client.get(f"/imports/{batch_id}/columns/").status_code == 404
    assert client.post(f"/imports/{batch_id}/start/").status_code == 404
    # Bob cannot upload into Wakefield's source: it is not among his choices.
    response = _upload(client, theirs, csv_bytes(ROWS[:1]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert ImportBatch.objects.filter(organisation__slug="leeds-north").count() == 0
