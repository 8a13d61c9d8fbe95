from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _feedback_received(*, organisation_id: int, item_ids: list[int], **_: Any) -> None:
    """New comments are coded with the latest models as they arrive, not at the next training.

    One look first (an indexed query), so that an organisation that has trained no model, as most have at first,
    does not queue a task for every comment received. The task covers the ids from the lowest to the highest of
    these: an import's chunk is one run of ids, and the task codes only what still needs it in that range.
    """
    from heard.understanding.models import ThemeModelRun, TrainingStatus
    from heard.understanding.tasks import theme_suggestions_for_new

    trained = ThemeModelRun.objects.filter(organisation_id=organisation_id, status=TrainingStatus.DONE)
    if item_ids and trained.exists():
        theme_suggestions_for_new.enqueue(organisation_id, min(item_ids), max(item_ids))


class UnderstandingConfig(AppConfig):
    name = "heard.understanding"
    label = "understanding"
    verbose_name = "Understanding: themes, sentiment and coding"

    def ready(self) -> None:
        from heard.core.events import event_subscribe
        from heard.core.navigation import NavigationItem, navigation_register
        from heard.core.page_panels import PagePanel, page_panel_register
        from heard.understanding import selectors

        event_subscribe("feedback.received", _feedback_received)
        page_panel_register(
            PagePanel(
                page="feedback_item",
                key="themes",
                template="understanding/comment_panel.jinja",
                permission="understanding.view_themes",
                order=5,
                context=selectors.comment_panel,
            )
        )
        page_panel_register(
            PagePanel(
                page="project",
                key="themes",
                template="understanding/project_panel.jinja",
                permission="understanding.view_themes",
                order=20,
                context=selectors.project_panel,
            )
        )
        navigation_register(
            NavigationItem("Themes", "understanding:codebooks", "understanding.view_themes", order=30)
        )
        navigation_register(
            NavigationItem(
                "Who answered", "understanding:representation", "understanding.view_themes", order=32
            )
        )
