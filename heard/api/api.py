"""The REST API, version 1: the intake of feedback from connected systems.

Every endpoint calls the same services as the web pages, so that an item sent here is redacted, filed and
audited exactly as one typed in by staff.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Status
from ninja.errors import ValidationError as NinjaValidationError

from heard.api.auth import OrganisationToken
from heard.api.schemas import FeedbackBatchIn, FeedbackBatchOut, FeedbackIn, FeedbackOut, ProblemOut
from heard.listening.fft import fft_answer_parse
from heard.listening.models import ApiToken
from heard.listening.services.idempotency import MAX_KEY, IdempotencyConflict, idempotent
from heard.listening.services.intake import (
    IncomingFeedback,
    feedback_prepare,
    feedback_receive_many,
    feedback_store,
    received_at_problem,
)
from heard.privacy.models import VaultPurpose
from heard.privacy.vault import ContactDetails
from heard.projects.models import Project
from heard.projects.selectors import project_in

api = NinjaAPI(
    title="Heard intake API",
    version="1",
    description=(
        "Send patient and public feedback into Heard from another system. Authenticate with an organisation's "
        "token (`Authorization: Bearer heard_…`). Send an `Idempotency-Key` header so that a retried request "
        "is never stored twice. Identifiers in free text are removed on arrival."
    ),
    urls_namespace="api",
    auth=OrganisationToken(),
    docs_url=None,
)


class BadFeedback(Exception):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("bad feedback")
        self.errors = errors


@api.exception_handler(NinjaValidationError)
def validation_failed(request: HttpRequest, failure: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "payload")),
            "message": str(error.get("msg", "is not valid")),
        }
        for error in failure.errors
    ]
    return api.create_response(request, {"detail": "The request has problems.", "errors": errors}, status=422)


@api.exception_handler(BadFeedback)
def bad_feedback(request: HttpRequest, failure: BadFeedback) -> HttpResponse:
    return api.create_response(
        request, {"detail": "The request has problems.", "errors": failure.errors}, status=422
    )


@api.exception_handler(IdempotencyConflict)
def key_reused(request: HttpRequest, failure: IdempotencyConflict) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "This Idempotency-Key was already used for a different request.", "errors": []},
        status=409,
    )


def _incoming(token: ApiToken, payload: FeedbackIn, where: str) -> IncomingFeedback:
    errors: list[dict[str, str]] = []
    fft_answer = ""
    if payload.fft_answer:
        fft_answer = fft_answer_parse(payload.fft_answer) or ""
        if not fft_answer:
            errors.append(
                {"field": f"{where}fft_answer", "message": "is not a Friends and Family Test answer"}
            )
    project = None
    if payload.project:
        try:
            project = project_in(organisation=token.organisation, slug=payload.project)
        except Project.DoesNotExist:
            project = None
        if project is None:
            errors.append({"field": f"{where}project", "message": "is not a project of this organisation"})
    if not payload.text.strip() and not fft_answer:
        errors.append({"field": f"{where}text", "message": "is empty, and there is no FFT answer either"})
    received_at = payload.received_at
    if received_at is not None:
        # As an import does: a time without a zone is the organisation's local time, and a date in the future or
        # before 1990 is a mistake that would stretch every dashboard's months.
        if timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
        if wrong := received_at_problem(received_at, timezone.now()):
            errors.append({"field": f"{where}received_at", "message": wrong})
    if errors:
        raise BadFeedback(errors)
    return IncomingFeedback(
        channel=payload.channel,
        text=payload.text,
        service=payload.service,
        question=payload.question,
        received_at=received_at,
        fft_answer=fft_answer,
        external_id=payload.external_id,
        project=project,
        contact=ContactDetails(**payload.contact.dict(exclude={"purpose"})) if payload.contact else None,
        contact_purpose=payload.contact.purpose if payload.contact else VaultPurpose.HEAR_BACK,
    )


def _with_key(request: HttpRequest, act: Callable[[], tuple[int, dict[str, Any]]]) -> Status[dict[str, Any]]:
    """Runs ``act``, once per Idempotency-Key when the request carries one."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return Status(*act())
    if len(key) > MAX_KEY:
        raise BadFeedback([{"field": "Idempotency-Key", "message": f"is longer than {MAX_KEY} characters"}])
    return Status(*idempotent(organisation=token.organisation, key=key, body=request.body, act=act))


@api.post(
    "/feedback",
    response={201: FeedbackOut, 200: FeedbackOut, 401: ProblemOut, 409: ProblemOut, 422: ProblemOut},
    summary="Send one piece of feedback",
)
def feedback_create(request: HttpRequest, payload: FeedbackIn) -> Status[dict[str, Any]]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    # Checked and redacted before the transaction opens: on SQLite that transaction holds the one write lock.
    prepared = feedback_prepare(
        organisation=token.organisation, source=token.source, incoming=_incoming(token, payload, "")
    )

    def act() -> tuple[int, dict[str, Any]]:
        item, created = feedback_store(actor=None, prepared=prepared)
        return (201 if created else 200), {"id": item.pk, "status": "created" if created else "repeat"}

    return _with_key(request, act)


@api.post(
    "/feedback/batch",
    response={201: FeedbackBatchOut, 401: ProblemOut, 409: ProblemOut, 422: ProblemOut},
    summary="Send up to 500 pieces of feedback at once: all are stored, or none",
)
def feedback_batch(request: HttpRequest, payload: FeedbackBatchIn) -> Status[dict[str, Any]]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]

    def act() -> tuple[int, dict[str, Any]]:
        # Every item is checked before any is stored, so one bad item leaves the whole batch unstored.
        errors: list[dict[str, str]] = []
        incoming = []
        for index, one in enumerate(payload.items):
            try:
                incoming.append(_incoming(token, one, f"items.{index}."))
            except BadFeedback as bad:
                errors.extend(bad.errors)
        if errors:
            raise BadFeedback(errors)
        summary = feedback_receive_many(
            actor=None, organisation=token.organisation, source=token.source, incoming=incoming
        )
        return 201, {"created": summary.created, "repeated": summary.repeated, "ids": summary.item_ids}

    return _with_key(request, act)
