"""Retention periods per source, with deletion that really deletes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from heard.core.events import event_subscribe
from heard.core.models import AuditEntry
from heard.listening.models import FeedbackItem
from heard.listening.services.retention import retention_apply, retention_apply_all
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory

pytestmark = pytest.mark.django_db


def test_items_past_their_sources_retention_are_deleted_from_the_database(
    leeds, django_capture_on_commit_callbacks
):
    pals = FeedbackSourceFactory(organisation=leeds, name="PALS", kind="pals", retention_days=365)
    kept_forever = FeedbackSourceFactory(organisation=leeds, name="Survey", kind="heard_survey")
    old = FeedbackItemFactory(
        organisation=leeds,
        source=pals,
        text="Old complaint",
        received_at=timezone.now() - timedelta(days=400),
    )
    recent = FeedbackItemFactory(
        organisation=leeds, source=pals, received_at=timezone.now() - timedelta(days=30)
    )
    ancient_survey = FeedbackItemFactory(
        organisation=leeds, source=kept_forever, received_at=timezone.now() - timedelta(days=4000)
    )
    heard_of = []
    event_subscribe("feedback.deleted", lambda **payload: heard_of.append(payload["item_ids"]))
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_apply_all() == 1
    remaining = set(FeedbackItem.objects.values_list("id", flat=True))
    assert remaining == {recent.pk, ancient_survey.pk}
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM listening_feedbackitem WHERE text = %s", ["Old complaint"])
        assert cursor.fetchone()[0] == 0  # gone from the table, not merely hidden
    entry = AuditEntry.objects.get(action="feedback.deleted_by_retention")
    assert entry.detail == {"items": 1, "older_than_days": 365}
    assert "Old complaint" not in str(entry.detail) + entry.target_label
    assert heard_of == [[old.pk]]


def test_a_source_without_a_retention_period_keeps_everything(leeds):
    source = FeedbackSourceFactory(organisation=leeds)
    FeedbackItemFactory(organisation=leeds, source=source, received_at=timezone.now() - timedelta(days=9999))
    assert retention_apply(source=source) == 0
    assert FeedbackItem.objects.count() == 1
