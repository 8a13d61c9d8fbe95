"""Domain events: how work travels against the arrows between apps (ARCHITECTURE.md).

A service calls ``event_publish`` inside its transaction; subscribers run only after it commits, so they never
see work that was rolled back. Subscribers register in their ``AppConfig.ready()`` and should do no more than
enqueue a task of their own (after, at most, one cheap look at whether there is work for it). A subscriber that
fails is logged; the publisher's work has committed, and neither it nor the other subscribers are undone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction

Handler = Callable[..., None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)


def event_subscribe(name: str, handler: Handler) -> None:
    if handler not in _subscribers[name]:
        _subscribers[name].append(handler)


def event_publish(name: str, **payload: Any) -> None:
    # Robust: the publisher's work has committed by the time a subscriber runs, so a subscriber that fails (a task
    # queue out of reach, say) is logged, and neither the person who sent the feedback nor the other subscribers
    # are told that their work failed.
    for handler in list(_subscribers[name]):
        transaction.on_commit(_deliver(handler, payload), robust=True)


def _deliver(handler: Handler, payload: dict[str, Any]) -> Callable[[], None]:
    # Named after the handler (Django's log of a failed callback names it).
    @wraps(handler)
    def deliver() -> None:
        handler(**payload)

    return deliver
