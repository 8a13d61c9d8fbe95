"""The one lock over a codebook's suggestions and coding, so that writers of them take turns (ADR 0017)."""

from __future__ import annotations

from django.db import connection

# PostgreSQL advisory locks are named by two numbers: this one, and the codebook's id.
LOCK_NAMESPACE = 17_001


def suggestions_lock(codebook_id: int, *, shared: bool = False) -> None:
    """Holds the codebook's suggestions lock until the transaction ends. Whatever writes suggestions or changes
    which themes count (a model's suggestions, retiring or restoring a theme) takes it alone; coding by hand takes
    it shared. Taken first in a transaction, before any row is written, so that it orders the writers rather than
    deadlocking them.

    An advisory lock on PostgreSQL, not a lock on the codebook's row, which every write that refers to the codebook
    touches as it commits (a row lock there deadlocked with coders and with retiring a theme). SQLite needs none: it
    lets one transaction write at a time.
    """
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [LOCK_NAMESPACE, codebook_id])
