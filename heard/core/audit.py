"""The one way to write to the audit log. Services call it inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from heard.core import context
from heard.core.models import AuditEntry, Organisation, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    organisation: Organisation | None = None,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    identifiable: bool = False,
    reason: str = "",
) -> AuditEntry:
    """Add one entry. ``identifiable=True`` marks a view of identifiable data, which must give a reason."""
    if identifiable and not reason.strip():
        raise ValueError("A view of identifiable data must record why.")
    where = context.current()
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.username if actor is not None and actor.pk else "system",
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        detail=detail or {},
        identifiable=identifiable,
        reason=reason,
        ip_address=where.ip_address,
        user_agent=where.user_agent[:300],
        channel=where.channel,
    )
