from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _feedback_deleted(*, organisation_id: int, orphaned_pseudonyms: list[str], **_: Any) -> None:
    """When feedback is deleted for good, its people's contact details go too (unless other feedback needs them)."""
    from heard.privacy.tasks import erase_contact_details

    if orphaned_pseudonyms:
        erase_contact_details.enqueue(organisation_id, orphaned_pseudonyms)


class PrivacyConfig(AppConfig):
    name = "heard.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from heard.core.events import event_subscribe
        from heard.core.housekeeping import HousekeepingJob, housekeeping_register
        from heard.privacy.tasks import erase_expired_contact_details

        # Not robust: the pseudonyms to erase are kept nowhere else, so failing to queue their erasure must be
        # loud, not a line in a log.
        event_subscribe("feedback.deleted", _feedback_deleted, robust=False)
        housekeeping_register(
            HousekeepingJob(
                "vault",
                "erase contact details past their retention date",
                erase_expired_contact_details.enqueue,
            )
        )
