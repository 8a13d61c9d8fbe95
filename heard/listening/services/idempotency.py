"""Idempotency keys for the intake API: a retried request gets the first answer again, and changes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from heard.core.models import Organisation
from heard.listening.models import IdempotencyRecord

MAX_KEY = 200


class IdempotencyConflict(Exception):
    """The key was used before with a different request."""


def request_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def idempotent(
    *, organisation: Organisation, key: str, body: bytes, act: Callable[[], tuple[int, dict[str, Any]]]
) -> tuple[int, dict[str, Any]]:
    """Runs ``act`` once per key; later calls with the same key and body replay its answer.

    ``act`` and the record of its answer commit together, so a request that fails leaves the key unused.
    """
    digest = request_digest(body)
    for _ in range(2):
        # Optimistic: most keys are new, so do the work and record the answer; if the key was already recorded
        # (a retry, or the same request arriving twice at once) the unique constraint refuses it, everything
        # done here rolls back, and the recorded answer is replayed instead.
        try:
            with transaction.atomic():
                status, payload = act()
                IdempotencyRecord.objects.create(
                    organisation=organisation,
                    key=key,
                    request_digest=digest,
                    status_code=status,
                    body=json.loads(json.dumps(payload, default=str)),
                )
                return status, payload
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(organisation=organisation, key=key).first()
            if existing is None:
                continue  # the conflict was in the work itself (a race on the same feedback): try once more
            if existing.request_digest != digest:
                raise IdempotencyConflict from None
            return existing.status_code, existing.body
    raise IdempotencyConflict
