"""Keys for connected systems to send feedback through the intake API."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from heard.core.audit import audit_record
from heard.core.models import Organisation, User
from heard.listening.models import ApiToken, FeedbackSource, SourceKind
from heard.listening.services.sources import source_for

TOKEN_PREFIX = "heard_"  # noqa: S105 - the visible start of every token, not a secret


def token_digest(token: str) -> str:
    # The token is 32 random bytes, so a plain SHA-256 is enough: there is nothing to guess by enumeration.
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    record: ApiToken
    token: str  # shown once, never stored


@transaction.atomic
def api_token_create(
    *, actor: User | None, organisation: Organisation, name: str, source: FeedbackSource | None = None
) -> IssuedToken:
    """A new key. Feedback sent with it is filed under ``source`` (by default, one named after the key)."""
    source = source or source_for(organisation=organisation, name=f"API: {name}", kind=SourceKind.API)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=token[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(token),
        source=source,
        created_by=actor,
    )
    audit_record(actor=actor, action="api_token.created", organisation=organisation, target=record)
    return IssuedToken(record=record, token=token)


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    _forget(token.digest)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoked", organisation=token.organisation, target=token)
    return token


# A connected system sends many requests a second; each web process remembers a live key for a few seconds rather
# than read it every time. A revoked key therefore stops working within this many seconds everywhere (at once in
# the process that revoked it). docs/adr/0014-intake-api.md.
KEY_MEMORY_SECONDS = 5.0
_remembered: dict[str, tuple[ApiToken, float]] = {}


def _forget(digest: str) -> None:
    _remembered.pop(digest, None)


def api_token_authenticate(*, token: str) -> ApiToken | None:
    """The live key this token is, or None. Marks when it was last used (at most once a minute)."""
    digest = token_digest(token)
    remembered = _remembered.get(digest)
    if remembered is not None and time.monotonic() < remembered[1]:
        return remembered[0]
    record = (
        ApiToken.objects.select_related("organisation", "source")
        .filter(digest=digest, revoked_at__isnull=True)
        .first()
    )
    if record is None:
        _forget(digest)
        return None
    now = timezone.now()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    _remembered[digest] = (record, time.monotonic() + KEY_MEMORY_SECONDS)
    return record
