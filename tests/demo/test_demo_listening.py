"""The demo organisation shows every listening feature, redacted, and loading it twice adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from heard.listening.models import ApiToken, FeedbackItem, ImportBatch, Survey
from heard.privacy.models import VaultEntry

pytestmark = pytest.mark.django_db


def test_demo_has_feedback_from_every_kind_of_channel_redacted(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo_load", stdout=io.StringIO())
    items = FeedbackItem.objects.filter(organisation__slug="leeds-west")
    channels = set(items.values_list("channel", flat=True))
    assert {"online", "paper", "telephone", "email", "kiosk", "social_media", "workshop", "sms"} <= channels
    batch = ImportBatch.objects.get(organisation__slug="leeds-west")
    assert (batch.status, batch.rows_imported, batch.rows_bad) == ("done", 6, 1)
    assert Survey.objects.filter(organisation__slug="leeds-west", status="open").exists()
    assert items.filter(flagged=True).exists()
    assert VaultEntry.objects.filter(organisation__slug="leeds-west").count() >= 2
    assert ApiToken.objects.filter(organisation__slug="leeds-west").exists()
    every_text = " ".join(items.values_list("text", flat=True))
    for identifier in ("07700 900461", "943 476 5919", "Priya", "martin.hughes@example.com", "07700 900812"):
        assert identifier not in every_text
    count = items.count()
    call_command("demo_load", stdout=io.StringIO())
    assert FeedbackItem.objects.filter(organisation__slug="leeds-west").count() == count
