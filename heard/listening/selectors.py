"""Reads of surveys and feedback, always within one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from heard.core.models import Organisation
from heard.listening.models import Answer, ApiToken, FeedbackItem, FeedbackSource, Survey
from heard.projects.models import Activity, Project


@dataclass(frozen=True)
class FeedbackFilters:
    project: Project | None = None
    survey: Survey | None = None
    channel: str = ""
    source: FeedbackSource | None = None
    service: str = ""
    date_from: date | None = None
    date_to: date | None = None
    flagged_only: bool = False

    def as_detail(self) -> dict[str, str]:
        """The filters in words, for audit entries and the header of an export."""
        chosen = {
            "project": self.project.slug if self.project else "",
            "survey": self.survey.code if self.survey else "",
            "channel": self.channel,
            "source": self.source.name if self.source else "",
            "service": self.service,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "flagged": "yes" if self.flagged_only else "",
        }
        return {key: value for key, value in chosen.items() if value}


def feedback_for(*, organisation: Organisation, filters: FeedbackFilters) -> QuerySet[FeedbackItem]:
    items = FeedbackItem.objects.filter(organisation=organisation).select_related(
        "source", "project", "survey", "activity"
    )
    if filters.project:
        items = items.filter(project=filters.project)
    if filters.survey:
        items = items.filter(survey=filters.survey)
    if filters.channel:
        items = items.filter(channel=filters.channel)
    if filters.source:
        items = items.filter(source=filters.source)
    if filters.service:
        items = items.filter(service__icontains=filters.service)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        items = items.filter(received_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    if filters.date_to:
        items = items.filter(received_at__lte=datetime.combine(filters.date_to, time.max, tzinfo=tz))
    if filters.flagged_only:
        items = items.filter(flagged=True)
    return items.order_by("-received_at", "-id")


def feedback_item_in(*, organisation: Organisation, item_id: int) -> FeedbackItem:
    """Raises FeedbackItem.DoesNotExist for another organisation's item, as for one that does not exist."""
    # Equality-monitoring answers are special-category data: reported only in aggregate, never beside a comment.
    answers = (
        Answer.objects.select_related("question", "question__section")
        .exclude(question__is_equality_monitoring=True)
        .order_by("question__section__position", "question__position", "question_id")
    )
    return (
        FeedbackItem.objects.select_related("source", "project", "survey", "activity")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .get(organisation=organisation, pk=item_id)
    )


def sources_of(*, organisation: Organisation) -> QuerySet[FeedbackSource]:
    return FeedbackSource.objects.filter(organisation=organisation).order_by("name")


def surveys_of(*, organisation: Organisation) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(organisation=organisation).select_related("project", "source").order_by("title")
    )


def projects_of(*, organisation: Organisation) -> QuerySet[Project]:
    return Project.objects.filter(organisation=organisation).order_by("title")


def api_tokens_of(*, organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).select_related("source").order_by("-created_at")


def activity_comments_recent(*, activity: Activity, limit: int) -> list[FeedbackItem]:
    """The latest comments keyed in for an activity (which is already its organisation's)."""
    return list(FeedbackItem.objects.filter(activity=activity).order_by("-created_at", "-id")[:limit])
