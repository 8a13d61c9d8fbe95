"""Panels on one app's page, contributed by the apps that read from it.

A project's page shows its decisions; a comment's page shows the decisions it fed. The project and listening apps
cannot import acting (ARCHITECTURE.md: arrows point one way), so acting registers its panels here in
``AppConfig.ready()`` and the owning page shows those the member's role may see, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from heard.core.access import may


@dataclass(frozen=True)
class PagePanel:
    page: str
    key: str
    template: str
    permission: str
    order: int
    # Given the page's object (a project, a feedback item), what the panel's template needs.
    context: Callable[[Any], dict[str, Any]]


_panels: dict[tuple[str, str], PagePanel] = {}


def page_panel_register(panel: PagePanel) -> None:
    _panels[(panel.page, panel.key)] = panel


def page_panels_for(request: HttpRequest, page: str, subject: Any) -> list[dict[str, Any]]:
    """Each panel the member may see on ``page``, as its template and its context, ready to include."""
    return [
        {"template": panel.template, **panel.context(subject)}
        for panel in sorted(_panels.values(), key=lambda panel: panel.order)
        if panel.page == page and may(request, panel.permission)
    ]
