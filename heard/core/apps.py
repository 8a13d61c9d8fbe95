from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "heard.core"
    label = "core"
    verbose_name = "Heard core"

    def ready(self) -> None:
        from heard.core.housekeeping import HousekeepingJob, housekeeping_register
        from heard.core.tasks import purge_expired_sessions

        housekeeping_register(
            HousekeepingJob("sessions", "remove expired sign-in sessions", purge_expired_sessions.enqueue)
        )
