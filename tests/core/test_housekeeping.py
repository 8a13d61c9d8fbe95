"""``heard housekeeping`` queues every app's routine upkeep, and the worker carries it out."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from heard.listening.models import FeedbackItem, ResponseDraft
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def empty_queue():
    if settings.HEARD_TASK_BACKEND == "rq":
        import django_rq

        django_rq.get_queue("default").empty()
    yield


def test_housekeeping_deletes_expired_feedback_and_drafts(leeds, empty_queue):
    source = FeedbackSourceFactory(organisation=leeds, retention_days=7)
    FeedbackItemFactory(organisation=leeds, source=source, received_at=timezone.now() - timedelta(days=8))
    kept = FeedbackItemFactory(organisation=leeds, source=source)
    from heard.listening.services.surveys import survey_create

    survey = survey_create(actor=None, organisation=leeds, title="Long survey")
    ResponseDraft.objects.create(
        survey=survey,
        token_digest="a" * 64,
        answers={"q": "my name is"},
        expires_at=timezone.now() - timedelta(1),
    )
    live = ResponseDraft.objects.create(
        survey=survey, token_digest="b" * 64, answers={}, expires_at=timezone.now() + timedelta(days=1)
    )
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    for name in ("retention", "drafts", "sessions", "vault"):
        assert f"Queued {name}" in out.getvalue()
    if settings.HEARD_TASK_BACKEND != "immediate":
        call_command("worker", "--burst")
    assert list(FeedbackItem.objects.values_list("id", flat=True)) == [kept.pk]
    assert list(ResponseDraft.objects.values_list("id", flat=True)) == [live.pk]
