"""Domain events: how work travels against the arrows between apps (ARCHITECTURE.md).

A service calls ``event_publish`` inside its transaction; subscribers run only after it commits, so they never
see work that was rolled back. Subscribers register in their ``AppConfig.ready()`` and should do no more than
enqueue a task of their own (after, at most, one cheap look at whether there is work for it). A subscriber that
fails is logged (unless it asked to fail loudly); the publisher's work has committed, and is not undone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction

Handler = Callable[..., None]
_subscribers: dict[str, list[tuple[Handler, bool]]] = defaultdict(list)


def event_subscribe(name: str, handler: Handler, *, robust: bool = True) -> None:
    """``robust``: a failure is logged, not raised. The publisher's work has committed by the time a subscriber
    runs, so a subscriber that fails (a task queue out of reach, say) should not tell the person whose feedback
    was stored that it failed. A subscriber whose work nothing else would redo, and that must not fail quietly,
    subscribes with ``robust=False``: its failure reaches the publisher's caller, as an error."""
    if all(handler is not known for known, _ in _subscribers[name]):
        _subscribers[name].append((handler, robust))


def event_publish(name: str, **payload: Any) -> None:
    for handler, robust in list(_subscribers[name]):
        transaction.on_commit(_deliver(handler, payload), robust=robust)


def _deliver(handler: Handler, payload: dict[str, Any]) -> Callable[[], None]:
    # Named after the handler (Django's log of a failed callback names it).
    @wraps(handler)
    def deliver() -> None:
        handler(**payload)

    return deliver
