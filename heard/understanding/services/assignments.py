"""Keeps CodedItem and ThemeAssignment in step with coding and suggestions: what the dashboards count.

A comment counts with a person's latest coding where there is one (their word beats the model's), otherwise with
the latest model's suggestion. Retired themes drop out of the counts; the coding itself keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef

from heard.core.bulk import rows_add
from heard.listening.models import FeedbackItem
from heard.understanding.comments import WHOLE, Comment, comments_of
from heard.understanding.locks import suggestions_lock
from heard.understanding.models import (
    Codebook,
    CodedItem,
    Coding,
    CodingOrigin,
    Suggestion,
    Theme,
    ThemeAssignment,
)
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
    latest = latest_codings(codebook=codebook, item_ids=ids)
    human: dict[tuple[int, int], tuple[int | None, list[int]]] = {
        key: (coding.sentiment, [theme.pk for theme in coding.themes.all()]) for key, coding in latest.items()
    }
    # Sure suggestions accepted together count as a coding, but as the model's: nobody read them one by one.
    unread = {key for key, coding in latest.items() if coding.origin == CodingOrigin.ACCEPTED_IN_BULK}
    machine: dict[tuple[int, int], tuple[int | None, list[int]]] = {
        (item_id, part): (sentiment, [entry["theme"] for entry in themes])
        for item_id, part, sentiment, themes in Suggestion.objects.filter(
            codebook=codebook, item_id__in=ids
        ).values_list("item_id", "part", "sentiment", "themes")
    }
    items = list(
        FeedbackItem.objects.filter(pk__in=ids, organisation=codebook.organisation).only(
            "pk",
            "text",
            "received_at",
            "channel",
            "source_id",
            "project_id",
            "service",
            "question",
            "fft_answer",
            "survey_id",
        )
    )
    by_id = {item.pk: item for item in items}
    # A coded row carries its comment's date, so the comments' own months are the months that change.
    months_mark_stale(codebook=codebook, moments=[item.received_at for item in items])
    CodedItem.objects.filter(codebook=codebook, item_id__in=ids).delete()
    ThemeAssignment.objects.filter(codebook=codebook, item_id__in=ids).delete()
    coded: list[dict[str, Any]] = []
    assigned: list[dict[str, Any]] = []
    for comment in _counted(comments_of(items), human, machine):
        item = by_id[comment.item_id]
        by_model = comment.key not in human or comment.key in unread
        sentiment, theme_ids = human.get(comment.key) or machine[comment.key]
        themes = [theme for theme in dict.fromkeys(theme_ids) if theme in live_themes]
        copied = {
            "organisation_id": codebook.organisation_id,
            "codebook_id": codebook.pk,
            "item_id": comment.item_id,
            "part": comment.part,
            "by_model": by_model,
            "received_at": item.received_at,
            "channel": item.channel,
            "source_id": item.source_id,
            "project_id": item.project_id,
            "service": item.service,
            "question": comment.question,
        }
        coded.append(
            {**copied, "sentiment": sentiment, "theme_count": len(themes), "words": len(comment.text.split())}
        )
        assigned.extend({**copied, "theme_id": theme, "sentiment": sentiment} for theme in themes)
    rows_add(CodedItem, coded)
    rows_add(ThemeAssignment, assigned)


def _counted(
    comments: list[Comment],
    human: dict[tuple[int, int], tuple[int | None, list[int]]],
    machine: dict[tuple[int, int], tuple[int | None, list[int]]],
) -> list[Comment]:
    """The comments that count, each with a person's coding or the model's suggestion.

    A response coded answer by answer counts its answers; one coded whole (before its answers were coded apart,
    or by a person who chose to) counts once, whole, with that coding. A person's word beats the model's.
    """
    known = {**machine, **human}
    counted: list[Comment] = []
    for item_id, grouped in groupby(comments, key=lambda comment: comment.item_id):
        parts = list(grouped)  # comments_of gives an item's comments together
        whole = (item_id, WHOLE)
        apart = parts[0].part != WHOLE
        counted_whole = (
            apart
            and whole in known
            and (
                (whole in human and not any(part.key in human for part in parts))
                or not any(part.key in known for part in parts)
            )
        )
        if counted_whole:
            counted.append(Comment(item_id, WHOLE, " ".join(part.text for part in parts), ""))
        else:
            counted.extend(part for part in parts if part.key in known)
    return counted


@transaction.atomic
def assignments_theme_retired(*, theme: Theme) -> int:
    """Takes a retired theme out of the counts: only the comments counted with it change. Returns how many."""
    codebook = theme.codebook
    counted = ThemeAssignment.objects.filter(codebook=codebook, theme=theme)
    months_mark_stale(codebook=codebook, moments=counted.datetimes("received_at", "month"))
    with_theme = counted.filter(item_id=OuterRef("item_id"), part=OuterRef("part"))
    changed = CodedItem.objects.filter(Exists(with_theme), codebook=codebook).update(
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
    with transaction.atomic():
        suggestions_lock(codebook.pk)  # no suggestion or coding written meanwhile, so none is counted twice
        assignments_refresh(codebook=codebook, item_ids=ids)
    return len(ids)
