"""Imports of CSV and Excel files into the one store: upload, map and check, start, run.

A file is kept only while its import needs it, in ``VAR_DIR/imports/``, and deleted when the import ends (or
when it was checked but not imported within two days). Rows go through ``feedback_receive_many``, the one
write path, a chunk at a time: each chunk commits, so that the page can show progress and SQLite's one write
lock is never held for a whole file. All or nothing still holds per file: nothing is stored from a file with bad
rows unless the person chose to import the good rows, and if storing fails part-way, the rows this import
stored are removed again before the import is marked as failed (docs/adr/0012-imports-in-chunks.md).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heard.core.audit import audit_record
from heard.core.events import event_publish
from heard.core.models import Organisation, User
from heard.listening.importing import selectors
from heard.listening.importing.mapping import DATE_FORMAT_KEYS, FIELD_KEYS, MappingChoice
from heard.listening.importing.reading import FileProblem, table_open
from heard.listening.importing.run import file_check, rows_read
from heard.listening.models import (
    Channel,
    FeedbackItem,
    FeedbackSource,
    ImportBatch,
    ImportMapping,
    ImportStatus,
)
from heard.listening.services.intake import feedback_receive_many
from heard.projects.models import Project

logger = logging.getLogger(__name__)

# Uploads bigger than this are refused with a message saying so (HEARD_IMPORT_MAX_MB in the environment).
IMPORT_MAX_BYTES = int(getattr(settings, "HEARD_IMPORT_MAX_BYTES", 50 * 1024 * 1024))
# Files with at most this many rows are imported while the person waits; bigger ones in the background.
INLINE_ROWS = 2_000
# Rows stored per transaction; the progress bar moves once per chunk. On SQLite each chunk holds the one write
# lock while it is redacted and stored (about a second), so chunks stay small enough for pages to wait it out.
RUN_CHUNK = 2_000
ABANDONED_AFTER = timedelta(days=2)

Row = TypeVar("Row")


class ImportRefused(Exception):
    """A file or a step refused, with a message for the person and, for a repeated file, the earlier import."""

    def __init__(self, message: str, earlier: ImportBatch | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.earlier = earlier


def upload_folder() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def import_file_path(batch: ImportBatch) -> Path:
    suffix = Path(batch.file_name).suffix.lower()[:6]
    # One file per source and content: import_upload hands back the import already waiting for the same file,
    # so no two imports share (and delete) one copy.
    return upload_folder() / f"{batch.organisation_id}-{batch.source_id}-{batch.file_sha256}{suffix}"


def import_earlier(*, source: FeedbackSource, file_sha256: str) -> ImportBatch | None:
    """An import of the very same file into the same source that has run or is running."""
    return (
        ImportBatch.objects.filter(
            source=source, file_sha256=file_sha256, status__in=[ImportStatus.DONE, ImportStatus.RUNNING]
        )
        .order_by("created_at")
        .first()
    )


def _refuse_repeat(source: FeedbackSource, file_sha256: str) -> None:
    earlier = import_earlier(source=source, file_sha256=file_sha256)
    if earlier is not None:
        when = timezone.localtime(earlier.created_at).strftime("%d/%m/%Y %H:%M")
        raise ImportRefused(
            f"This file was already imported into {source.name} on {when} ({earlier.file_name}). "
            "Nothing was imported again.",
            earlier=earlier,
        )


def import_upload(
    *,
    actor: User | None,
    organisation: Organisation,
    source: FeedbackSource,
    file_name: str,
    chunks: Iterable[bytes],
) -> ImportBatch:
    """Keeps an uploaded file for checking and returns its import; ImportRefused if it cannot be taken."""
    if source.organisation_id != organisation.pk:
        raise ImportRefused("That source belongs to another organisation.")
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    imports_forget_abandoned()
    partial = folder / f"upload-{secrets.token_hex(8)}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with partial.open("wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > IMPORT_MAX_BYTES:
                    raise ImportRefused(
                        f"The file is bigger than {IMPORT_MAX_BYTES // (1024 * 1024)} MB. "
                        "Split it into smaller files, or save it as CSV, which is smaller than Excel."
                    )
                digest.update(chunk)
                handle.write(chunk)
        if size == 0:
            raise ImportRefused("The file is empty.")
        file_sha256 = digest.hexdigest()
        _refuse_repeat(source, file_sha256)
        waiting = ImportBatch.objects.filter(
            organisation=organisation, source=source, file_sha256=file_sha256, status=ImportStatus.PREVIEWED
        ).first()
        if waiting is not None and import_file_path(waiting).exists():
            # The same file uploaded again before it was imported: carry on with the import already made.
            return waiting
        batch = ImportBatch(
            organisation=organisation,
            source=source,
            file_name=Path(file_name).name[:255] or "upload.csv",
            file_sha256=file_sha256,
            created_by=actor if actor is not None and actor.pk else None,
        )
        path = import_file_path(batch)
        partial.replace(path)
        try:
            with table_open(path, file_name=batch.file_name) as table:
                columns = len(table.header)
        except FileProblem as problem:
            path.unlink(missing_ok=True)
            raise ImportRefused(str(problem)) from None
    finally:
        partial.unlink(missing_ok=True)
    with transaction.atomic():
        batch.save()
        audit_record(
            actor=actor,
            action="import.uploaded",
            organisation=organisation,
            target=batch,
            detail={"source": source.name, "bytes": size, "columns": columns, "sha256": file_sha256},
        )
    return batch


def import_header(batch: ImportBatch) -> list[str]:
    """The file's column names; ImportRefused if the file has gone (imported, or forgotten)."""
    path = import_file_path(batch)
    if not path.exists():
        raise ImportRefused("The uploaded file is no longer kept. Upload it again.")
    try:
        with table_open(path, file_name=batch.file_name) as table:
            return table.header
    except FileProblem as problem:
        raise ImportRefused(str(problem)) from None


def import_choice(batch: ImportBatch) -> MappingChoice:
    mapping = batch.mapping
    if mapping is None:
        raise ImportRefused("Choose which column holds what first.")
    return MappingChoice(
        columns=dict(mapping.columns),
        date_format=mapping.date_format or "auto",
        default_channel=mapping.default_channel,
        project=batch.project,
    )


def import_map(
    *,
    actor: User | None,
    batch: ImportBatch,
    mapping_name: str,
    columns: dict[str, str],
    date_format: str = "auto",
    default_channel: str = Channel.OTHER,
    project: Project | None = None,
) -> ImportBatch:
    """Saves the column mapping under its name for the source, then checks every row of the file with it."""
    if batch.status != ImportStatus.PREVIEWED:
        raise ImportRefused("This import has already started: its columns cannot change.")
    header = import_header(batch)
    columns = {key: column for key, column in columns.items() if key in FIELD_KEYS and column in header}
    if "text" not in columns and "fft_answer" not in columns:
        raise ImportRefused(
            "Choose the column that holds the comment (or the Friends and Family Test answer)."
        )
    if date_format not in DATE_FORMAT_KEYS:
        raise ImportRefused(f"Heard does not know the date format {date_format!r}.")
    if project is not None and project.organisation_id != batch.organisation_id:
        raise ImportRefused("That project belongs to another organisation.")
    batch.project = project
    choice = MappingChoice(
        columns=columns, date_format=date_format, default_channel=default_channel, project=project
    )
    # Checked before the transaction: a large file takes seconds, and the write lock is not needed for it.
    try:
        result = file_check(
            path=import_file_path(batch),
            file_name=batch.file_name,
            choice=choice,
            projects=selectors.projects_for_import(organisation=batch.organisation),
        )
    except FileProblem as problem:
        raise ImportRefused(str(problem)) from None
    with transaction.atomic():
        mapping, _ = ImportMapping.objects.update_or_create(
            organisation=batch.organisation,
            source=batch.source,
            name=mapping_name.strip()[:120] or f"{batch.source.name} columns",
            defaults={"columns": columns, "date_format": date_format, "default_channel": default_channel},
        )
        batch.mapping = mapping
        batch.rows_total = result.rows_total
        batch.rows_bad = result.rows_bad
        batch.problems_total = result.problems_total
        batch.problems = result.problems
        batch.save(
            update_fields=["mapping", "project", "rows_total", "rows_bad", "problems_total", "problems"]
        )
        audit_record(
            actor=actor,
            action="import.checked",
            organisation=batch.organisation,
            target=batch,
            detail={
                "mapping": mapping.name,
                "rows": result.rows_total,
                "bad_rows": result.rows_bad,
                "problems": result.problems_total,
            },
        )
    return batch


def import_start(
    *, actor: User | None, batch: ImportBatch, good_rows: bool = False, run_now: bool | None = None
) -> ImportBatch:
    """Starts a checked import: at once for a small file (or ``run_now``), otherwise as a background task.

    Refused for a file with bad rows unless ``good_rows`` says to import the good ones and skip the rest.
    """
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update().select_related("source", "organisation").get(pk=batch.pk)
        )
        if batch.status != ImportStatus.PREVIEWED:
            raise ImportRefused("This import has already started.")
        if batch.mapping_id is None:
            raise ImportRefused("Choose which column holds what first.")
        if not import_file_path(batch).exists():
            raise ImportRefused("The uploaded file is no longer kept. Upload it again.")
        _refuse_repeat(batch.source, batch.file_sha256)
        good = batch.rows_total - batch.rows_bad
        if batch.rows_bad and not good_rows:
            rows_have = f"{batch.rows_bad:,} rows have" if batch.rows_bad != 1 else "1 row has"
            raise ImportRefused(
                f"{rows_have} problems, so nothing was imported. Correct the file and upload it again, "
                f"or choose to import the {good:,} good rows and skip the bad ones."
            )
        if good == 0:
            raise ImportRefused("There are no rows to import.")
        batch.status = ImportStatus.RUNNING
        batch.import_good_rows = good_rows
        batch.rows_done = 0
        batch.save(update_fields=["status", "import_good_rows", "rows_done"])
        audit_record(
            actor=actor,
            action="import.started",
            organisation=batch.organisation,
            target=batch,
            detail={"rows": batch.rows_total, "skipping_bad_rows": batch.rows_bad if good_rows else 0},
        )
    if run_now if run_now is not None else batch.rows_total <= INLINE_ROWS:
        return import_run(batch_id=batch.pk)
    from heard.listening.tasks import feedback_import

    feedback_import.enqueue(batch_id=batch.pk)
    return batch


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Stopped(Exception):
    pass


def import_run(*, batch_id: int) -> ImportBatch:
    """Stores a started import's rows, a chunk at a time, moving ``rows_done`` as it goes.

    Safe to run twice: a batch that is not running is left alone, and a rerun after a crash removes what the
    first attempt stored before starting again.
    """
    batch = ImportBatch.objects.select_related(
        "source", "organisation", "mapping", "project", "created_by"
    ).get(pk=batch_id)
    if batch.status != ImportStatus.RUNNING:
        return batch
    actor = batch.created_by
    path = import_file_path(batch)
    taken_back = _take_back(batch)
    done = imported = repeated = 0
    try:
        if not path.exists():
            raise _Stopped("The uploaded file was no longer there. Upload it again.")
        rows = rows_read(
            path=path,
            file_name=batch.file_name,
            choice=import_choice(batch),
            projects=selectors.projects_for_import(organisation=batch.organisation),
        )
        for chunk in _chunks(rows, RUN_CHUNK):
            incoming = [feedback for _, feedback, _ in chunk if feedback is not None]
            if len(incoming) < len(chunk) and not batch.import_good_rows:
                raise _Stopped("The file has rows with problems. Nothing was imported.")
            summary = feedback_receive_many(
                actor=actor,
                organisation=batch.organisation,
                source=batch.source,
                incoming=incoming,
                batch=batch,
            )
            done += len(chunk)
            imported += summary.created
            repeated += summary.repeated
            ImportBatch.objects.filter(pk=batch.pk).update(
                rows_done=done, rows_imported=imported, rows_repeated=repeated
            )
    except Exception as failure:
        # All or nothing: take back what this import stored, then say why it stopped.
        taken_back += _take_back(batch)
        reason = str(failure) if isinstance(failure, _Stopped | ImportRefused | FileProblem) else ""
        # Only the kind of failure is logged: a database error can quote a row, and rows carry identifiers.
        logger.error("Import %s failed: %s", batch.pk, type(failure).__name__)
        return _import_finish(
            batch,
            actor=actor,
            status=ImportStatus.FAILED,
            counts=(done, 0, 0),
            failure=reason
            or "Something went wrong while storing the rows, so nothing was imported. Try again.",
            taken_back=taken_back,
        )
    return _import_finish(batch, actor=actor, status=ImportStatus.DONE, counts=(done, imported, repeated))


def _take_back(batch: ImportBatch) -> int:
    """Deletes what this import stored so far, telling the apps that hold anything about those items."""
    ids = list(FeedbackItem.objects.filter(import_batch=batch).values_list("id", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        FeedbackItem.objects.filter(pk__in=ids).delete()
        event_publish(
            "feedback.deleted", organisation_id=batch.organisation_id, item_ids=ids, orphaned_pseudonyms=[]
        )
    return len(ids)


def _import_finish(
    batch: ImportBatch,
    *,
    actor: User | None,
    status: str,
    counts: tuple[int, int, int],
    failure: str = "",
    taken_back: int = 0,
) -> ImportBatch:
    batch.status = status
    batch.rows_done, batch.rows_imported, batch.rows_repeated = counts
    batch.failure = failure[:500]
    batch.finished_at = timezone.now()
    with transaction.atomic():
        batch.save(
            update_fields=["status", "rows_done", "rows_imported", "rows_repeated", "failure", "finished_at"]
        )
        audit_record(
            actor=actor,
            action="import.done" if status == ImportStatus.DONE else "import.failed",
            organisation=batch.organisation,
            target=batch,
            detail={
                "source": batch.source.name,
                "imported": batch.rows_imported,
                "repeated": batch.rows_repeated,
                "skipped": batch.rows_bad if batch.import_good_rows else 0,
                "stored_then_taken_back": taken_back,
            },
        )
    import_file_path(batch).unlink(missing_ok=True)
    return batch


def imports_forget_abandoned(*, older_than: timedelta = ABANDONED_AFTER) -> int:
    """Deletes the files of imports checked but never started, and marks those imports as not imported."""
    cutoff = timezone.now() - older_than
    abandoned = list(ImportBatch.objects.filter(status=ImportStatus.PREVIEWED, created_at__lt=cutoff))
    for batch in abandoned:
        import_file_path(batch).unlink(missing_ok=True)
    ImportBatch.objects.filter(pk__in=[batch.pk for batch in abandoned]).update(
        status=ImportStatus.FAILED, failure="Not imported within two days of upload, so the file was deleted."
    )
    return len(abandoned)
