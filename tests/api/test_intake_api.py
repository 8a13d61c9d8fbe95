"""The intake API: organisation tokens, redaction at the door, idempotency keys and clear errors."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from heard.listening.models import ApiToken, FeedbackItem
from heard.listening.services.tokens import api_token_create, api_token_revoke
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(leeds):
    return api_token_create(actor=None, organisation=leeds, name="PALS system")


def post(path: str, body: object, token: str | None, **headers: str):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().post(path, data=json.dumps(body), content_type="application/json", **extra)


def test_feedback_sent_with_a_token_is_stored_redacted_under_the_tokens_source(token, leeds):
    response = post(
        "/api/v1/feedback",
        {"text": "Email me at sam.jones@example.com, the ward 23 team were great", "channel": "email"},
        token.token,
    )
    assert response.status_code == 201
    item = FeedbackItem.objects.get(pk=response.json()["id"])
    assert item.organisation == leeds
    assert item.source == token.record.source
    assert "sam.jones@example.com" not in item.text and "ward 23 team" in item.text


def test_without_a_live_token_nothing_is_stored(token):
    assert post("/api/v1/feedback", {"text": "hi", "channel": "online"}, None).status_code == 401
    assert post("/api/v1/feedback", {"text": "hi", "channel": "online"}, "heard_wrong").status_code == 401
    api_token_revoke(actor=None, token=token.record)
    assert post("/api/v1/feedback", {"text": "hi", "channel": "online"}, token.token).status_code == 401
    assert FeedbackItem.objects.count() == 0


def test_a_retried_request_with_the_same_key_is_stored_once(token):
    body = {"text": "Kind receptionist", "channel": "online"}
    first = post("/api/v1/feedback", body, token.token, **{"Idempotency-Key": "abc-1"})
    again = post("/api/v1/feedback", body, token.token, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert FeedbackItem.objects.count() == 1
    different = post(
        "/api/v1/feedback",
        {"text": "Other", "channel": "online"},
        token.token,
        **{"Idempotency-Key": "abc-1"},
    )
    assert different.status_code == 409


def test_bad_requests_name_the_field_and_store_nothing(token, wakefield):
    other_project = ProjectFactory(organisation=wakefield, slug="theirs")
    response = post(
        "/api/v1/feedback/batch",
        {
            "items": [
                {"text": "Fine", "channel": "online"},
                {"text": "Fine too", "channel": "carrier pigeon"},
                {"text": "x", "channel": "online", "fft_answer": "Brilliant"},
                {"text": "y", "channel": "online", "project": other_project.slug},
            ]
        },
        token.token,
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert "items.1.channel" in fields
    assert FeedbackItem.objects.count() == 0
    second = post(
        "/api/v1/feedback/batch",
        {
            "items": [
                {"text": "x", "channel": "online", "fft_answer": "Brilliant"},
                {"text": "y", "channel": "online", "project": "theirs"},
            ]
        },
        token.token,
    )
    assert {error["field"] for error in second.json()["errors"]} == {"items.0.fft_answer", "items.1.project"}
    assert FeedbackItem.objects.count() == 0
    # Dates as an import checks them: not in the future, not before 1990 (they would stretch every dashboard).
    dated = post(
        "/api/v1/feedback/batch",
        {
            "items": [
                {"text": "a", "channel": "online", "received_at": "2999-01-01T10:00:00Z"},
                {"text": "b", "channel": "online", "received_at": "1975-06-01T10:00:00+01:00"},
                {"text": "c", "channel": "online", "received_at": "2026-03-01T10:00:00"},
            ]
        },
        token.token,
    )
    assert dated.status_code == 422
    assert [(error["field"], error["message"]) for error in dated.json()["errors"]] == [
        ("items.0.received_at", "is in the future"),
        ("items.1.received_at", "is before 1990"),
    ]
    assert FeedbackItem.objects.count() == 0
    local = post(
        "/api/v1/feedback",
        {"text": "c", "channel": "online", "received_at": "2026-07-01T10:00:00"},
        token.token,
    )
    assert local.status_code == 201
    stored = FeedbackItem.objects.get()
    assert timezone.localtime(stored.received_at).hour == 10  # a time without a zone is local time


def test_a_batch_is_stored_whole_and_repeats_are_counted(token):
    items = [{"text": f"Comment {n}", "channel": "sms", "external_id": f"sms-{n}"} for n in range(3)]
    first = post("/api/v1/feedback/batch", {"items": items}, token.token)
    assert first.status_code == 201
    assert first.json()["created"] == 3
    second = post("/api/v1/feedback/batch", {"items": items}, token.token)
    assert second.json() == {"created": 0, "repeated": 3, "ids": []}


def test_the_openapi_schema_documents_the_intake(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/feedback" in schema["paths"]
    assert "/api/v1/feedback/batch" in schema["paths"]


def test_tokens_are_created_and_revoked_from_the_command_line(leeds, capsys):
    call_command("api-token", "create", "--organisation", leeds.slug, "--name", "Kiosk")
    token = capsys.readouterr().out.strip()
    assert token.startswith("heard_")
    assert post("/api/v1/feedback", {"text": "Good", "channel": "kiosk"}, token).status_code == 201
    record = ApiToken.objects.get(name="Kiosk")
    assert token not in (record.digest, record.prefix)  # only a digest is kept
    call_command("api-token", "revoke", "--organisation", leeds.slug, record.prefix)
    assert post("/api/v1/feedback", {"text": "Good", "channel": "kiosk"}, token).status_code == 401


def test_a_key_revoked_by_another_process_stops_working_within_seconds(token, monkeypatch):
    from django.utils import timezone

    from heard.listening.services import tokens

    assert post("/api/v1/feedback", {"text": "one", "channel": "online"}, token.token).status_code == 201
    ApiToken.objects.filter(pk=token.record.pk).update(
        revoked_at=timezone.now()
    )  # as another web process would
    clock = tokens.time.monotonic() + tokens.KEY_MEMORY_SECONDS + 0.1
    monkeypatch.setattr(tokens.time, "monotonic", lambda: clock)
    assert post("/api/v1/feedback", {"text": "two", "channel": "online"}, token.token).status_code == 401


def test_the_question_a_comment_answers_is_kept_with_identifiers_removed(token):
    response = post(
        "/api/v1/feedback",
        {"text": "Nothing", "channel": "sms", "question": "What could Dr Amelia Hartley do better?"},
        token.token,
    )
    assert response.status_code == 201
    item = FeedbackItem.objects.get(pk=response.json()["id"])
    assert item.question.startswith("What could") and "Hartley" not in item.question
    too_long = post("/api/v1/feedback", {"text": "Hi", "channel": "sms", "question": "x" * 501}, token.token)
    assert too_long.status_code == 422 and "question" in too_long.content.decode()
