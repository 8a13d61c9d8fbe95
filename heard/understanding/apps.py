from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _feedback_received(*, organisation_id: int, item_ids: list[int], **_: Any) -> None:
    """New comments are coded with the latest models as they arrive, not at the next training."""
    from heard.understanding.tasks import theme_suggestions_for_new

    if item_ids:
        theme_suggestions_for_new.enqueue(organisation_id, min(item_ids))


class UnderstandingConfig(AppConfig):
    name = "heard.understanding"
    label = "understanding"
    verbose_name = "Understanding: themes, sentiment and coding"

    def ready(self) -> None:
        from heard.core.events import event_subscribe
        from heard.core.navigation import NavigationItem, navigation_register

        event_subscribe("feedback.received", _feedback_received)
        navigation_register(
            NavigationItem("Themes", "understanding:codebooks", "understanding.view_themes", order=30)
        )
        navigation_register(
            NavigationItem(
                "Who answered", "understanding:representation", "understanding.view_themes", order=32
            )
        )
