"""One store of feedback from every channel, and the surveys that gather some of it.

A ``FeedbackItem`` is one person's feedback through one channel: a survey response, a Friends and Family Test
row, a PALS contact, a post on social media, a card filled in at an event. Its free text is redacted before it is
stored (heard.privacy); contact details a person chose to give live only in the identifiable-data vault, linked
by a keyed pseudonym. Every item knows its organisation, source and channel.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from heard.core.models import Organisation
from heard.projects.models import Activity, Project


class Channel(models.TextChoices):
    """How the person gave their feedback."""

    ONLINE = "online", "Online"
    PAPER = "paper", "Paper form"
    EVENT_CARD = "event_card", "Event card"
    TELEPHONE = "telephone", "Telephone"
    INTERVIEW = "interview", "Interview"
    WORKSHOP = "workshop", "Workshop or event"
    FOCUS_GROUP = "focus_group", "Focus group"
    EMAIL = "email", "Email or letter"
    SOCIAL_MEDIA = "social_media", "Social media"
    SMS = "sms", "Text message"
    KIOSK = "kiosk", "Kiosk or tablet"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"


class SourceKind(models.TextChoices):
    """Which system or stream the feedback came through (seed 002, 16.15)."""

    HEARD_SURVEY = "heard_survey", "Heard survey"
    FFT = "fft", "Friends and Family Test"
    PALS = "pals", "PALS"
    COMPLAINTS = "complaints", "Complaints, concerns and compliments"
    SOCIAL_MEDIA = "social_media", "Social media"
    SURVEY_TOOL = "survey_tool", "Another survey tool"
    ENGAGEMENT_EVENT = "engagement_event", "Engagement events"
    API = "api", "Connected system"
    OTHER = "other", "Other"


class FeedbackSource(models.Model):
    """A named stream of feedback in one organisation, with how long its items are kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="feedback_sources")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    # Items older than this are deleted for good by the retention task. Empty means kept until removed by hand.
    retention_days = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="source_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Survey(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surveys")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    source = models.ForeignKey(FeedbackSource, on_delete=models.PROTECT, related_name="surveys")
    # The short, shareable public address: /s/<code>/. Unique across every organisation.
    code = models.SlugField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    privacy_notice = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    # Public wording in other languages and easy read: {"cy": {"title": ..., "introduction": ...}, "easy": {...}}
    translations = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing date must be after the opening date"})

    def is_accepting(self, at: object = None) -> bool:
        now = timezone.now() if at is None else at
        return (
            self.status == SurveyStatus.OPEN
            and (self.opens_at is None or self.opens_at <= now)  # type: ignore[operator]
            and (self.closes_at is None or now < self.closes_at)  # type: ignore[operator]
        )


class SurveySection(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    RATING = "rating", "Rating scale"
    LIKERT = "likert", "Agreement (Likert) scale"
    FFT = "fft", "Friends and Family Test"
    FREE_TEXT = "free_text", "Free text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    RANKING = "ranking", "Ranking"


class Question(models.Model):
    section = models.ForeignKey(SurveySection, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    # A stable name for the question within its survey, used by skip logic, imports and exports.
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=False)
    # [{"value": "very_good", "label": "Very good"}, ...] for choice, scale and ranking questions.
    choices = models.JSONField(default=list, blank=True)
    # Skip logic: show only when an earlier question's answer is one of these values.
    show_if_question = models.SlugField(max_length=60, blank=True)
    show_if_values = models.JSONField(default=list, blank=True)
    # Part of the standard equality-monitoring block: reported only in aggregate, above a minimum group size.
    is_equality_monitoring = models.BooleanField(default=False)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["section__position", "position", "id"]

    def __str__(self) -> str:
        return self.text


class FeedbackItem(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="feedback_items")
    source = models.ForeignKey(FeedbackSource, on_delete=models.PROTECT, related_name="items")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_items"
    )
    survey = models.ForeignKey(
        Survey, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    # The workshop, event or focus group where the feedback was gathered.
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_items"
    )
    # The service, ward, team or practice the feedback is about, as the source names it.
    service = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The main comment, already redacted. Survey answers keep their own text in Answer.
    text = models.TextField(blank=True)
    # The question the comment answers ("What could we do better?"), where it answers one: from an import's
    # question column, or a survey response with one open answer. Blank for a response that answered several.
    question = models.CharField(max_length=500, blank=True)
    # The Friends and Family Test answer, where the item has one (FFT_ANSWERS keys).
    fft_answer = models.CharField(max_length=20, blank=True)
    # What redaction removed, by kind: {"NAME": 2, "PHONE": 1}. Never the removed values themselves.
    redactions = models.JSONField(default=dict, blank=True)
    # Links to the identifiable-data vault, when the person gave contact details.
    respondent_pseudonym = models.CharField(max_length=64, blank=True, db_index=True)
    # The source's own reference (a PALS case number, a tweet id), so that a repeat is recognised.
    external_id = models.CharField(max_length=200, blank=True)
    # A digest of what the item says and when, for recognising repeats where the source gives no reference.
    fingerprint = models.CharField(max_length=64)
    flagged = models.BooleanField(default=False)
    flag_note = models.CharField(max_length=500, blank=True)
    import_batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="feedback_external_id_unique_in_source",
            ),
            models.UniqueConstraint(
                fields=["organisation", "fingerprint"], name="feedback_fingerprint_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-received_at"]),
            models.Index(fields=["organisation", "channel"]),
            models.Index(fields=["organisation", "source"]),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.pk} ({self.get_channel_display()})"


class Answer(models.Model):
    """One answer to one survey question. Free text is redacted before it is stored."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in {self.item_id}"


class ResponseDraft(models.Model):
    """A long survey saved part-way, to be finished from a link. Only a digest of the link's token is kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    token_digest = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Saved answers for {self.survey_id}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Checked, not yet imported"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"


class ImportMapping(models.Model):
    """Which column of a source's files holds what, saved so that the next file maps itself."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="import_mappings")
    source = models.ForeignKey(FeedbackSource, on_delete=models.CASCADE, related_name="mappings")
    name = models.CharField(max_length=120)
    # {"text": "Comment", "received_at": "Date", "service": "Ward", "fft_answer": "Rating", ...}
    columns = models.JSONField(default=dict)
    date_format = models.CharField(max_length=40, blank=True)
    default_channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.OTHER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source", "name"], name="mapping_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="import_batches")
    source = models.ForeignKey(FeedbackSource, on_delete=models.PROTECT, related_name="import_batches")
    mapping = models.ForeignKey(
        ImportMapping, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    import_good_rows = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_repeated = models.PositiveIntegerField(default=0)
    # Rows with at least one problem, and every problem found: the list below keeps only the first few hundred.
    rows_bad = models.PositiveIntegerField(default=0)
    problems_total = models.PositiveIntegerField(default=0)
    # [{"row": 12, "field": "Date", "message": "..."}], capped so that a bad file cannot fill the database.
    problems = models.JSONField(default=list, blank=True)
    # Why an import stopped, in words for the person who started it.
    failure = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class ApiToken(models.Model):
    """An organisation's key to the intake API. Only a digest is kept; the token is shown once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=120)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    source = models.ForeignKey(FeedbackSource, on_delete=models.PROTECT, related_name="api_tokens")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The answer given to a request with an Idempotency-Key, replayed if the same request comes again."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key
