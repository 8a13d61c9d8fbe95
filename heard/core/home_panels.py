"""Panels on the staff home, contributed by the apps that own their data.

Core cannot import the apps that read from it (ARCHITECTURE.md), so each app registers its panel in its
``AppConfig.ready()``, and the home page shows the panels the member's role may see, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from heard.core.models import Organisation


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    permission: str
    order: int
    context: Callable[[Organisation], dict[str, Any]]


_panels: dict[str, HomePanel] = {}


def home_panel_register(panel: HomePanel) -> None:
    _panels[panel.key] = panel


def home_panels() -> list[HomePanel]:
    return sorted(_panels.values(), key=lambda panel: panel.order)
