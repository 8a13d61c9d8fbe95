from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "heard.listening"
    label = "listening"
    verbose_name = "Listening: surveys and feedback"

    def ready(self) -> None:
        from heard.core.housekeeping import HousekeepingJob, housekeeping_register
        from heard.core.navigation import NavigationItem, navigation_register
        from heard.listening.upkeep_tasks import apply_retention, purge_expired_drafts

        housekeeping_register(
            HousekeepingJob(
                "retention", "delete feedback past its source's retention period", apply_retention.enqueue
            )
        )
        housekeeping_register(
            HousekeepingJob(
                "drafts", "delete survey answers saved and never sent", purge_expired_drafts.enqueue
            )
        )

        navigation_register(
            NavigationItem("Feedback", "listening:feedback_list", "listening.view_feedback", order=20)
        )
        navigation_register(
            NavigationItem("Surveys", "listening:survey_list", "listening.view_surveys", order=15)
        )
        navigation_register(
            NavigationItem("Imports", "listening:imports", "listening.import_feedback", order=24)
        )
        # Sources are reached from the Feedback and Imports pages: the header has room for ten items before the
        # NHS.UK frontend folds the rest into "More".
        navigation_register(
            NavigationItem("API keys", "listening:api_tokens", "listening.manage_api_tokens", order=85)
        )
