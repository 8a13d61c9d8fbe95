"""Reading codebooks, coding and suggestions, always within one organisation."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from heard.core.models import Organisation, User
from heard.listening.models import FeedbackItem
from heard.understanding.models import (
    Codebook,
    Coding,
    PopulationProfile,
    Suggestion,
    SuggestionStatus,
    Theme,
    ThemeModelRun,
)

MAX_SKIPPED = 50


def _count_per_codebook(queryset: QuerySet, value: Count) -> Coalesce:  # type: ignore[type-arg]
    return Coalesce(
        Subquery(
            queryset.filter(codebook=OuterRef("pk"))
            .order_by()
            .values("codebook")
            .annotate(n=value)
            .values("n")
        ),
        0,
    )


def codebooks_for(*, organisation: Organisation) -> QuerySet[Codebook]:
    # Two subqueries, not two joins: joined, every theme row would be multiplied by every coding.
    return Codebook.objects.filter(organisation=organisation).annotate(
        theme_count=_count_per_codebook(Theme.objects.filter(retired=False), Count("id")),
        coded=_count_per_codebook(Coding.objects.all(), Count("item", distinct=True)),
    )


def latest_codings(
    *, codebook: Codebook, item_ids: Iterable[int] | None = None, with_items: bool = False
) -> dict[int, Coding]:
    """Each coded item's latest coding (by when, then by id), with its themes: the one that counts."""
    codings = Coding.objects.filter(codebook=codebook).prefetch_related("themes")
    if item_ids is not None:
        codings = codings.filter(item_id__in=item_ids)
    if with_items:
        codings = codings.select_related("item")
    latest: dict[int, Coding] = {}
    for coding in codings.order_by("coded_at", "id"):
        latest[coding.item_id] = coding
    return latest


def population_profiles(*, organisation: Organisation) -> QuerySet[PopulationProfile]:
    return PopulationProfile.objects.filter(organisation=organisation)


def population_latest(*, organisation: Organisation) -> PopulationProfile | None:
    """The population profile loaded last, which reports compare with."""
    return population_profiles(organisation=organisation).order_by("-created_at", "-id").first()


def codebook_in(*, organisation: Organisation, codebook_id: int) -> Codebook:
    return Codebook.objects.get(organisation=organisation, pk=codebook_id)


def themes_of(*, codebook: Codebook, include_retired: bool = True) -> list[Theme]:
    themes = codebook.themes.select_related("category").annotate(coded=Count("codings", distinct=True))
    if not include_retired:
        themes = themes.filter(retired=False)
    return list(themes.order_by("category__position", "category__name", "code"))


def themes_to_code(*, codebook: Codebook) -> list[Theme]:
    """The live themes, in the order coders see them; no counts, since the coding page needs none."""
    return list(
        codebook.themes.filter(retired=False)
        .select_related("category")
        .order_by("category__position", "category__name", "code")
    )


def theme_in(*, codebook: Codebook, theme_id: int) -> Theme:
    return codebook.themes.select_related("category").get(pk=theme_id)


def model_run_in(*, codebook: Codebook, run_id: int) -> ThemeModelRun:
    return codebook.model_runs.defer("model_file").get(pk=run_id)


def model_runs_of(*, codebook: Codebook) -> QuerySet[ThemeModelRun]:
    return codebook.model_runs.defer("model_file")


def item_for_coding(*, codebook: Codebook, item_id: int) -> FeedbackItem:
    return FeedbackItem.objects.select_related("source").get(organisation=codebook.organisation, pk=item_id)


def coding_of(*, codebook: Codebook, item: FeedbackItem, coder: User) -> Coding | None:
    return Coding.objects.filter(codebook=codebook, item=item, coder=coder).prefetch_related("themes").first()


def open_suggestion_for(*, codebook: Codebook, item: FeedbackItem) -> Suggestion | None:
    return Suggestion.objects.filter(codebook=codebook, item=item, status=SuggestionStatus.OPEN).first()


def next_to_code(*, codebook: Codebook, coder: User, order: str, skipped: list[int]) -> FeedbackItem | None:
    """The next comment for this coder.

    ``uncertain``: where the latest model is least sure, which teaches it most; ``sample``: comments nobody has
    coded, in an order fixed by their fingerprints (a random sample that stays put as people code);
    ``agreement``: comments someone else coded, for measuring agreement between coders.
    """
    mine = Coding.objects.filter(codebook=codebook, coder=coder).values("item_id")
    skipped = skipped[:MAX_SKIPPED]
    if order == "uncertain":
        suggestion = (
            Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.OPEN)
            .exclude(item_id__in=mine)
            .exclude(item_id__in=skipped)
            .order_by("-uncertainty", "item_id")
            .select_related("item", "item__source")
            .first()
        )
        if suggestion is not None:
            return suggestion.item
        order = "sample"
    items = (
        FeedbackItem.objects.filter(organisation=codebook.organisation)
        .exclude(text="")
        .exclude(pk__in=mine)
        .exclude(pk__in=skipped)
        .select_related("source")
    )
    if order == "agreement":
        others = Coding.objects.filter(codebook=codebook).exclude(coder=coder).values("item_id")
        items = items.filter(pk__in=others)
    else:
        items = items.exclude(pk__in=Coding.objects.filter(codebook=codebook).values("item_id"))
    return items.order_by("fingerprint").first()


def coding_counts(*, codebook: Codebook, coder: User) -> dict[str, int]:
    codings = Coding.objects.filter(codebook=codebook)
    return {
        "mine": codings.filter(coder=coder).count(),
        "comments": codings.values("item_id").distinct().count(),
        "second_look": codings.filter(second_look=True).count(),
    }


def suggestions_open(*, codebook: Codebook) -> QuerySet[Suggestion]:
    return (
        Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.OPEN)
        .select_related("item", "item__source")
        .order_by("confidence", "item_id")
    )


def suggestion_in(*, codebook: Codebook, suggestion_id: int) -> Suggestion:
    return Suggestion.objects.select_related("item").get(codebook=codebook, pk=suggestion_id)
