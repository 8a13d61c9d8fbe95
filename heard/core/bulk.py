"""Writing many rows at once: COPY on PostgreSQL, bulk INSERT elsewhere.

Django's ``bulk_create`` prepares every value of every row through its field (a million and a half calls for a
pass of 30,000 suggestions and the dashboards' rows behind them) and sends the rows as one long INSERT whose
parameters the driver quotes one by one. COPY streams plain rows in the table's own format, which PostgreSQL reads
several times faster (docs/performance.md). The rows are given as plain values, so nothing is checked on the way:
this is for rows a service has already built from the database's own data, not for anything a person typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from psycopg.types.json import Jsonb


def rows_add(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> int:
    """Inserts ``rows`` (each a mapping of field names, or ``_id`` names for foreign keys, to values; every row
    with the same keys) into ``model``'s table inside the caller's transaction, as ``bulk_create`` would: a field
    not given takes its default. Returns how many.

    The values go to the database as they are: datetimes must be aware (COPY would read a naive one as UTC, where
    ``bulk_create`` reads it in the current time zone), and None in a JSON field is JSON null. It suits tables
    whose key the database makes; a model with a key of its own, or a generated column, is refused."""
    if not isinstance(model._meta.pk, AutoFieldMixin) or any(
        isinstance(field, models.GeneratedField) for field in model._meta.concrete_fields
    ):
        raise ValueError(
            f"rows_add writes tables with a database-made key and no generated column, not {model}"
        )
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=2_000)
        return len(rows)
    given = list(rows[0])
    fields = [_concrete(model, name) for name in given]
    named = {field.name for field in fields}
    missing = [
        field
        for field in model._meta.concrete_fields
        if field.name not in named and not field.primary_key and field.db_default is models.NOT_PROVIDED
    ]
    # What each field not given takes, worked out once: the time for an auto_now field, else its default.
    now = timezone.now()
    fill = [
        (lambda: now)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        else field.get_default
        for field in missing
    ]
    columns = ", ".join(
        connection.ops.quote_name(field.column or field.name) for field in [*fields, *missing]
    )
    json = [isinstance(field, models.JSONField) for field in [*fields, *missing]]
    table = connection.ops.quote_name(model._meta.db_table)
    # The driver's own cursor, for COPY; its errors are raised as Django's (IntegrityError and the rest), as an
    # INSERT's would be, so callers catch one kind.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = [row[name] for name in given] + [default() for default in fill]
            copy.write_row(
                [Jsonb(value) if wrap else value for value, wrap in zip(values, json, strict=True)]
            )
    return len(rows)


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field
