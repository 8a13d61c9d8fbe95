"""Domain events reach their subscribers once the publisher's work has committed; a failing subscriber is logged,
unless it asked to fail loudly."""

from __future__ import annotations

from collections import defaultdict

import pytest

from heard.core import events

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_subscribers(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(events, "_subscribers", defaultdict(list))


def test_a_failing_subscriber_is_logged_and_the_others_still_hear(
    no_subscribers, django_capture_on_commit_callbacks, caplog
) -> None:
    heard: list[list[int]] = []

    def broken(**payload: object) -> None:
        raise ConnectionError("queue out of reach")

    events.event_subscribe("thing.happened", broken)
    events.event_subscribe("thing.happened", lambda **payload: heard.append(payload["ids"]))
    with django_capture_on_commit_callbacks(execute=True):
        events.event_publish("thing.happened", ids=[1, 2])

    assert heard == [[1, 2]]
    assert "queue out of reach" in caplog.text and "broken" in caplog.text


def test_a_subscriber_that_must_not_fail_quietly_fails_loudly(
    no_subscribers, django_capture_on_commit_callbacks
) -> None:
    def broken(**payload: object) -> None:
        raise ConnectionError("queue out of reach")

    events.event_subscribe("thing.happened", broken, robust=False)
    with pytest.raises(ConnectionError), django_capture_on_commit_callbacks(execute=True):
        events.event_publish("thing.happened", ids=[1])
