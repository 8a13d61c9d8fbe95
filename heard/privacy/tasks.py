"""Background work for the vault. A task calls a service and holds no logic of its own."""

from __future__ import annotations

from django_tasks import task

from heard.privacy.vault import vault_erase, vault_erase_expired


@task()
def erase_contact_details(organisation_id: int, pseudonyms: list[str]) -> int:
    return vault_erase(organisation_id=organisation_id, pseudonyms=pseudonyms)


@task()
def erase_expired_contact_details() -> int:
    return vault_erase_expired()
