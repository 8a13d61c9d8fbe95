"""Feedback arriving in the one store: redacted at the door, filed by source and channel, never twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heard.core.models import AuditEntry
from heard.listening.models import FeedbackItem
from heard.listening.services.intake import IncomingFeedback, feedback_receive, feedback_receive_many
from tests.factories import FeedbackSourceFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def test_identifiers_are_removed_before_the_comment_is_stored(leeds):
    source = FeedbackSourceFactory(organisation=leeds, name="PALS log", kind="pals")
    incoming = IncomingFeedback(
        channel="telephone",
        text="My NHS number is 943 476 5919 and you can ring me on 07700 900123. Ward 23 was spotless.",
        received_at=WHEN,
    )
    item, created = feedback_receive(actor=None, organisation=leeds, source=source, incoming=incoming)
    assert created
    stored = FeedbackItem.objects.get(pk=item.pk)
    assert "943 476 5919" not in stored.text
    assert "07700 900123" not in stored.text
    assert "[NHS_NUMBER]" in stored.text
    assert "Ward 23 was spotless" in stored.text
    assert stored.redactions == {"NHS_NUMBER": 1, "PHONE": 1}
    assert stored.channel == "telephone"
    assert stored.source == source
    entry = AuditEntry.objects.get(action="feedback.received")
    assert "943" not in str(entry.detail)  # the audit log says what kind was removed, never the value


def test_the_same_item_twice_is_stored_once(leeds):
    source = FeedbackSourceFactory(organisation=leeds)
    incoming = IncomingFeedback(channel="online", text="Lovely staff.", received_at=WHEN, service="A&E")
    first, created = feedback_receive(actor=None, organisation=leeds, source=source, incoming=incoming)
    again, created_again = feedback_receive(actor=None, organisation=leeds, source=source, incoming=incoming)
    assert created and not created_again
    assert again.pk == first.pk
    assert FeedbackItem.objects.count() == 1


def test_a_source_reference_recognises_a_repeat_even_if_the_wording_was_corrected(leeds):
    source = FeedbackSourceFactory(organisation=leeds, kind="pals")
    feedback_receive(
        actor=None,
        organisation=leeds,
        source=source,
        incoming=IncomingFeedback(channel="email", text="Waited 3 hours", external_id="PALS-0042"),
    )
    _, created = feedback_receive(
        actor=None,
        organisation=leeds,
        source=source,
        incoming=IncomingFeedback(channel="email", text="Waited three hours", external_id="PALS-0042"),
    )
    assert not created


def test_two_people_who_answer_a_survey_alike_are_both_kept(leeds):
    source = FeedbackSourceFactory(organisation=leeds, kind="heard_survey")
    for _ in range(2):
        feedback_receive(
            actor=None,
            organisation=leeds,
            source=source,
            incoming=IncomingFeedback(
                channel="online", text="Good", received_at=WHEN, recognise_repeats=False
            ),
        )
    assert FeedbackItem.objects.count() == 2


def test_many_items_are_stored_together_skipping_repeats_within_and_across_lots(leeds):
    source = FeedbackSourceFactory(organisation=leeds)
    lot = [IncomingFeedback(channel="paper", text=f"Comment {n}", received_at=WHEN) for n in range(5)]
    lot.append(IncomingFeedback(channel="paper", text="Comment 0", received_at=WHEN))  # repeated in the lot
    first = feedback_receive_many(actor=None, organisation=leeds, source=source, incoming=lot)
    assert (first.created, first.repeated) == (5, 1)
    assert sorted(first.item_ids) == sorted(FeedbackItem.objects.values_list("id", flat=True))
    second = feedback_receive_many(actor=None, organisation=leeds, source=source, incoming=lot)
    assert (second.created, second.repeated) == (0, 6)
    assert FeedbackItem.objects.count() == 5


def test_repeats_are_recognised_only_within_an_organisation(leeds, wakefield):
    incoming = IncomingFeedback(channel="online", text="Kind nurses", received_at=WHEN, external_id="X1")
    for organisation in (leeds, wakefield):
        source = FeedbackSourceFactory(organisation=organisation, name="Same name")
        _, created = feedback_receive(actor=None, organisation=organisation, source=source, incoming=incoming)
        assert created
