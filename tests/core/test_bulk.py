"""rows_add writes what bulk_create would: COPY on PostgreSQL, INSERT elsewhere, inside the caller's transaction."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from heard.core.bulk import rows_add
from heard.understanding.models import Codebook, Suggestion, SuggestionStatus, ThemeModelRun
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


def test_rows_are_written_with_json_foreign_keys_and_defaults(leeds) -> None:
    codebook = Codebook.objects.create(organisation=leeds, name="Experience")
    run = ThemeModelRun.objects.create(organisation=leeds, codebook=codebook)
    items = [FeedbackItemFactory(organisation=leeds) for _ in range(3)]

    written = rows_add(
        Suggestion,
        [
            {
                "organisation_id": leeds.pk,
                "codebook_id": codebook.pk,
                "run_id": run.pk,
                "item_id": item.pk,
                "themes": [{"theme": 7, "confidence": 0.91}] if n else [],
                "sentiment": None if n == 2 else 2,
            }
            for n, item in enumerate(items)
        ],
    )

    assert written == 3
    saved = {one.item_id: one for one in Suggestion.objects.filter(codebook=codebook)}
    assert saved[items[1].pk].themes == [{"theme": 7, "confidence": 0.91}]
    assert saved[items[0].pk].themes == [] and saved[items[0].pk].sentiment == 2
    assert saved[items[2].pk].sentiment is None
    # Fields not given take their defaults, as bulk_create gives them.
    assert all(
        one.status == SuggestionStatus.OPEN and one.part == 0 and one.uncertainty == 0.0
        for one in saved.values()
    )
    assert rows_add(Suggestion, []) == 0


def test_a_table_whose_key_is_not_made_by_the_database_is_refused() -> None:
    from django.contrib.sessions.models import Session  # keyed by the session key, which Django makes

    with pytest.raises(ValueError, match="database-made key"):
        rows_add(Session, [{"session_key": "x", "session_data": "", "expire_date": None}])


def test_a_row_that_breaks_a_constraint_writes_nothing(leeds) -> None:
    codebook = Codebook.objects.create(organisation=leeds, name="Experience")
    run = ThemeModelRun.objects.create(organisation=leeds, codebook=codebook)
    item = FeedbackItemFactory(organisation=leeds)
    row = {"organisation_id": leeds.pk, "codebook_id": codebook.pk, "run_id": run.pk, "item_id": item.pk}

    with pytest.raises(IntegrityError), transaction.atomic():
        rows_add(Suggestion, [row, {**row, "part": 5}, row])  # the third repeats the first

    assert not Suggestion.objects.filter(codebook=codebook).exists()
