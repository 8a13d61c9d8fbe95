"""Reads for the import and source pages, always within one organisation."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from heard.core.models import Organisation
from heard.listening.models import FeedbackSource, ImportBatch, ImportMapping, ImportStatus
from heard.projects.models import Project


def imports_of(*, organisation: Organisation) -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.filter(organisation=organisation)
        .select_related("source", "created_by")
        .order_by("-created_at", "-id")
    )


def import_batch_in(*, organisation: Organisation, batch_id: int) -> ImportBatch:
    """Raises ImportBatch.DoesNotExist for another organisation's import, as for one that does not exist."""
    return ImportBatch.objects.select_related("source", "mapping", "project", "organisation").get(
        organisation=organisation, pk=batch_id
    )


def sources_with_counts(*, organisation: Organisation) -> QuerySet[FeedbackSource]:
    return (
        FeedbackSource.objects.filter(organisation=organisation)
        .annotate(item_count=Count("items"))
        .order_by("name")
    )


def source_in(*, organisation: Organisation, source_id: int) -> FeedbackSource:
    return FeedbackSource.objects.get(organisation=organisation, pk=source_id)


def mapping_latest(*, source: FeedbackSource) -> ImportMapping | None:
    """The mapping the source's last checked file used, else its newest saved mapping."""
    used = (
        ImportBatch.objects.filter(source=source, mapping__isnull=False)
        .exclude(status=ImportStatus.FAILED)
        .select_related("mapping")
        .order_by("-created_at", "-id")
        .first()
    )
    if used is not None and used.mapping is not None:
        return used.mapping
    return ImportMapping.objects.filter(source=source).order_by("-created_at", "-id").first()


def mapping_named(*, source: FeedbackSource, name: str) -> ImportMapping | None:
    return ImportMapping.objects.filter(source=source, name=name).first()


def projects_for_import(*, organisation: Organisation) -> list[Project]:
    return list(Project.objects.filter(organisation=organisation).order_by("title"))
