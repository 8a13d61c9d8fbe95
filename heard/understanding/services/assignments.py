"""Keeps CodedItem and ThemeAssignment in step with coding and suggestions: what the dashboards count.

A comment counts with a person's latest coding where there is one (their word beats the model's), otherwise with
the latest model's suggestion. Retired themes drop out of the counts; the coding itself keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import F

from heard.listening.models import FeedbackItem
from heard.understanding.models import Codebook, CodedItem, Coding, Suggestion, Theme, ThemeAssignment
from heard.understanding.selectors import latest_codings
from heard.understanding.services.summaries import months_mark_stale

CHUNK = 2_000


@transaction.atomic
def assignments_refresh(*, codebook: Codebook, item_ids: Iterable[int]) -> None:
    ids = sorted(set(item_ids))
    live_themes = set(codebook.themes.filter(retired=False).values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(codebook, ids[start : start + CHUNK], live_themes)


def _refresh_chunk(codebook: Codebook, ids: Sequence[int], live_themes: set[int]) -> None:
    human: dict[int, tuple[int | None, list[int]]] = {
        item_id: (coding.sentiment, [theme.pk for theme in coding.themes.all()])
        for item_id, coding in latest_codings(codebook=codebook, item_ids=ids).items()
    }
    machine: dict[int, tuple[int | None, list[int]]] = {
        suggestion.item_id: (suggestion.sentiment, [entry["theme"] for entry in suggestion.themes])
        for suggestion in Suggestion.objects.filter(codebook=codebook, item_id__in=ids).exclude(
            item_id__in=human
        )
    }
    items = {
        item.pk: item
        for item in FeedbackItem.objects.filter(pk__in=ids, organisation=codebook.organisation).only(
            "pk", "text", "received_at", "channel", "source_id", "project_id", "service", "question"
        )
    }
    # A coded row carries its comment's date, so the comments' own months are the months that change.
    months_mark_stale(codebook=codebook, moments=[item.received_at for item in items.values()])
    CodedItem.objects.filter(codebook=codebook, item_id__in=ids).delete()
    ThemeAssignment.objects.filter(codebook=codebook, item_id__in=ids).delete()
    coded: list[CodedItem] = []
    assigned: list[ThemeAssignment] = []
    for item_id, item in items.items():
        by_model = item_id not in human
        found = human.get(item_id) or machine.get(item_id)
        if found is None:
            continue
        sentiment, theme_ids = found
        themes = [theme for theme in dict.fromkeys(theme_ids) if theme in live_themes]
        copied = {
            "organisation_id": codebook.organisation_id,
            "codebook_id": codebook.pk,
            "item_id": item_id,
            "by_model": by_model,
            "received_at": item.received_at,
            "channel": item.channel,
            "source_id": item.source_id,
            "project_id": item.project_id,
            "service": item.service,
            "question": item.question,
        }
        coded.append(
            CodedItem(**copied, sentiment=sentiment, theme_count=len(themes), words=len(item.text.split()))
        )
        assigned.extend(ThemeAssignment(**copied, theme_id=theme, sentiment=sentiment) for theme in themes)
    CodedItem.objects.bulk_create(coded, batch_size=CHUNK)
    ThemeAssignment.objects.bulk_create(assigned, batch_size=CHUNK)


@transaction.atomic
def assignments_theme_retired(*, theme: Theme) -> int:
    """Takes a retired theme out of the counts: only the comments counted with it change. Returns how many."""
    codebook = theme.codebook
    counted = ThemeAssignment.objects.filter(codebook=codebook, theme=theme)
    months_mark_stale(codebook=codebook, moments=counted.datetimes("received_at", "month"))
    changed = CodedItem.objects.filter(codebook=codebook, item_id__in=counted.values("item_id")).update(
        theme_count=F("theme_count") - 1
    )
    counted.delete()
    return changed


def assignments_theme_restored(*, theme: Theme) -> int:
    """Counts a theme brought back: the comments whose coding or suggestion has it are counted afresh.

    Suggestions keep their themes in a JSON list, which not every database can search, so they are read in
    chunks; restoring is rare, and runs as a background task (heard.understanding.tasks).
    """
    codebook = theme.codebook
    through = Coding.themes.through
    ids = set(through.objects.filter(theme=theme).values_list("coding__item_id", flat=True))
    for item_id, themes in (
        Suggestion.objects.filter(codebook=codebook)
        .values_list("item_id", "themes")
        .iterator(chunk_size=5_000)
    ):
        if any(entry.get("theme") == theme.pk for entry in themes):
            ids.add(item_id)
    assignments_refresh(codebook=codebook, item_ids=ids)
    return len(ids)
