"""Codebooks of themes, the coding people give comments, the models trained on it and what they suggest."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from heard.core.models import Organisation
from heard.listening.models import FeedbackItem


class Codebook(models.Model):
    """A theme framework: themes grouped under categories, in the organisation's words."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="codebooks")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Goes up by one with every change to its themes; each version's themes are kept in CodebookVersion.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="codebook_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ThemeCategory(models.Model):
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["codebook", "name"], name="category_name_unique")]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """One theme. Never deleted once used: retired themes stay, so that old coding stays readable."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="themes")
    category = models.ForeignKey(ThemeCategory, on_delete=models.PROTECT, related_name="themes")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Example comments, one a line, in the organisation's words: they guide coders.
    examples = models.TextField(blank=True)
    # The short number a coder types for it on the coding page; unique within the codebook, never reused.
    code = models.PositiveIntegerField()
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["category__position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "name"], name="theme_name_unique_in_codebook"),
            models.UniqueConstraint(fields=["codebook", "code"], name="theme_code_unique_in_codebook"),
        ]

    def __str__(self) -> str:
        return self.name


class CodebookVersion(models.Model):
    """What a codebook's themes were at one version: names, categories and descriptions, as they were."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=300)
    # [{"id": 1, "code": 1, "name": "...", "category": "...", "description": "...", "retired": false}, ...]
    themes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["codebook", "number"], name="codebook_version_unique")]

    def __str__(self) -> str:
        return f"{self.codebook} version {self.number}"


class Sentiment(models.IntegerChoices):
    VERY_POSITIVE = 1, "Very positive"
    POSITIVE = 2, "Positive"
    MIXED = 3, "Mixed or neutral"
    NEGATIVE = 4, "Negative"
    VERY_NEGATIVE = 5, "Very negative"


class CodingOrigin(models.TextChoices):
    CODED = "coded", "Coded by hand"
    ACCEPTED = "accepted", "Suggestion accepted"
    CORRECTED = "corrected", "Suggestion corrected"
    # "Accept the sure ones": nobody read each comment, so the coding is still the model's word. It counts on the
    # dashboards as the model's, and is not training data (a model would learn, and be graded on, its own guesses).
    ACCEPTED_IN_BULK = "bulk", "Sure suggestion accepted with others"


class Coding(models.Model):
    """One person's coding of one comment against one codebook."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="codings")
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="codings")
    # Which part of the item: 0 for the whole comment; for a survey response that answered two or more open
    # questions, the id of the question whose answer this is (each answer is coded on its own, ADR 0022).
    part = models.PositiveIntegerField(default=0)
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    themes = models.ManyToManyField(Theme, blank=True, related_name="codings")
    sentiment = models.PositiveSmallIntegerField(choices=Sentiment.choices, null=True, blank=True)
    second_look = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)
    origin = models.CharField(max_length=10, choices=CodingOrigin.choices, default=CodingOrigin.CODED)
    # The codebook's version when it was coded, so that coding against retired or renamed themes stays readable.
    codebook_version = models.PositiveIntegerField()
    coded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-coded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["codebook", "item", "part", "coder"], name="one_coding_per_coder_and_part"
            )
        ]
        indexes = [models.Index(fields=["codebook", "item"])]

    def __str__(self) -> str:
        return f"Coding of feedback {self.item_id}"


class TrainingStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Training"
    DONE = "done", "Trained"
    FAILED = "failed", "Failed"


class ThemeModelRun(models.Model):
    """One training of a codebook's theme and sentiment model, and the model it made."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="model_runs")
    status = models.CharField(max_length=10, choices=TrainingStatus.choices, default=TrainingStatus.QUEUED)
    progress = models.FloatField(default=0.0)
    stage = models.CharField(max_length=200, blank=True)
    failure = models.CharField(max_length=500, blank=True)
    comments = models.PositiveIntegerField(default=0)
    # Per-theme precision, recall and F1 on held-back comments, as heard.understanding.learning reports them.
    quality = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=list, blank=True)
    # The model itself: a zip of model.json and weights.npz, never a pickle. In the database, so that every web
    # and task process reads the same one.
    model_file = models.BinaryField(null=True, blank=True, editable=False)
    suggested = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    # When a running training last reported progress (at least every few seconds while it works): a run that has
    # been silent for RUN_STALLED_AFTER stopped without finishing (its worker was restarted, say).
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Model {self.pk} for {self.codebook}"

    @property
    def stalled(self) -> bool:
        """Running, but silent for too long: it stopped without finishing."""
        last = self.heartbeat_at or self.created_at
        return self.status == TrainingStatus.RUNNING and last < run_alive_since()


RUN_STALLED_AFTER = timedelta(minutes=15)


def run_alive_since() -> datetime:
    """A running training that has reported progress since this moment is still at work."""
    return timezone.now() - RUN_STALLED_AFTER


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    CORRECTED = "corrected", "Corrected"


class Suggestion(models.Model):
    """What a trained model suggests for one comment, until someone accepts or corrects it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="suggestions")
    run = models.ForeignKey(ThemeModelRun, on_delete=models.CASCADE, related_name="suggestions")
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="theme_suggestions")
    # Which part of the item: 0 for the whole comment; for a survey response that answered two or more open
    # questions, the id of the question whose answer this is (each answer is coded on its own, ADR 0022).
    part = models.PositiveIntegerField(default=0)
    # [{"theme": id, "confidence": 0.93}, ...], most confident first.
    themes = models.JSONField(default=list)
    sentiment = models.PositiveSmallIntegerField(choices=Sentiment.choices, null=True, blank=True)
    sentiment_confidence = models.FloatField(null=True, blank=True)
    # The lowest confidence among its themes, or 1 - the highest for a comment given none: sorting by it puts the
    # suggestions most worth checking first.
    confidence = models.FloatField(default=0.0)
    # How much coding this comment would teach the model (margin sampling): higher first in "code next".
    uncertainty = models.FloatField(default=0.0)
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)

    class Meta:
        ordering = ["confidence"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "item", "part"], name="one_suggestion_per_part")
        ]
        indexes = [
            models.Index(fields=["codebook", "status", "confidence"]),
            models.Index(fields=["codebook", "-uncertainty"]),
        ]

    def __str__(self) -> str:
        return f"Suggestion for feedback {self.item_id}"


class CodedItem(models.Model):
    """A comment's coding as dashboards count it: a person's latest coding, else the latest model's suggestion.

    Kept in step by heard.understanding.services.assignments, with the comment's date, channel, source, project
    and service copied in, so that a dashboard reads one table with one index, not five joins.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="coded_items")
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="coded_items")
    # Which part of the item: 0 for the whole comment; for a survey response that answered two or more open
    # questions, the id of the question whose answer this is (each answer is coded on its own, ADR 0022).
    part = models.PositiveIntegerField(default=0)
    by_model = models.BooleanField(default=False)
    sentiment = models.PositiveSmallIntegerField(null=True, blank=True)
    theme_count = models.PositiveSmallIntegerField(default=0)
    words = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=20)
    source = models.ForeignKey("listening.FeedbackSource", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service = models.CharField(max_length=200, blank=True)
    question = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["codebook", "item", "part"], name="one_coded_part_per_codebook")
        ]
        indexes = [models.Index(fields=["codebook", "received_at"])]

    def __str__(self) -> str:
        return f"Coded feedback {self.item_id}"


class ThemeAssignment(models.Model):
    """One theme of one coded comment, with the same copied fields as CodedItem, for counting themes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="assignments")
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="theme_assignments")
    # Which part of the item: 0 for the whole comment; for a survey response that answered two or more open
    # questions, the id of the question whose answer this is (each answer is coded on its own, ADR 0022).
    part = models.PositiveIntegerField(default=0)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="assignments")
    by_model = models.BooleanField(default=False)
    sentiment = models.PositiveSmallIntegerField(null=True, blank=True)
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=20)
    source = models.ForeignKey("listening.FeedbackSource", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service = models.CharField(max_length=200, blank=True)
    question = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["codebook", "item", "part", "theme"], name="one_assignment_per_theme_and_part"
            )
        ]
        indexes = [
            models.Index(fields=["codebook", "theme", "received_at"]),
            models.Index(fields=["codebook", "received_at"]),
            # The comments behind a theme: its items, in one index walk (bench/dashboards.py).
            models.Index(fields=["codebook", "theme", "item"]),
        ]

    def __str__(self) -> str:
        return f"Theme {self.theme_id} of feedback {self.item_id}"


class PopulationProfile(models.Model):
    """Who lives in an area, from Census 2021 tables the organisation loads: the yardstick for who answered."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="population_profiles"
    )
    name = models.CharField(max_length=120)
    area = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="population_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PopulationFigure(models.Model):
    """One count of a population profile: how many people of one category in one dimension (age band, sex…)."""

    profile = models.ForeignKey(PopulationProfile, on_delete=models.CASCADE, related_name="figures")
    dimension = models.CharField(max_length=40)
    category = models.CharField(max_length=60)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "dimension", "category"], name="one_figure_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.category}: {self.count}"


class MonthlyCommentCount(models.Model):
    """Coded comments counted by month and by everything a dashboard filters on: what the dashboards read.

    Rebuilt a month at a time from CodedItem by heard.understanding.services.summaries, whenever a month is
    marked stale (docs/adr/0018-dashboards.md).
    """

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    channel = models.CharField(max_length=20)
    source_id = models.IntegerField()
    project_id = models.IntegerField(null=True)
    service = models.CharField(max_length=200, blank=True)
    question = models.CharField(max_length=500, blank=True)
    comments = models.PositiveIntegerField()
    by_model = models.PositiveIntegerField()
    complex_comments = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["codebook", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.comments}"


class MonthlyThemeCount(models.Model):
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    theme_id = models.IntegerField()
    channel = models.CharField(max_length=20)
    source_id = models.IntegerField()
    project_id = models.IntegerField(null=True)
    service = models.CharField(max_length=200, blank=True)
    question = models.CharField(max_length=500, blank=True)
    comments = models.PositiveIntegerField()
    positive = models.PositiveIntegerField()
    negative = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["codebook", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} theme {self.theme_id}: {self.comments}"


class MonthlyPairCount(models.Model):
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    first_theme_id = models.IntegerField()
    second_theme_id = models.IntegerField()
    channel = models.CharField(max_length=20)
    source_id = models.IntegerField()
    project_id = models.IntegerField(null=True)
    service = models.CharField(max_length=200, blank=True)
    question = models.CharField(max_length=500, blank=True)
    comments = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["codebook", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} themes {self.first_theme_id} and {self.second_theme_id}: {self.comments}"


class MonthlyPairRollup(models.Model):
    """The monthly pair counts summed by channel alone: for the views filtered by nothing finer than dates and
    channel, which would otherwise sum every service's, source's, project's and question's rows (at a million
    comments, over half a million rows for an unfiltered dashboard; docs/performance.md)."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    first_theme_id = models.IntegerField()
    second_theme_id = models.IntegerField()
    channel = models.CharField(max_length=20)
    comments = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["codebook", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} themes {self.first_theme_id} and {self.second_theme_id}: {self.comments}"


class StaleMonth(models.Model):
    """A month whose monthly counts no longer match the coding: rebuilt before the next dashboard reads it, or
    by a background task where the codebook is large."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    marked_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["codebook", "month"], name="one_stale_mark_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} of codebook {self.codebook_id}"


class MonthlyThemeRollup(models.Model):
    """The monthly theme counts summed two ways: by channel alone (``axis`` "channel") and by service alone
    ("service"). Tens of thousands of rows at most, for the views that filter by nothing finer than dates and
    channel, where the full counts would mean reading hundreds of thousands (docs/performance.md)."""

    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    theme_id = models.IntegerField()
    axis = models.CharField(max_length=10)
    value = models.CharField(max_length=500, blank=True)
    comments = models.PositiveIntegerField()
    positive = models.PositiveIntegerField()
    negative = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["codebook", "axis", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} theme {self.theme_id} by {self.axis}: {self.comments}"
