"""Importing files into the one store: mapped, checked, redacted, all or nothing, never twice."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from heard.core.models import AuditEntry
from heard.listening.models import FeedbackItem, ImportBatch, ImportMapping, ImportStatus
from heard.listening.services import imports
from tests.factories import FeedbackSourceFactory, ProjectFactory
from tests.listening.import_files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    ["R1", "02/03/2026", "Ward 23", "Very good", "Nurse Jane Doe was lovely, call me on 07700 900123"],
    ["R2", "03/03/2026 14:30", "A&E", "2", "Waited 4 hours but the staff were kind"],
    ["R3", "2026-03-04", "Ward 7", "Poor", "Food was cold. My NHS number is 943 476 5919"],
]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def fft_source(leeds):
    return FeedbackSourceFactory(organisation=leeds, name="FFT inpatients", kind="fft")


def upload(organisation, source, content: bytes, name: str = "fft.csv", actor=None) -> ImportBatch:
    return imports.import_upload(
        actor=actor, organisation=organisation, source=source, file_name=name, chunks=[content]
    )


def checked(batch: ImportBatch, **columns: str) -> ImportBatch:
    chosen = columns or {
        "external_id": "ID",
        "received_at": "Date",
        "service": "Ward",
        "fft_answer": "Rating",
        "text": "Comment",
    }
    return imports.import_map(
        actor=None, batch=batch, mapping_name="FFT monthly", columns=chosen, default_channel="paper"
    )


def test_a_clean_file_is_imported_redacted_with_source_and_channel(leeds, fft_source, var_dir):
    batch = checked(upload(leeds, fft_source, csv_bytes(GOOD_ROWS)))
    assert (batch.rows_total, batch.rows_bad, batch.problems) == (3, 0, [])
    batch = imports.import_start(actor=None, batch=batch)
    assert batch.status == ImportStatus.DONE
    assert (batch.rows_imported, batch.rows_repeated, batch.rows_done) == (3, 0, 3)
    items = {item.external_id: item for item in FeedbackItem.objects.filter(import_batch=batch)}
    assert "07700 900123" not in items["R1"].text and "[PHONE]" in items["R1"].text
    assert "943 476 5919" not in items["R3"].text
    assert items["R1"].fft_answer == "very_good" and items["R2"].fft_answer == "good"
    assert items["R2"].received_at == datetime(2026, 3, 3, 14, 30, tzinfo=timezone.get_current_timezone())
    assert items["R3"].service == "Ward 7"
    assert {item.channel for item in items.values()} == {"paper"}
    assert {item.source for item in items.values()} == {fft_source}
    # The file is kept only while the import needs it.
    assert not list((var_dir / "imports").iterdir())
    assert AuditEntry.objects.filter(action="import.done", target_id=str(batch.pk)).exists()


def test_the_column_choices_are_saved_by_name_for_the_source(leeds, fft_source):
    batch = checked(upload(leeds, fft_source, csv_bytes(GOOD_ROWS)))
    mapping = ImportMapping.objects.get(source=fft_source)
    assert mapping.name == "FFT monthly"
    assert mapping.columns["text"] == "Comment" and mapping.default_channel == "paper"
    assert batch.mapping == mapping


def test_bad_rows_are_named_by_row_and_field_and_nothing_is_written(leeds, fft_source):
    rows = [
        *GOOD_ROWS,
        ["R4", "31/02/2026", "Ward 1", "Good", "Fine"],
        ["R5", "05/03/2026", "Ward 1", "Meh", "Odd rating"],
        ["R6", "yesterday", "Ward 1", "", ""],
    ]
    batch = checked(upload(leeds, fft_source, csv_bytes(rows)))
    assert (batch.rows_total, batch.rows_bad) == (6, 3)
    messages = [f"Row {p['row']}, {p['field']}: {p['message']}" for p in batch.problems]
    assert "Row 5, Date: '31/02/2026' is not a real date" in messages
    assert any(
        message.startswith("Row 6, Rating: 'Meh' is not a Friends and Family Test answer")
        for message in messages
    )
    assert any(message.startswith("Row 7, Date: 'yesterday' is not a date like") for message in messages)
    assert any(message.startswith("Row 7, Comment:") for message in messages)
    with pytest.raises(imports.ImportRefused, match="3 rows have problems"):
        imports.import_start(actor=None, batch=batch)
    assert FeedbackItem.objects.count() == 0
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.PREVIEWED


def test_importing_the_good_rows_skips_the_bad_ones(leeds, fft_source):
    rows = [*GOOD_ROWS, ["R4", "31/02/2026", "Ward 1", "Good", "Fine"]]
    batch = checked(upload(leeds, fft_source, csv_bytes(rows)))
    batch = imports.import_start(actor=None, batch=batch, good_rows=True)
    assert batch.status == ImportStatus.DONE
    assert batch.rows_imported == 3
    assert set(FeedbackItem.objects.values_list("external_id", flat=True)) == {"R1", "R2", "R3"}


def test_the_same_file_again_is_refused_with_the_earlier_import(leeds, fft_source):
    content = csv_bytes(GOOD_ROWS)
    first = imports.import_start(actor=None, batch=checked(upload(leeds, fft_source, content)))
    with pytest.raises(imports.ImportRefused, match="already imported") as refusal:
        upload(leeds, fft_source, content)
    assert refusal.value.earlier == first
    assert FeedbackItem.objects.count() == 3


def test_rows_already_in_heard_are_counted_not_duplicated(leeds, fft_source):
    imports.import_start(actor=None, batch=checked(upload(leeds, fft_source, csv_bytes(GOOD_ROWS[:2]))))
    # A later export repeats R2 and brings R3; and a row without a reference repeats by what it says and when.
    later = checked(upload(leeds, fft_source, csv_bytes([*GOOD_ROWS[1:], *GOOD_ROWS[1:2]]), name="later.csv"))
    later = imports.import_start(actor=None, batch=later)
    assert (later.rows_imported, later.rows_repeated) == (1, 2)
    assert FeedbackItem.objects.count() == 3


def test_rows_without_a_reference_repeat_by_content(leeds, fft_source):
    rows = [row[1:] for row in GOOD_ROWS]
    header = ["Date", "Ward", "Rating", "Comment"]
    imports.import_start(actor=None, batch=checked(upload(leeds, fft_source, csv_bytes(rows, header))))
    again = checked(
        upload(leeds, fft_source, csv_bytes([*rows, ["06/03/2026", "Ward 2", "Good", "New"]], header))
    )
    again = imports.import_start(actor=None, batch=again)
    assert (again.rows_imported, again.rows_repeated) == (1, 3)
    assert FeedbackItem.objects.count() == 4


def test_an_excel_workbook_imports_with_its_own_dates_and_numbers(leeds, fft_source):
    rows = [
        # Excel keeps dates without a time zone: they are read as local (UK) time.
        [12345, datetime(2026, 3, 2, 9, 15), "Ward 23", 1, "Lovely staff"],  # noqa: DTZ001
        [12346, "03/03/2026", "Ward 23", "Good", "=CMD()"],
    ]
    batch = checked(upload(leeds, fft_source, xlsx_bytes(rows), name="fft.xlsx"))
    assert batch.problems == []
    imports.import_start(actor=None, batch=batch)
    first = FeedbackItem.objects.get(external_id="12345")
    assert first.received_at == datetime(2026, 3, 2, 9, 15, tzinfo=timezone.get_current_timezone())
    assert first.fft_answer == "very_good"
    # A formula is stored as the plain text it is; nothing in the file was evaluated.
    assert FeedbackItem.objects.get(external_id="12346").text == "=CMD()"


def test_csv_with_a_byte_order_mark_keeps_its_first_column(leeds, fft_source):
    content = b"\xef\xbb\xbf" + csv_bytes(GOOD_ROWS)
    batch = checked(upload(leeds, fft_source, content))
    assert batch.problems == []
    imports.import_start(actor=None, batch=batch)
    assert set(FeedbackItem.objects.values_list("external_id", flat=True)) == {"R1", "R2", "R3"}


def test_windows_1252_csv_with_semicolons_is_read(leeds, fft_source):
    rows = [["W1", "02/03/2026", "Café ward", "Good", "Staff were brilliant \u2013 \u00a35 parking though"]]
    batch = checked(upload(leeds, fft_source, csv_bytes(rows, encoding="cp1252", delimiter=";")))
    assert batch.problems == []
    imports.import_start(actor=None, batch=batch)
    item = FeedbackItem.objects.get(external_id="W1")
    assert item.service == "Café ward"
    assert "\u2013 \u00a35 parking" in item.text


def test_formula_like_cells_are_stored_as_plain_text(leeds, fft_source):
    rows = [["F1", "02/03/2026", '=HYPERLINK("http://x")', "Good", "=CMD()|' /C calc'!A0"]]
    imports.import_start(actor=None, batch=checked(upload(leeds, fft_source, csv_bytes(rows))))
    item = FeedbackItem.objects.get(external_id="F1")
    assert item.text == "=CMD()|' /C calc'!A0"
    assert item.service == '=HYPERLINK("http://x")'


def test_a_project_column_files_rows_under_projects(leeds, fft_source):
    project = ProjectFactory(organisation=leeds, slug="urgent-care", title="Urgent care review")
    rows = [
        ["P1", "02/03/2026", "Ward 1", "Good", "Fine", "urgent-care"],
        ["P2", "02/03/2026", "Ward 1", "Good", "Hm", "Nope"],
    ]
    batch = upload(
        leeds, fft_source, csv_bytes(rows, [*["ID", "Date", "Ward", "Rating", "Comment"], "Project"])
    )
    batch = checked(batch, external_id="ID", received_at="Date", text="Comment", project="Project")
    assert [p["message"] for p in batch.problems] == ["there is no project called 'Nope' in Heard"]
    imports.import_start(actor=None, batch=batch, good_rows=True)
    assert FeedbackItem.objects.get(external_id="P1").project == project


def test_progress_moves_in_chunks_and_ends_with_every_row(leeds, fft_source, monkeypatch):
    monkeypatch.setattr(imports, "RUN_CHUNK", 2)
    seen: list[int] = []
    real_receive = imports.feedback_receive_many

    def watching(**kwargs):
        seen.append(ImportBatch.objects.get(pk=batch.pk).rows_done)
        return real_receive(**kwargs)

    monkeypatch.setattr(imports, "feedback_receive_many", watching)
    rows = [[f"X{n}", "02/03/2026", "Ward 1", "Good", f"Comment {n}"] for n in range(5)]
    batch = checked(upload(leeds, fft_source, csv_bytes(rows)))
    batch = imports.import_start(actor=None, batch=batch, run_now=False)  # queued: not yet run
    assert batch.status == ImportStatus.RUNNING
    done = imports.import_run(batch_id=batch.pk)
    assert seen == [0, 2, 4]
    assert (done.status, done.rows_done, done.rows_imported) == (ImportStatus.DONE, 5, 5)


def test_a_failure_part_way_takes_back_what_was_stored(leeds, fft_source, monkeypatch, var_dir):
    monkeypatch.setattr(imports, "RUN_CHUNK", 2)
    real_receive = imports.feedback_receive_many
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_receive(**kwargs)

    monkeypatch.setattr(imports, "feedback_receive_many", failing)
    rows = [[f"X{n}", "02/03/2026", "Ward 1", "Good", f"Comment {n}"] for n in range(5)]
    batch = imports.import_start(
        actor=None, batch=checked(upload(leeds, fft_source, csv_bytes(rows))), run_now=True
    )
    assert batch.status == ImportStatus.FAILED
    assert "nothing was imported" in batch.failure
    assert FeedbackItem.objects.count() == 0
    assert not list((var_dir / "imports").iterdir())


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}})
def test_a_large_file_is_imported_by_the_background_task(leeds, fft_source, monkeypatch):
    monkeypatch.setattr(imports, "INLINE_ROWS", 2)
    rows = [[f"T{n}", "02/03/2026", "Ward 1", "Good", f"Comment {n}"] for n in range(3)]
    batch = imports.import_start(actor=None, batch=checked(upload(leeds, fft_source, csv_bytes(rows))))
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DONE
    assert FeedbackItem.objects.filter(import_batch=batch).count() == 3


@pytest.mark.django_db(transaction=True)  # the worker closes the connection after its task, as in production
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_on_the_database_queue_the_import_waits_for_a_worker(leeds, fft_source, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(imports, "INLINE_ROWS", 2)
    rows = [[f"T{n}", "02/03/2026", "Ward 1", "Good", f"Comment {n}"] for n in range(3)]
    batch = imports.import_start(actor=None, batch=checked(upload(leeds, fft_source, csv_bytes(rows))))
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.RUNNING
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "heard.listening.tasks.feedback_import"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DONE


def test_an_oversized_file_is_refused_with_the_limit(leeds, fft_source, monkeypatch):
    monkeypatch.setattr(imports, "IMPORT_MAX_BYTES", 100)
    with pytest.raises(imports.ImportRefused, match="bigger than"):
        upload(leeds, fft_source, csv_bytes(GOOD_ROWS * 5))
    assert ImportBatch.objects.count() == 0


def test_a_file_that_is_not_a_table_is_refused(leeds, fft_source):
    with pytest.raises(imports.ImportRefused, match="CSV file"):
        upload(leeds, fft_source, b"%PDF-1.7 ...", name="letter.pdf")


def test_files_checked_but_never_imported_are_forgotten(leeds, fft_source, var_dir):
    batch = checked(upload(leeds, fft_source, csv_bytes(GOOD_ROWS)))
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - imports.ABANDONED_AFTER * 2)
    assert imports.imports_forget_abandoned() == 1
    assert not imports.import_file_path(batch).exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.FAILED


def test_the_command_imports_a_file_with_a_guessed_then_saved_mapping(leeds, fft_source, tmp_path, capsys):
    path = tmp_path / "march.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    call_command(
        "feedback", "import", str(path), "--organisation", "leeds-north", "--source", "FFT inpatients"
    )
    assert "Imported 3 of 3 rows" in capsys.readouterr().out
    assert FeedbackItem.objects.filter(source=fft_source).count() == 3
    mapping = ImportMapping.objects.get(source=fft_source)
    assert mapping.columns == {
        "text": "Comment",
        "received_at": "Date",
        "service": "Ward",
        "fft_answer": "Rating",
        "external_id": "ID",
    }


def test_the_command_refuses_a_file_with_bad_rows_unless_told(leeds, fft_source, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([*GOOD_ROWS, ["R9", "31/02/2026", "Ward 1", "Good", "x"]]))
    args = ["feedback", "import", str(path), "--organisation", "leeds-north", "--source", "FFT inpatients"]
    with pytest.raises(CommandError, match="1 row has problems"):
        call_command(*args)
    assert "Row 5, Date: '31/02/2026' is not a real date" in capsys.readouterr().err
    assert FeedbackItem.objects.count() == 0
    call_command(*args, "--good-rows")
    assert FeedbackItem.objects.count() == 3
