"""Feedback into the one store: from a survey, a keyed-in paper form, an import or the API.

Every route comes through ``feedback_receive`` or ``feedback_receive_many``, so that every item is redacted at
the door, knows its source and channel, and is recognised when it arrives twice.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from django.db import IntegrityError, transaction
from django.utils import timezone

from heard.core.audit import audit_record
from heard.core.events import event_publish
from heard.core.models import Organisation, User
from heard.listening.models import FeedbackItem, FeedbackSource, ImportBatch
from heard.listening.redaction import text_depersonalise
from heard.privacy.models import VaultPurpose
from heard.privacy.vault import ContactDetails, vault_store
from heard.projects.models import Activity, Project

BULK_CHUNK = 2000
# Feedback dated before this year, or more than a day ahead, is a mistake in the date, not feedback.
EARLIEST_YEAR = 1990
LATEST_AHEAD = timedelta(days=1)


def received_at_problem(at: datetime, now: datetime) -> str:
    """What is wrong with a date feedback says it was given ("is in the future"), or "" if nothing: one rule for
    the importer and the API, so a stray date cannot stretch every dashboard's months."""
    if at > now + LATEST_AHEAD:
        return "is in the future"
    if at.year < EARLIEST_YEAR:
        return f"is before {EARLIEST_YEAR}"
    return ""


@dataclass
class IncomingFeedback:
    """One piece of feedback as it arrives, before redaction. Validated at the edge (forms, importer, API)."""

    channel: str
    text: str = ""
    service: str = ""
    received_at: datetime | None = None
    fft_answer: str = ""
    external_id: str = ""
    # The question the comment answers, where there is one (FeedbackItem.question), and whether it is one of the
    # organisation's own survey questions (kept as written) rather than a column of someone else's file.
    question: str = ""
    question_is_ours: bool = False
    project: Project | None = None
    activity: Activity | None = None
    # Content-based recognition of repeats suits files and API batches; a survey response is always new.
    recognise_repeats: bool = True
    # Contact details the person chose to give: kept only in the vault, never on the item.
    contact: ContactDetails | None = None
    contact_purpose: str = VaultPurpose.HEAR_BACK
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReceiveSummary:
    created: int
    repeated: int
    item_ids: list[int]


def _fingerprint(
    source: FeedbackSource, incoming: IncomingFeedback, redacted_text: str, service: str, question: str = ""
) -> str:
    if not incoming.recognise_repeats:
        return secrets.token_hex(32)
    if incoming.external_id:
        basis = f"{source.pk}\x1fid\x1f{incoming.external_id}"
    else:
        # Built from the redacted text, so that the digest carries nothing the store itself does not.
        basis = "\x1f".join(
            [
                str(source.pk),
                # When it was given, as the source says; never the time it happened to arrive, or a retry
                # without a date would not be recognised.
                incoming.received_at.isoformat() if incoming.received_at else "",
                service,
                incoming.fft_answer,
                redacted_text,
                incoming.channel,
                # Only where there is one, so that the digests of items without a question never change; the
                # stored (depersonalised) wording, like the text and service.
                *([question] if question else []),
            ]
        )
    return hashlib.sha256(basis.encode()).hexdigest()


@functools.lru_cache(maxsize=256)
def _question_depersonalised(question: str) -> tuple[str, dict[str, int]]:
    return text_depersonalise(question) if question else ("", {})


def _build(
    *,
    organisation: Organisation,
    source: FeedbackSource,
    incoming: IncomingFeedback,
    batch: ImportBatch | None,
) -> FeedbackItem:
    text, removed = text_depersonalise(incoming.text)
    # The service is free text from other systems too: a ward name survives, a person's name does not. Cut to
    # length after redaction, which can lengthen it ("Al" becomes "[NAME]").
    service, service_removed = text_depersonalise(incoming.service)
    service = service[:200]
    for kind, count in service_removed.items():
        removed[kind] = removed.get(kind, 0) + count
    # A question from another system's file is depersonalised like the service, once per wording (it repeats on
    # every row); one of the organisation's own survey questions is its staff's wording, kept as written.
    question = incoming.question.strip()
    if question and not incoming.question_is_ours:
        question, question_removed = _question_depersonalised(question)
        for kind, count in question_removed.items():
            removed[kind] = removed.get(kind, 0) + count
    question = question[:500]
    at = incoming.received_at or timezone.now()
    return FeedbackItem(
        organisation=organisation,
        source=source,
        channel=incoming.channel,
        project=incoming.project,
        activity=incoming.activity,
        service=service,
        received_at=at,
        text=text,
        fft_answer=incoming.fft_answer,
        question=question,
        redactions=removed,
        external_id=incoming.external_id[:200],
        fingerprint=_fingerprint(source, incoming, text, service, question),
        import_batch=batch,
    )


def _keep_contact(item: FeedbackItem, incoming: IncomingFeedback, source: FeedbackSource) -> None:
    if incoming.contact is not None and not incoming.contact.is_empty():
        item.respondent_pseudonym = vault_store(
            organisation=item.organisation,
            details=incoming.contact,
            purpose=incoming.contact_purpose,
            retain_days=source.retention_days,
        )


@dataclass(frozen=True)
class PreparedFeedback:
    """An item redacted and ready to store: the slow part of intake, done before any transaction opens."""

    organisation: Organisation
    source: FeedbackSource
    incoming: IncomingFeedback
    item: FeedbackItem


def feedback_prepare(
    *, organisation: Organisation, source: FeedbackSource, incoming: IncomingFeedback
) -> PreparedFeedback:
    """Redacts and builds the item without touching the database, so that no lock is held while it runs."""
    item = _build(organisation=organisation, source=source, incoming=incoming, batch=None)
    return PreparedFeedback(organisation=organisation, source=source, incoming=incoming, item=item)


def feedback_receive(
    *, actor: User | None, organisation: Organisation, source: FeedbackSource, incoming: IncomingFeedback
) -> tuple[FeedbackItem, bool]:
    """Stores one item; returns it and whether it is new (False: the same item had already arrived)."""
    prepared = feedback_prepare(organisation=organisation, source=source, incoming=incoming)
    return feedback_store(actor=actor, prepared=prepared)


# No savepoint of its own when called inside a transaction (the API's idempotency record wraps it): the inner
# savepoint around the insert is the only one a repeat needs.
@transaction.atomic(savepoint=False)
def feedback_store(*, actor: User | None, prepared: PreparedFeedback) -> tuple[FeedbackItem, bool]:
    """Stores a prepared item; returns it and whether it is new. Each prepared item is stored at most once."""
    organisation, source, incoming = prepared.organisation, prepared.source, prepared.incoming
    # A copy, so that a transaction rolled back and tried again starts from the unsaved item.
    item = copy.copy(prepared.item)
    item._state = copy.copy(prepared.item._state)
    item._state.fields_cache = dict(prepared.item._state.fields_cache)
    # Insert first and let the unique fingerprint recognise a repeat: one statement for the usual case, where a
    # look first would cost a query every time. The savepoint undoes a refused insert (and its vault entry).
    try:
        with transaction.atomic():
            _keep_contact(item, incoming, source)
            item.save()
    except IntegrityError:
        return FeedbackItem.objects.get(organisation=organisation, fingerprint=item.fingerprint), False
    audit_record(
        actor=actor,
        action="feedback.received",
        organisation=organisation,
        target=item,
        detail={"channel": item.channel, "source": source.name, "redacted": item.redactions},
    )
    event_publish("feedback.received", organisation_id=organisation.pk, item_ids=[item.pk])
    return item, True


def _chunks(items: Iterable[IncomingFeedback], size: int) -> Iterator[list[IncomingFeedback]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@transaction.atomic
def feedback_receive_many(
    *,
    actor: User | None,
    organisation: Organisation,
    source: FeedbackSource,
    incoming: Iterable[IncomingFeedback],
    batch: ImportBatch | None = None,
) -> ReceiveSummary:
    """Stores many items in one transaction: all of them, or none if anything fails.

    Repeats (already stored, or twice in this lot) are counted and skipped, never stored twice.
    """
    created_ids: list[int] = []
    repeated = 0
    seen: set[str] = set()
    for chunk in _chunks(incoming, BULK_CHUNK):
        built = [_build(organisation=organisation, source=source, incoming=one, batch=batch) for one in chunk]
        fingerprints = [item.fingerprint for item in built]
        stored = set(
            FeedbackItem.objects.filter(organisation=organisation, fingerprint__in=fingerprints).values_list(
                "fingerprint", flat=True
            )
        )
        fresh = []
        for item, one in zip(built, chunk, strict=True):
            if item.fingerprint in stored or item.fingerprint in seen:
                repeated += 1
                continue
            seen.add(item.fingerprint)
            _keep_contact(item, one, source)
            fresh.append(item)
        FeedbackItem.objects.bulk_create(fresh, batch_size=BULK_CHUNK)
        if fresh and fresh[0].pk is None:
            # Backends that do not return ids from a bulk insert: read them back by fingerprint.
            ids = dict(
                FeedbackItem.objects.filter(
                    organisation=organisation, fingerprint__in=[item.fingerprint for item in fresh]
                ).values_list("fingerprint", "id")
            )
            created_ids.extend(ids[item.fingerprint] for item in fresh)
        else:
            created_ids.extend(item.pk for item in fresh)
    audit_record(
        actor=actor,
        action="feedback.received_many",
        organisation=organisation,
        target=batch,
        detail={"source": source.name, "created": len(created_ids), "repeated": repeated},
    )
    if created_ids:
        event_publish("feedback.received", organisation_id=organisation.pk, item_ids=created_ids)
    return ReceiveSummary(created=len(created_ids), repeated=repeated, item_ids=created_ids)
