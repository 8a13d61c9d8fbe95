"""Decisions and commitments, the evidence behind them, the quotes chosen to show it, and what was published."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from heard.core.models import Organisation
from heard.listening.models import FeedbackItem, Question
from heard.projects.models import Activity, Project
from heard.understanding.models import Theme


class DecisionKind(models.TextChoices):
    DECIDED = "decided", "Decision made"
    COMMITMENT = "commitment", "Commitment to act"


class DecisionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"


class Decision(models.Model):
    """What a project decided or committed to do, by whom and by when: the "we did" of "you said, we did"."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=12, choices=DecisionKind.choices, default=DecisionKind.COMMITMENT)
    title = models.CharField(max_length=200)
    # What people told us, in staff's words: the "you said" line of the public page.
    you_said = models.TextField(blank=True)
    # What was decided or will be done, and how: the "we did" (or "we will") of the public page.
    we_did = models.TextField()
    owner_name = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.PLANNED)
    status_reason = models.TextField(blank=True)
    done_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Removing a decision keeps its row (and its audit trail) but takes it off every page and report.
    removed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "-created_at"]
        indexes = [
            models.Index(fields=["organisation", "published_at"], name="decision_published"),
            models.Index(fields=["project", "removed_at"], name="decision_project"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.status == DecisionStatus.NOT_DONE and not self.status_reason.strip():
            raise ValidationError({"status_reason": "Say why it was not done"})
        if (
            self.kind == DecisionKind.COMMITMENT
            and self.status in (DecisionStatus.PLANNED, DecisionStatus.IN_PROGRESS)
            and self.due_on is None
        ):
            raise ValidationError(
                {"due_on": "Enter the date it will be done by, so that people can hold us to it"}
            )
        if self.project_id and self.organisation_id and self.project.organisation_id != self.organisation_id:
            raise ValidationError({"project": "The project belongs to another organisation"})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.removed_at is None

    def overdue_on(self, today: object) -> bool:
        return (
            self.due_on is not None
            and self.status in (DecisionStatus.PLANNED, DecisionStatus.IN_PROGRESS)
            and self.due_on < today  # type: ignore[operator]
        )


class EvidenceKind(models.TextChoices):
    THEME = "theme", "Theme"
    COMMENT = "comment", "Comment"
    ACTIVITY = "activity", "Event or workshop"
    QUESTION = "question", "Survey question"


class EvidenceScope(models.TextChoices):
    PROJECT = "project", "Comments in this project"
    ORGANISATION = "organisation", "All the organisation's comments in the project's dates"


class Evidence(models.Model):
    """One link from a decision to what fed it. Exactly one of the four targets is set, matching ``kind``."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(FeedbackItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # For a theme: the comments in the project, or every comment the organisation received in the project's dates
    # (a service review reads the Friends and Family Test, which is not gathered for the project).
    scope = models.CharField(max_length=12, choices=EvidenceScope.choices, default=EvidenceScope.PROJECT)
    note = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                name="evidence_one_target",
                condition=(
                    models.Q(kind="theme", theme__isnull=False, item=None, activity=None, question=None)
                    | models.Q(kind="comment", item__isnull=False, theme=None, activity=None, question=None)
                    | models.Q(kind="activity", activity__isnull=False, theme=None, item=None, question=None)
                    | models.Q(kind="question", question__isnull=False, theme=None, item=None, activity=None)
                ),
            ),
            models.UniqueConstraint(fields=["decision", "theme"], name="evidence_theme_once"),
            models.UniqueConstraint(fields=["decision", "item"], name="evidence_comment_once"),
            models.UniqueConstraint(fields=["decision", "activity"], name="evidence_activity_once"),
            models.UniqueConstraint(fields=["decision", "question"], name="evidence_question_once"),
        ]
        indexes = [models.Index(fields=["item"], name="evidence_item")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} behind {self.decision}"


class Reminder(models.Model):
    """A reminder sent about a commitment's date, kept so that each is sent once for each date it is due."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_to = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind", "due_on"], name="reminder_once_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.decision}"


class QuoteStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a second check"
    APPROVED = "approved", "Approved for publication"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Quote(models.Model):
    """A short passage from a depersonalised comment, chosen by one editor and checked by another."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="quotes")
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    text = models.CharField(max_length=600)
    status = models.CharField(max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.WAITING)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-chosen_at"]
        indexes = [models.Index(fields=["project", "status"], name="quote_project_status")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_public(self) -> bool:
        return self.status == QuoteStatus.APPROVED
