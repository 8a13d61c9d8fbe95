"""Domain events: how work travels against the arrows between apps (ARCHITECTURE.md).

A service calls ``event_publish`` inside its transaction; subscribers run only after it commits, so they never
see work that was rolled back. Subscribers register in their ``AppConfig.ready()`` and should do no more than
enqueue a task of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

Handler = Callable[..., None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)


def event_subscribe(name: str, handler: Handler) -> None:
    if handler not in _subscribers[name]:
        _subscribers[name].append(handler)


def event_publish(name: str, **payload: Any) -> None:
    for handler in list(_subscribers[name]):
        transaction.on_commit(partial(handler, **payload))
