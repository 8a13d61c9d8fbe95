"""``heard feedback import FILE --organisation SLUG --source NAME [--mapping NAME] [--good-rows]``.

The same import as the web page, from the command line: the file is checked with the source's saved column
choices (or the named ones, or a guess from the column names, saved under that name), every problem is listed,
and the rows are stored only if there are none, or with ``--good-rows``, only the good ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.core.models import Organisation
from heard.listening.importing import selectors
from heard.listening.importing.mapping import columns_fit, columns_guess
from heard.listening.models import Channel, FeedbackSource, ImportStatus
from heard.listening.services import imports

PROBLEMS_SHOWN = 50


def _file_chunks(path: Path, size: int = 1024 * 1024) -> Any:
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


class Command(BaseCommand):
    help = "Import feedback from a CSV or Excel file."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="import a CSV or Excel file into a source")
        load.add_argument("file", help="the CSV or .xlsx file")
        load.add_argument("--organisation", required=True, help="the organisation's slug")
        load.add_argument("--source", required=True, help="the source's name, as on the sources page")
        load.add_argument("--mapping", help="the saved column choices to use (guessed and saved if new)")
        load.add_argument("--good-rows", action="store_true", help="import the good rows and skip bad ones")
        load.add_argument(
            "--date-format", default=None, help="for a new mapping: auto, DD/MM/YYYY, YYYY-MM-DD, MM/DD/YYYY"
        )
        load.add_argument("--channel", default=None, help=f"for a new mapping: {', '.join(Channel.values)}")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation {options['organisation']!r}.")
        source = FeedbackSource.objects.filter(organisation=organisation, name=options["source"]).first()
        if source is None:
            raise CommandError(f"{organisation.slug} has no source named {options['source']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        try:
            batch = imports.import_upload(
                actor=None,
                organisation=organisation,
                source=source,
                file_name=path.name,
                chunks=_file_chunks(path),
            )
            header = imports.import_header(batch)
            name = options.get("mapping")
            saved = (
                selectors.mapping_named(source=source, name=name)
                if name
                else selectors.mapping_latest(source=source)
            )
            if saved is not None:
                columns = columns_fit(saved.columns, header)
                date_format = options["date_format"] or saved.date_format or "auto"
                channel = options["channel"] or saved.default_channel
                name = saved.name
            else:
                columns = columns_guess(header)
                date_format = options["date_format"] or "auto"
                channel = options["channel"] or Channel.OTHER
                name = name or f"{source.name} columns"
            if channel not in Channel.values:
                raise CommandError(f"The channel must be one of {', '.join(Channel.values)}.")
            self.stdout.write(
                f"Columns ({name}): " + ", ".join(f"{key}={column}" for key, column in columns.items())
            )
            batch = imports.import_map(
                actor=None,
                batch=batch,
                mapping_name=name,
                columns=columns,
                date_format=date_format,
                default_channel=channel,
            )
            for problem in batch.problems[:PROBLEMS_SHOWN]:
                self.stderr.write(f"Row {problem['row']}, {problem['field']}: {problem['message']}")
            if batch.problems_total > PROBLEMS_SHOWN:
                self.stderr.write(f"… and {batch.problems_total - PROBLEMS_SHOWN:,} more problems.")
            batch = imports.import_start(
                actor=None, batch=batch, good_rows=options["good_rows"], run_now=True
            )
        except imports.ImportRefused as refusal:
            raise CommandError(refusal.message) from None
        if batch.status != ImportStatus.DONE:
            raise CommandError(batch.failure or "Nothing was imported.")
        skipped = batch.rows_bad if batch.import_good_rows else 0
        self.stdout.write(
            f"Imported {batch.rows_imported:,} of {batch.rows_total:,} rows into {source.name}: "
            f"{batch.rows_repeated:,} already in Heard, {skipped:,} skipped with problems (import {batch.pk})."
        )
