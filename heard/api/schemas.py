"""The intake API's request and response shapes: the contract published at /api/v1/openapi.json."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from heard.listening.models import Channel
from heard.privacy.models import VaultPurpose

MAX_TEXT = 20_000
MAX_BATCH = 500


class ContactIn(Schema):
    """Contact details the person chose to give. Kept encrypted in the vault, apart from the feedback."""

    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=500)
    postcode: str = Field("", max_length=10)
    purpose: VaultPurpose = Field(VaultPurpose.HEAR_BACK, description="Why the person gave them.")


class FeedbackIn(Schema):
    text: str = Field(
        "", max_length=MAX_TEXT, description="What the person said. Identifiers are removed on arrival."
    )
    channel: Channel = Field(description="How the person gave the feedback.")
    service: str = Field("", max_length=200, description="The service, ward, team or practice it is about.")
    question: str = Field(
        "",
        max_length=500,
        description="The question the comment answers, such as 'What could we do better?'.",
    )
    received_at: datetime | None = Field(
        None,
        description="When it was given (ISO 8601; without a zone, UK time). Defaults to now. Not in the future, "
        "nor before 1990.",
    )
    fft_answer: str = Field(
        "",
        max_length=40,
        description="The Friends and Family Test answer: a label such as 'Very good', or its code 1–6.",
    )
    external_id: str = Field(
        "",
        max_length=200,
        description="Your system's reference. A repeat with the same reference is not stored twice.",
    )
    project: str = Field("", max_length=80, description="The slug of the engagement project it belongs to.")
    contact: ContactIn | None = Field(None, description="Only when the person asked to be contacted.")


class FeedbackBatchIn(Schema):
    items: list[FeedbackIn] = Field(min_length=1, max_length=MAX_BATCH)


class FeedbackOut(Schema):
    id: int
    status: str = Field(description="'created', or 'repeat' when the same feedback had already arrived.")


class FeedbackBatchOut(Schema):
    created: int
    repeated: int
    ids: list[int] = Field(description="Ids of the items created by this request, in the order sent.")


class ProblemOut(Schema):
    detail: str
    errors: list[dict[str, str]] = []
