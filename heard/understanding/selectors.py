"""Reading codebooks, coding and suggestions, always within one organisation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from heard.core.models import Organisation, User
from heard.listening.models import FeedbackItem
from heard.projects.models import Project
from heard.understanding.comments import WHOLE, Comment, comments_of, may_come_apart, open_answers_count
from heard.understanding.models import (
    Codebook,
    CodedItem,
    Coding,
    CodingOrigin,
    PopulationProfile,
    Sentiment,
    Suggestion,
    SuggestionStatus,
    Theme,
    ThemeAssignment,
    ThemeModelRun,
    TrainingStatus,
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
        # Comments people coded or checked one by one (the training data): not suggestions accepted in bulk.
        coded=_count_per_codebook(
            Coding.objects.exclude(origin=CodingOrigin.ACCEPTED_IN_BULK), Count("item", distinct=True)
        ),
    )


def read_codings(codebook: Codebook) -> QuerySet[Coding]:
    """Codings someone made or checked comment by comment: not sure suggestions accepted together, which are still
    the model's word (not training data, nor a colleague's coding to agree with)."""
    return Coding.objects.filter(codebook=codebook).exclude(origin=CodingOrigin.ACCEPTED_IN_BULK)


def accepted_in_bulk(codebook: Codebook) -> QuerySet[Coding]:
    """The other codings: sure suggestions accepted together, which nobody read one by one."""
    return Coding.objects.filter(codebook=codebook, origin=CodingOrigin.ACCEPTED_IN_BULK)


def latest_codings(
    *,
    codebook: Codebook,
    item_ids: Iterable[int] | None = None,
    with_items: bool = False,
    read_by_a_person: bool = False,
) -> dict[tuple[int, int], Coding]:
    """Each coded comment's latest coding (by when, then by id), with its themes: the one that counts. Keyed by
    (item, part) (heard.understanding.comments). With ``read_by_a_person``, only codings someone made or checked
    comment by comment: not sure suggestions accepted together."""
    codings = read_codings(codebook) if read_by_a_person else Coding.objects.filter(codebook=codebook)
    codings = codings.prefetch_related("themes")
    if item_ids is not None:
        codings = codings.filter(item_id__in=item_ids)
    if with_items:
        codings = codings.select_related("item")
    latest: dict[tuple[int, int], Coding] = {}
    for coding in codings.order_by("coded_at", "id"):
        latest[(coding.item_id, coding.part)] = coding
    return latest


def population_profiles(*, organisation: Organisation) -> QuerySet[PopulationProfile]:
    return PopulationProfile.objects.filter(organisation=organisation)


def population_latest(*, organisation: Organisation) -> PopulationProfile | None:
    """The population profile loaded last, which reports compare with."""
    return population_profiles(organisation=organisation).order_by("-created_at", "-id").first()


def codebook_in(*, organisation: Organisation, codebook_id: int) -> Codebook:
    return Codebook.objects.get(organisation=organisation, pk=codebook_id)


def themes_of(*, codebook: Codebook, include_retired: bool = True) -> list[Theme]:
    # Each theme's examples to train on: codings people made or checked one by one, not those accepted in bulk.
    themes = codebook.themes.select_related("category").annotate(
        coded=Count("codings", filter=~Q(codings__origin=CodingOrigin.ACCEPTED_IN_BULK), distinct=True)
    )
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


def latest_model(*, codebook: Codebook) -> ThemeModelRun | None:
    """The codebook's latest finished model: the one that suggests themes (its file is not read here)."""
    return codebook.model_runs.filter(status=TrainingStatus.DONE).defer("model_file").first()


def model_runs_of(*, codebook: Codebook) -> QuerySet[ThemeModelRun]:
    return codebook.model_runs.defer("model_file")


def item_for_coding(*, codebook: Codebook, item_id: int) -> FeedbackItem:
    return FeedbackItem.objects.select_related("source").get(organisation=codebook.organisation, pk=item_id)


def coding_of(*, codebook: Codebook, item: FeedbackItem, part: int, coder: User) -> Coding | None:
    return (
        Coding.objects.filter(codebook=codebook, item=item, part=part, coder=coder)
        .prefetch_related("themes")
        .first()
    )


def _awaiting_second_look(codebook: Codebook) -> QuerySet[Coding]:
    """Codings marked "needs a second look" that are still the comment's latest: once someone codes the comment
    again without the mark, it has had its second look."""
    later = Coding.objects.filter(
        codebook=codebook,
        item_id=OuterRef("item_id"),
        part=OuterRef("part"),
        coded_at__gt=OuterRef("coded_at"),
    )
    return (
        Coding.objects.filter(codebook=codebook, second_look=True, item__organisation=codebook.organisation)
        .exclude(Exists(later))
        .annotate(answered=Coalesce(open_answers_count("item_id"), 0))
        .exclude(_whole_of_apart("item__"))  # a response's old whole coding, since coded answer by answer
    )


def second_look_for(*, codebook: Codebook, item: FeedbackItem, part: int) -> Coding | None:
    """The coding that asked for a second look at this comment, if it still waits for one."""
    return _awaiting_second_look(codebook).filter(item=item, part=part).select_related("coder").first()


def open_suggestion_for(*, codebook: Codebook, item: FeedbackItem, part: int) -> Suggestion | None:
    return Suggestion.objects.filter(
        codebook=codebook, item=item, part=part, status=SuggestionStatus.OPEN
    ).first()


def _coded_by(codebook: Codebook, coder: User | None = None) -> QuerySet[Coding]:
    """Codings of the comment in the outer query (its item and part), by this coder or by anyone."""
    codings = Coding.objects.filter(codebook=codebook, item_id=OuterRef("item_id"), part=OuterRef("part"))
    return codings.filter(coder=coder) if coder is not None else codings


def _whole_of_apart(prefix: str) -> Q:
    """A row naming the whole of a response that comes apart (coded or suggested before ADR 0022): the coding
    page never shows such a comment, so the queues must not offer it."""
    return Q(part=WHOLE, answered__gte=2) & may_come_apart(prefix)


def uncoded_items(codebook: Codebook) -> QuerySet[FeedbackItem]:
    """Items with a comment nobody has coded: an item without codings; or a response coded answer by answer
    with an answer still to code; or one coded whole before, none of whose answers is coded (it counts whole).
    NOT EXISTS, not NOT IN: at a million items the codings' ids no longer fit in memory (docs/performance.md).
    """
    codings = Coding.objects.filter(codebook=codebook, item_id=OuterRef("pk"))
    parts_coded = (
        codings.exclude(part=WHOLE).values("item_id").annotate(n=Count("part", distinct=True)).values("n")[:1]
    )
    single = ~may_come_apart()  # can only be coded whole
    return (
        FeedbackItem.objects.filter(organisation=codebook.organisation)
        .exclude(text="")
        .exclude(single & Exists(codings))
        .annotate(parts_coded=Coalesce(Subquery(parts_coded), 0), answered=Coalesce(open_answers_count(), 0))
        .exclude(Exists(codings.filter(part=WHOLE)) & Q(parts_coded=0))
        .exclude(~single & Q(parts_coded__gt=0, parts_coded__gte=F("answered")))
    )


def next_to_code(
    *, codebook: Codebook, coder: User, order: str, skipped: list[int]
) -> tuple[FeedbackItem, int] | None:
    """The next comment for this coder: its item and part (heard.understanding.comments).

    ``uncertain``: where the latest model is least sure, which teaches it most; ``sample``: comments nobody has
    coded, in an order fixed by their fingerprints (a random sample that stays put as people code);
    ``agreement``: comments someone else coded, for measuring agreement between coders; ``second_look``: comments
    whose latest coding asks for a second look, the oldest first.
    """
    skipped = skipped[:MAX_SKIPPED]
    if order == "second_look":
        flagged = (
            _awaiting_second_look(codebook)
            .exclude(item_id__in=skipped)
            .order_by("coded_at", "item_id", "part")
            .select_related("item", "item__source")
            .first()
        )
        return (flagged.item, flagged.part) if flagged is not None else None
    if order == "uncertain":
        suggestion = (
            Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.OPEN)
            .exclude(Exists(_coded_by(codebook, coder)))
            .exclude(item_id__in=skipped)
            .annotate(answered=Coalesce(open_answers_count("item_id"), 0))
            .exclude(_whole_of_apart("item__"))
            .order_by("-uncertainty", "item_id", "part")
            .select_related("item", "item__source")
            .first()
        )
        if suggestion is not None:
            return suggestion.item, suggestion.part
        order = "sample"
    if order == "agreement":
        theirs = (
            read_codings(codebook)
            .filter(item__organisation=codebook.organisation)
            .exclude(coder=coder)
            .exclude(Exists(_coded_by(codebook, coder)))
            .exclude(item_id__in=skipped)
            .annotate(answered=Coalesce(open_answers_count("item_id"), 0))
            .exclude(_whole_of_apart("item__"))
            .order_by("item__fingerprint", "item_id", "part")
            .select_related("item", "item__source")
            .first()
        )
        return (theirs.item, theirs.part) if theirs is not None else None
    items = (
        uncoded_items(codebook).exclude(pk__in=skipped).select_related("source").order_by("fingerprint", "pk")
    )
    start = 0
    while True:  # a few candidates at a time: almost always the first is the one
        window = list(items[start : start + 50])
        if not window:
            return None
        waiting = uncoded_comments(codebook, window)
        if waiting:
            return next(item for item in window if item.pk == waiting[0].item_id), waiting[0].part
        start += 50


def coded_keys(codebook: Codebook, item_ids: Iterable[int]) -> set[tuple[int, int]]:
    """The comments of these items that someone has coded, as (item, part)."""
    return set(Coding.objects.filter(codebook=codebook, item_id__in=item_ids).values_list("item_id", "part"))


def uncoded_comments(codebook: Codebook, items: Sequence[FeedbackItem]) -> list[Comment]:
    """The comments of these items that nobody has coded, in order."""
    done = coded_keys(codebook, [item.pk for item in items])
    return [comment for comment in comments_of(items) if comment.key not in done]


def coding_counts(*, codebook: Codebook, coder: User) -> dict[str, int]:
    """Comments coded by people (read one by one: what training learns from), those of them ``coder`` coded,
    the model's suggestions accepted in bulk on top, and those waiting for a second look."""
    read = read_codings(codebook)
    in_bulk = (
        accepted_in_bulk(codebook)
        .exclude(Exists(read.filter(item=OuterRef("item"), part=OuterRef("part"))))
        .values("item_id", "part")
        .distinct()
    )
    return {
        "mine": read.filter(coder=coder).count(),
        "comments": read.values("item_id", "part").distinct().count(),
        "in_bulk": in_bulk.count(),
        "second_look": _awaiting_second_look(codebook).count(),
    }


def suggestions_open(*, codebook: Codebook) -> QuerySet[Suggestion]:
    return (
        Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.OPEN)
        .select_related("item", "item__source")
        .order_by("confidence", "item_id")
    )


def suggestion_in(*, codebook: Codebook, suggestion_id: int) -> Suggestion:
    return Suggestion.objects.select_related("item").get(codebook=codebook, pk=suggestion_id)


def comment_panel(item: FeedbackItem) -> dict[str, object]:
    """What a comment's page shows of its themes: in each codebook, its coding as the dashboards count it (a
    person's, or the model's suggestion), answer by answer for a response coded that way."""
    counted = (
        CodedItem.objects.filter(item=item, organisation_id=item.organisation_id)
        .select_related("codebook")
        .order_by("codebook__name", "part")
    )
    named: dict[tuple[int, int], list[str]] = {(one.codebook_id, one.part): [] for one in counted}
    for codebook_id, part, name in (
        ThemeAssignment.objects.filter(item=item, organisation_id=item.organisation_id)
        .order_by("theme__code")
        .values_list("codebook_id", "part", "theme__name")
    ):
        named.setdefault((codebook_id, part), []).append(name)
    sentiments = dict(Sentiment.choices)
    return {
        "item": item,
        "coded": [
            {
                "codebook": one.codebook,
                "part": one.part,
                "question": one.question,
                "themes": named[(one.codebook_id, one.part)],
                "sentiment": sentiments.get(one.sentiment) if one.sentiment else "",
                "by_model": one.by_model,
            }
            for one in counted
        ],
        "codebooks": list(Codebook.objects.filter(organisation_id=item.organisation_id).order_by("name")),
    }


def project_panel(project: Project) -> dict[str, object]:
    """Where a project's page leads for its themes and its respondents."""
    return {
        "project": project,
        "codebooks": list(Codebook.objects.filter(organisation_id=project.organisation_id).order_by("name")),
    }
