"""A trigram index on feedback text, on PostgreSQL, so that searching comments for a word (``icontains``, which
PostgreSQL runs as ``UPPER(text) LIKE UPPER('%word%')``) does not read every comment (docs/performance.md).

It needs the pg_trgm extension. Where the database role may not create extensions, the migration says so and
carries on: search still works, only slower; a database administrator can run the two statements below later.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)

EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
INDEX = (
    "CREATE INDEX IF NOT EXISTS feedback_text_upper_trgm ON listening_feedbackitem "
    "USING gin (upper(text) gin_trgm_ops)"
)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(EXTENSION)
    except DatabaseError:
        log.warning(
            "Could not create the pg_trgm extension, so comment search will read every comment. "
            "Ask a database administrator to run: %s; %s;",
            EXTENSION,
            INDEX,
        )
        return
    schema_editor.execute(INDEX)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS feedback_text_upper_trgm")


class Migration(migrations.Migration):
    dependencies = [("listening", "0002_importbatch_counts_and_failure")]

    operations = [migrations.RunPython(forwards, backwards)]
