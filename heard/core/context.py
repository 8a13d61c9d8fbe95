"""Where the current action comes from (web address, browser, command line), for the audit log.

Middleware sets it for each request; commands and tasks set their own. Services read it through
``current()`` so that they need not be handed the request.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionContext:
    channel: str  # "web", "api", "command line", "task"
    ip_address: str | None = None
    user_agent: str = ""


_COMMAND_LINE = ActionContext(channel="command line")
_current: contextvars.ContextVar[ActionContext] = contextvars.ContextVar(
    "heard_action_context", default=_COMMAND_LINE
)


def current() -> ActionContext:
    return _current.get()


@contextmanager
def acting_from(context: ActionContext) -> Iterator[ActionContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
