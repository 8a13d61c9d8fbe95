from django.apps import AppConfig


class ActingConfig(AppConfig):
    name = "heard.acting"
    label = "acting"
    verbose_name = "Acting: decisions, commitments and what we published"

    def ready(self) -> None:
        from heard.acting import selectors
        from heard.acting.tasks import send_commitment_reminders
        from heard.core.home_panels import HomePanel, home_panel_register
        from heard.core.housekeeping import HousekeepingJob, housekeeping_register
        from heard.core.page_panels import PagePanel, page_panel_register

        page_panel_register(
            PagePanel(
                page="project",
                key="decisions",
                template="acting/project_panel.jinja",
                permission="acting.view_decisions",
                order=30,
                context=selectors.project_panel,
            )
        )
        page_panel_register(
            PagePanel(
                page="feedback_item",
                key="decisions",
                template="acting/comment_panel.jinja",
                permission="acting.view_decisions",
                order=10,
                context=selectors.comment_panel,
            )
        )
        home_panel_register(
            HomePanel(
                key="commitments",
                template="acting/home_panel.jinja",
                permission="acting.view_decisions",
                order=15,
                context=selectors.home_panel,
            )
        )
        housekeeping_register(
            HousekeepingJob(
                "reminders",
                "remind people of commitments due in two weeks, in three days, and overdue",
                send_commitment_reminders.enqueue,
            )
        )
