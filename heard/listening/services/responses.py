"""Survey responses into the one store, from the public pages and from staff keying in paper and conversations."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from cryptography.fernet import Fernet, InvalidToken
from django.db import transaction
from django.utils import timezone

from heard.core.audit import audit_record
from heard.core.models import User
from heard.listening.models import (
    Answer,
    Channel,
    FeedbackItem,
    Question,
    QuestionKind,
    ResponseDraft,
    SourceKind,
    Survey,
)
from heard.listening.redaction import text_depersonalise
from heard.listening.services.intake import IncomingFeedback, feedback_receive
from heard.listening.services.sources import source_for
from heard.projects.models import Activity, ActivityKind

DRAFT_LIFETIME = timedelta(days=30)

AnswerValue = str | list[str] | Decimal | date | None


def _received_at(received_on: date | None) -> datetime | None:
    if received_on is None or received_on == timezone.localdate():
        return None
    # A past day with no time: midday, so that the day survives any time zone shift in reports.
    return datetime.combine(received_on, time(12), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def survey_response_receive(
    *,
    actor: User | None,
    survey: Survey,
    questions: list[Question],
    answers: dict[str, AnswerValue],
    channel: str,
    received_on: date | None = None,
) -> FeedbackItem:
    """Stores one response: a feedback item through intake (so its text is redacted) and its answers, together.

    ``answers`` are cleaned values keyed by question key, for questions the person was shown; free text is
    redacted here before it is stored.
    """
    by_key = {question.key: question for question in questions}
    open_answers = [
        (by_key[key], str(value))
        for key, value in answers.items()
        if key in by_key
        and by_key[key].kind == QuestionKind.FREE_TEXT
        and not by_key[key].is_equality_monitoring
    ]
    main_text = [value for _, value in open_answers]
    # The comment answers one question only where one open question was answered (FeedbackItem.question).
    answered = [question for question, value in open_answers if value.strip()]
    fft_answer = next(
        (str(answers[q.key]) for q in questions if q.kind == QuestionKind.FFT and answers.get(q.key)), ""
    )
    item, _ = feedback_receive(
        actor=actor,
        organisation=survey.organisation,
        source=survey.source,
        incoming=IncomingFeedback(
            channel=channel,
            text="\n\n".join(main_text),
            received_at=_received_at(received_on),
            fft_answer=fft_answer,
            question=answered[0].text if len(answered) == 1 else "",
            question_is_ours=True,
            project=survey.project,
            recognise_repeats=False,
        ),
    )
    FeedbackItem.objects.filter(pk=item.pk).update(survey=survey)
    item.survey = survey
    rows = []
    for key, value in answers.items():
        question = by_key.get(key)
        if question is None or value in (None, "", []):
            continue
        answer = Answer(item=item, question=question)
        if isinstance(value, list):
            answer.choices = [str(choice) for choice in value]
        elif isinstance(value, Decimal):
            answer.number = value
        elif isinstance(value, date):
            answer.date = value
        elif question.kind == QuestionKind.FREE_TEXT:
            answer.text, _removed = text_depersonalise(str(value))
        else:
            answer.choices = [str(value)]
        rows.append(answer)
    Answer.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="survey.response_received",
        organisation=survey.organisation,
        target=survey,
        detail={"item": item.pk, "channel": channel, "answers": len(rows)},
    )
    return item


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def response_draft_save(*, survey: Survey, answers: dict[str, list[str]], replacing: str = "") -> str:
    """Keeps answers part-way through a survey; returns the token for the return link (shown once, never stored).

    ``replacing`` is the digest of an earlier draft of the same person, removed so that only the latest is kept.
    """
    if replacing:
        ResponseDraft.objects.filter(survey=survey, token_digest=replacing).delete()
    token = secrets.token_urlsafe(24)
    ResponseDraft.objects.create(
        survey=survey,
        token_digest=_digest(token),
        answers={"sealed": _draft_lock(token).encrypt(json.dumps(answers).encode()).decode()},
        expires_at=timezone.now() + DRAFT_LIFETIME,
    )
    return token


def _draft_lock(token: str) -> Fernet:
    """A key made from the return link itself: only the person holding the link can read what they saved.

    The database keeps the link's digest and the sealed answers, so neither staff nor anyone with a copy of the
    database can read unsent answers, which have not been redacted yet.
    """
    material = hmac.new(token.encode(), b"heard-survey-draft", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(material))


def response_draft_answers(*, draft: ResponseDraft, token: str) -> dict[str, list[str]]:
    """The answers saved behind a return link, unsealed with the link's own token."""
    sealed = draft.answers.get("sealed") if isinstance(draft.answers, dict) else None
    if not isinstance(sealed, str):
        return dict(draft.answers)
    try:
        opened: dict[str, list[str]] = json.loads(_draft_lock(token).decrypt(sealed.encode()))
    except InvalidToken:
        return {}
    return opened


def response_draft_find(*, survey: Survey, token: str) -> ResponseDraft | None:
    """The saved answers behind a return link, or None when the link is wrong or has expired."""
    return ResponseDraft.objects.filter(
        survey=survey, token_digest=_digest(token), expires_at__gt=timezone.now()
    ).first()


def response_draft_digest(token: str) -> str:
    return _digest(token)


@transaction.atomic
def response_draft_discard(*, survey: Survey, digest: str) -> None:
    ResponseDraft.objects.filter(survey=survey, token_digest=digest).delete()


# Comments gathered at a project's workshops, events and focus groups.

ACTIVITY_SOURCE_NAME = "Engagement events"
CHANNEL_FOR_ACTIVITY = {
    ActivityKind.FOCUS_GROUP: Channel.FOCUS_GROUP,
    ActivityKind.INTERVIEWS: Channel.INTERVIEW,
}


def activity_channel(activity: Activity) -> str:
    return CHANNEL_FOR_ACTIVITY.get(activity.kind, Channel.WORKSHOP)  # type: ignore[call-overload]


@transaction.atomic
def activity_comments_receive(
    *, actor: User | None, activity: Activity, comments: list[str]
) -> list[FeedbackItem]:
    """Each comment becomes one feedback item of the activity and its project, redacted at the door."""
    project = activity.project
    source = source_for(
        organisation=project.organisation, name=ACTIVITY_SOURCE_NAME, kind=SourceKind.ENGAGEMENT_EVENT
    )
    received_at = datetime.combine(activity.held_on, time(12), tzinfo=timezone.get_current_timezone())
    items = []
    for comment in comments:
        if not comment.strip():
            continue
        item, _ = feedback_receive(
            actor=actor,
            organisation=project.organisation,
            source=source,
            incoming=IncomingFeedback(
                channel=activity_channel(activity),
                text=comment.strip(),
                received_at=received_at,
                project=project,
                activity=activity,
                # Two people at one workshop may well say the same thing: each comment counts.
                recognise_repeats=False,
            ),
        )
        items.append(item)
    return items
