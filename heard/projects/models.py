"""Engagement projects: the container that surveys, activities and decisions hang on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from heard.core.models import Organisation


class Stage(models.TextChoices):
    """The commissioning cycle (seed 002, 16.6), in order."""

    UNDERSTAND_NEEDS = "understand_needs", "Understand needs"
    DESIGN = "design", "Design"
    SPECIFY_AND_PROCURE = "specify_and_procure", "Specify and procure"
    DELIVER_AND_IMPROVE = "deliver_and_improve", "Deliver and improve"
    MONITOR = "monitor", "Monitor"


class EqualityGroup(models.TextChoices):
    """Groups a project may commit to reach: the protected characteristics (Equality Act 2010 s.149) and the
    seldom-heard groups the seeds name."""

    AGE_YOUNG = "young_people", "Children and young people"
    AGE_OLDER = "older_people", "Older people"
    DISABILITY = "disabled_people", "Disabled people"
    LEARNING_DISABILITY = "learning_disability", "People with a learning disability"
    MENTAL_HEALTH = "mental_health", "People with mental ill health"
    GENDER_REASSIGNMENT = "trans_people", "Trans and non-binary people"
    MARRIAGE = "marriage_civil_partnership", "People by marriage or civil partnership"
    PREGNANCY = "pregnancy_maternity", "Pregnant women and new parents"
    RACE = "minority_ethnic", "Minority ethnic communities"
    RELIGION = "religion_belief", "People of different religions and beliefs"
    SEX = "sex", "Women and men"
    SEXUAL_ORIENTATION = "lgb_people", "Lesbian, gay and bisexual people"
    CARERS = "carers", "Carers"
    GYPSY_TRAVELLER = "gypsy_traveller", "Gypsies and Travellers"
    HOMELESS = "homeless", "People who are homeless"
    REFUGEES = "refugees_asylum_seekers", "Refugees and asylum seekers"
    DEPRIVATION = "deprived_areas", "People living in the most deprived areas"
    RURAL = "rural", "People in rural isolation"
    SHIFT_WORKERS = "shift_workers", "Shift workers"


class Project(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="projects")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.UNDERSTAND_NEEDS)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
    )
    equality_groups = models.JSONField(default=list, blank=True)
    # For the end-of-project PPIE report (seed 000): what the team learned, and how the work was promoted.
    learning = models.TextField(blank=True)
    promotion = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="project_slug_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be the same as or after the start date"})
        unknown = set(self.equality_groups) - set(EqualityGroup.values)
        if unknown:
            raise ValidationError({"equality_groups": f"Unknown groups: {', '.join(sorted(unknown))}"})

    def equality_group_labels(self) -> list[str]:
        labels = dict(EqualityGroup.choices)
        return [labels[group] for group in self.equality_groups if group in labels]


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", "Facilitated workshop"
    PUBLIC_EVENT = "public_event", "Public event or drop-in"
    FOCUS_GROUP = "focus_group", "Focus group"
    INTERVIEWS = "interviews", "Interviews"
    NETWORK_CONVERSATION = "network_conversation", "Network conversation (chat pack)"
    GROUP_MEETING = "group_meeting", "Involvement group meeting"
    STALL = "stall", "Stall or outreach visit"
    ONLINE_SESSION = "online_session", "Online session"
    OTHER = "other", "Other"


class Activity(models.Model):
    """Something a project did to involve people: a workshop, an event, a focus group, outreach."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    attendance = models.PositiveIntegerField(null=True, blank=True)
    groups_reached = models.JSONField(default=list, blank=True)
    # What happened and what people said, written up by staff. Redacted like any other free text.
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title
