"""What the theme dashboards show: counts by theme, month, channel and service, co-occurrence, sentiment.

Everything reads CodedItem and ThemeAssignment (one table each, the comment's date, channel, source, project and
service copied in), filtered by the same ``DashboardFilters``, so a view answers from one index whatever the
filter. Figures here are exact: they are for staff inside the organisation. Anything that leaves the building
(the CSV downloads) passes through heard.core.disclosure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from heard.listening.models import FeedbackItem
from heard.understanding.models import (
    Codebook,
    CodedItem,
    MonthlyCommentCount,
    MonthlyPairCount,
    MonthlyPairRollup,
    MonthlyThemeCount,
    MonthlyThemeRollup,
    Theme,
    ThemeAssignment,
)
from heard.understanding.services import summaries
from heard.understanding.services.summaries import summaries_for_reading

TOP_SERVICES = 8
TOP_QUESTIONS = 8
TOP_PAIRS = 15
TREND_THEMES = 6
# Two-sided test at the 5% level: a month's share of comments on a theme is marked as changed when it differs
# from the month before by more than chance would explain.
Z_CRITICAL = 1.96
MIN_MONTH_COMMENTS = 20
# The longest run of months a trend fills in, months without comments included (five years).
MAX_SPAN = 60


@dataclass(frozen=True)
class DashboardFilters:
    date_from: date | None = None
    date_to: date | None = None
    project_id: int | None = None
    channel: str = ""
    source_id: int | None = None
    service: str = ""
    question: str = ""
    # Every way the comments write the service ("A&E" and "a&e"), from service_spellings; the service as given
    # when empty.
    service_spellings: tuple[str, ...] = ()

    def _dimensions_q(self) -> Q:
        condition = Q()
        if self.project_id:
            condition &= Q(project_id=self.project_id)
        if self.channel:
            condition &= Q(channel=self.channel)
        if self.source_id:
            condition &= Q(source_id=self.source_id)
        # A service as the comments write it (service_spellings): compared plainly, so an index serves it.
        if self.service:
            condition &= Q(service__in=self.service_spellings or (self.service,))
        if self.question:
            condition &= Q(question=self.question)
        return condition

    def months_q(self) -> Q:
        """The date range on monthly counts, whose dates are whole months (the form makes them so)."""
        condition = Q()
        if self.date_from:
            condition &= Q(month__gte=self.date_from.replace(day=1))
        if self.date_to:
            condition &= Q(month__lte=self.date_to.replace(day=1))
        return condition

    def as_q(self) -> Q:
        """The filters on the per-comment tables (and on feedback items, which have the same fields)."""
        condition = self._dimensions_q()
        zone = timezone.get_current_timezone()
        if self.date_from:
            condition &= Q(received_at__gte=datetime.combine(self.date_from, time.min, tzinfo=zone))
        if self.date_to:
            condition &= Q(received_at__lte=datetime.combine(self.date_to, time.max, tzinfo=zone))
        return condition

    def summary_q(self) -> Q:
        """The same filters on the monthly counts."""
        return self.months_q() & self._dimensions_q()


def _commonest(counts: QuerySet[MonthlyCommentCount], field: str, limit: int) -> list[str]:
    """The values of a field (service, question) with the most comments, most first; blanks left out."""
    return list(
        counts.exclude(**{field: ""})
        .values(field)
        .annotate(n=Sum("comments"))
        .order_by("-n", field)
        .values_list(field, flat=True)[:limit]
    )


def _service_columns(counts: QuerySet[MonthlyCommentCount], limit: int) -> dict[str, str]:
    """The services with the most comments, as the table by service shows them: each way of writing one ("Ward
    23", "WARD 23") under the way most of its comments write it, so that a column and the comments its numbers
    link to (which the filter finds in every spelling) agree. Maps each spelling to its column; with the comments
    that name no service as a column of their own ("") when there are any, so that a theme's row is not short of
    them."""
    spelled: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for service, comments in (
        counts.values("service").annotate(n=Sum("comments")).order_by().values_list("service", "n")
    ):
        spelled[service.upper()].append((comments, service))
    unnamed = spelled.pop("", None)
    groups: list[tuple[int, str, list[str]]] = []  # comments, the commonest way, every way
    for ways in spelled.values():
        ways.sort(key=lambda way: (-way[0], way[1]))
        groups.append((sum(comments for comments, _ in ways), ways[0][1], [service for _, service in ways]))
    columns: dict[str, str] = {}
    for _, shown, services in sorted(groups, key=lambda group: (-group[0], group[1]))[:limit]:
        columns.update(dict.fromkeys(services, shown))
    if columns and unnamed:
        columns[""] = ""
    return columns


def questions_of(*, codebook: Codebook, limit: int = 50, including: str = "") -> list[str]:
    """The questions the codebook's coded comments answer, most comments first, for choosing one: read from the
    monthly counts. ``including`` is added when the codebook has it, though it is not among the commonest (a
    link from the dashboard to a smaller question)."""
    asked = MonthlyCommentCount.objects.filter(codebook=codebook)
    found = _commonest(asked, "question", limit)
    if including and including not in found and asked.filter(question=including).exists():
        found.append(including)
    return found


def service_spellings(codebook: Codebook, typed: str) -> tuple[str, ...]:
    """Every way the codebook's comments write a service, whatever its case as typed ("a&e" finds "A&E" and
    "a&e"), the way with the most comments first: read once from the monthly counts, so that the counts then
    compare plainly. Just as typed if no comment names it."""
    found = (
        MonthlyCommentCount.objects.filter(codebook=codebook, service__iexact=typed)
        .values("service")
        .annotate(n=Sum("comments"))
        .order_by("-n", "service")
        .values_list("service", flat=True)
    )
    return tuple(found) or (typed,)


def whole_months(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """Dashboards count whole months: the first day of the first month, and the last day of the last."""
    if end is not None:
        end = summaries.month_after(end) - timedelta(days=1)
    return (start.replace(day=1) if start else None), end


def coded_items(codebook: Codebook, filters: DashboardFilters) -> QuerySet[CodedItem]:
    return CodedItem.objects.filter(codebook=codebook).filter(filters.as_q())


def assignments(codebook: Codebook, filters: DashboardFilters) -> QuerySet[ThemeAssignment]:
    return ThemeAssignment.objects.filter(codebook=codebook).filter(filters.as_q())


def comments_behind(
    *,
    codebook: Codebook,
    filters: DashboardFilters,
    theme: Theme | None = None,
    also: Theme | None = None,
    month: date | None = None,
    complex_only: bool = False,
    words: Sequence[str] = (),
) -> QuerySet[FeedbackItem]:
    """The comments behind a dashboard number, newest first: every word must appear in each. With ``also``,
    only the comments given both themes (a pair of themes that come together)."""
    coded = _coded_behind(codebook, filters, theme, also, month, complex_only)
    # The comments carry the same date, channel, source, project and service, so the filters apply to them
    # directly too: the database can then walk the feedback's own date index (docs/performance.md).
    # Not the question, though: an answer's question is on its coded row, and a response that answered several
    # questions has none of its own.
    items = FeedbackItem.objects.filter(organisation_id=codebook.organisation_id).filter(
        replace(filters, question="").as_q()
    )
    if month is not None:
        # A range of times, not a comparison of dates: a date taken from each row could use no index.
        after, before = summaries.month_bounds(month)
        items = items.filter(received_at__gte=after, received_at__lt=before)
    items = items.filter(pk__in=coded.values("item_id"))
    for word in words:
        items = items.filter(text__icontains=word)
    return items.select_related("source").order_by("-received_at", "-id")


def answers_counted_apart(
    *,
    codebook: Codebook,
    item_ids: Sequence[int],
    filters: DashboardFilters,
    theme: Theme | None = None,
    also: Theme | None = None,
    month: date | None = None,
    complex_only: bool = False,
) -> bool:
    """Whether any of these listed items (a page of the comments behind a number) is a survey response coded
    answer by answer there: the dashboard counts each such answer, and the list shows its response once, so the
    two figures differ and the list should say why. Asked of one page's items, so it costs one indexed look
    however many comments lie behind the number."""
    behind = _coded_behind(codebook, filters, theme, also, month, complex_only)
    return behind.filter(item_id__in=list(item_ids), part__gt=0).exists()


def _coded_behind(
    codebook: Codebook,
    filters: DashboardFilters,
    theme: Theme | None,
    also: Theme | None,
    month: date | None,
    complex_only: bool,
) -> QuerySet[CodedItem]:
    coded = coded_items(codebook, filters)
    for one in (theme, also):
        if one is not None:
            # The same comment (item and part) has the theme: a pair is two themes of one comment.
            coded = coded.filter(
                Exists(
                    ThemeAssignment.objects.filter(
                        codebook=codebook, theme=one, item_id=OuterRef("item_id"), part=OuterRef("part")
                    )
                )
            )
    if month is not None:
        after, before = summaries.month_bounds(month)
        coded = coded.filter(received_at__gte=after, received_at__lt=before)
    if complex_only:
        coded = coded.filter(summaries.complex_q())
    return coded


def theme_names_of(*, codebook: Codebook, item_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for item_id, name in ThemeAssignment.objects.filter(codebook=codebook, item_id__in=item_ids).values_list(
        "item_id", "theme__name"
    ):
        names.setdefault(item_id, []).append(name)
    return names


@dataclass
class ThemeRow:
    theme: Theme
    count: int
    share: float  # of the comments counted
    negative: int  # sentiment 4 or 5
    positive: int  # sentiment 1 or 2


@dataclass
class MonthCell:
    count: int
    share: float | None  # None in a month with no comments
    change: str = ""  # "up" or "down" when the share moved by more than chance


@dataclass
class Trend:
    months: list[date]
    totals: list[int]
    rows: list[tuple[Theme, list[MonthCell]]]


@dataclass
class Dashboard:
    comments: int
    by_people: int
    by_model: int
    themes: list[ThemeRow]
    trend: Trend
    channels: list[str]
    by_channel: list[tuple[Theme, list[int]]]
    services: list[str]
    by_service: list[tuple[Theme, list[int]]]
    # The questions with the most comments; "" stands for comments that answer no single question.
    questions: list[str]
    by_question: list[tuple[Theme, list[int]]]
    pairs: list[tuple[Theme, Theme, int]]
    complex_comments: int
    # Months whose counts a background task is still bringing up to date (large codebooks only).
    months_catching_up: int = 0
    # Equality-monitoring answers are special-category data: these counts are shown only above the
    # organisation's small-number threshold, even inside the organisation.
    groups_dimension: str = ""
    groups: list[str] = field(default_factory=list)
    by_group: list[tuple[Theme, list[int]]] = field(default_factory=list)


def two_proportion_z(count_a: int, total_a: int, count_b: int, total_b: int) -> float:
    """The z statistic for the difference between two shares (pooled standard error)."""
    if not total_a or not total_b:
        return 0.0
    pooled = (count_a + count_b) / (total_a + total_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / total_a + 1 / total_b))
    if spread == 0:
        return 0.0
    return (count_b / total_b - count_a / total_a) / spread


def dashboard(*, codebook: Codebook, filters: DashboardFilters, group_by: str = "age_band") -> Dashboard:
    """Everything the dashboard shows, read from the monthly counts (rebuilt first where stale).

    One pass over the monthly theme counts, grouped by theme, month and channel (a few thousand rows however
    many comments), gives the themes table, the trend and the channel table; the rest are small queries.
    """
    catching_up = summaries_for_reading(codebook=codebook)
    themes = {theme.pk: theme for theme in codebook.themes.select_related("category")}
    where = filters.summary_q()
    # Filtered by nothing finer than dates and channel, the roll-ups answer with a fraction of the rows.
    coarse = not (filters.project_id or filters.source_id or filters.service or filters.question)
    rollup = MonthlyThemeRollup.objects.filter(codebook=codebook, theme_id__in=list(themes)).filter(
        filters.months_q()
    )
    comment_counts = MonthlyCommentCount.objects.filter(codebook=codebook).filter(where)
    theme_counts = MonthlyThemeCount.objects.filter(codebook=codebook, theme_id__in=list(themes)).filter(
        where
    )
    totals = comment_counts.aggregate(
        comments=Sum("comments"), by_model=Sum("by_model"), complex=Sum("complex_comments")
    )
    comments = totals["comments"] or 0
    month_totals = {
        entry["month"]: entry["n"]
        for entry in comment_counts.values("month").annotate(n=Sum("comments")).order_by()
    }
    by_theme: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # comments, positive, negative
    by_month: dict[tuple[int, date], int] = defaultdict(int)
    by_channel: dict[tuple[int, str], int] = defaultdict(int)
    by_channel_rows: Any  # values() of either table: the same keys
    if coarse:
        by_channel_rows = (
            rollup.filter(axis="channel", **({"value": filters.channel} if filters.channel else {}))
            .values("theme_id", "month", channel=F("value"))
            .annotate(n=Sum("comments"), positive=Sum("positive"), negative=Sum("negative"))
            .order_by()
        )
    else:
        by_channel_rows = (
            theme_counts.values("theme_id", "month", "channel")
            .annotate(n=Sum("comments"), positive=Sum("positive"), negative=Sum("negative"))
            .order_by()
        )
    for entry in by_channel_rows:
        tally = by_theme[entry["theme_id"]]
        tally[0] += entry["n"]
        tally[1] += entry["positive"]
        tally[2] += entry["negative"]
        by_month[(entry["theme_id"], entry["month"])] += entry["n"]
        by_channel[(entry["theme_id"], entry["channel"])] += entry["n"]
    rows = [
        ThemeRow(
            theme=themes[theme_id],
            count=tally[0],
            share=tally[0] / comments if comments else 0.0,
            positive=tally[1],
            negative=tally[2],
        )
        for theme_id, tally in sorted(by_theme.items(), key=lambda pair: (-pair[1][0], pair[0]))
    ]
    order = [row.theme.pk for row in rows]
    trend = _trend(month_totals, by_month, themes, order[:TREND_THEMES])
    channels, channel_table = _table(by_channel, themes, order)
    # Services and questions: the commonest few, each counted by theme from the roll-ups where they answer.
    use_rollup = coarse and not filters.channel

    def by_dimension(field: str, columns: dict[str, str]) -> tuple[list[str], list[tuple[Theme, list[int]]]]:
        """Counts by theme for the values in ``columns``, each counted under its column's name."""
        values = list(columns)
        rows: Any = (
            rollup.filter(axis=field, value__in=values).values("theme_id", **{field: F("value")})
            if use_rollup
            else theme_counts.filter(**{f"{field}__in": values}).values("theme_id", field)
        )
        counts: dict[tuple[int, str], int] = defaultdict(int)
        for entry in rows.annotate(n=Sum("comments")).order_by():
            counts[(entry["theme_id"], columns[entry[field]])] += entry["n"]
        return _table(counts, themes, order)

    services, service_table = by_dimension("service", _service_columns(comment_counts, TOP_SERVICES))
    top_questions = _commonest(comment_counts, "question", TOP_QUESTIONS)
    # With the comments that answer no single question, as a column of their own.
    questions, question_table = by_dimension(
        "question", {question: question for question in [*top_questions, ""]} if top_questions else {}
    )
    # Pairs by channel alone where the filters allow: a few thousand rows rather than every dimension's.
    pair_counts: Any = (
        MonthlyPairRollup.objects.filter(codebook=codebook)
        .filter(filters.months_q())
        .filter(**({"channel": filters.channel} if filters.channel else {}))
        if coarse
        else MonthlyPairCount.objects.filter(codebook=codebook).filter(where)
    )
    pairs = [
        (themes[entry["first_theme_id"]], themes[entry["second_theme_id"]], entry["n"])
        for entry in pair_counts.filter(first_theme_id__in=list(themes), second_theme_id__in=list(themes))
        .values("first_theme_id", "second_theme_id")
        .annotate(n=Sum("comments"))
        .order_by("-n", "first_theme_id", "second_theme_id")[:TOP_PAIRS]
    ]
    return Dashboard(
        comments=comments,
        by_people=comments - (totals["by_model"] or 0),
        by_model=totals["by_model"] or 0,
        themes=rows,
        trend=trend,
        channels=channels,
        by_channel=channel_table,
        services=services,
        by_service=service_table,
        questions=questions,
        by_question=question_table,
        pairs=pairs,
        complex_comments=totals["complex"] or 0,
        months_catching_up=catching_up,
        **_by_group(codebook, filters, themes, order, group_by),
    )


def _every_month(months: list[date]) -> list[date]:
    """The months from the first to the last, with those that have no comments put back in their places, so a
    chart's months are evenly spaced. Over more than five years (one comment dated years before the rest, say)
    only the months with comments are kept, rather than hundreds of empty columns."""
    if not months or (months[-1].year - months[0].year) * 12 + months[-1].month - months[0].month >= MAX_SPAN:
        return months
    every = [months[0]]
    while every[-1] < months[-1]:
        every.append(summaries.month_after(every[-1]))
    return every


def _trend(
    month_totals: dict[date, int],
    counts: dict[tuple[int, date], int],
    themes: dict[int, Theme],
    theme_ids: list[int],
) -> Trend:
    months = _every_month(sorted(month_totals))
    month_totals = {month: month_totals.get(month, 0) for month in months}
    rows = []
    for theme_id in theme_ids:
        cells = []
        for index, month in enumerate(months):
            total = month_totals[month]
            count = counts.get((theme_id, month), 0)
            cell = MonthCell(count=count, share=count / total if total else None)
            if index and summaries.month_after(months[index - 1]) == month:  # only ever the month just before
                before = months[index - 1]
                before_total = month_totals[before]
                if min(total, before_total) >= MIN_MONTH_COMMENTS:
                    z = two_proportion_z(counts.get((theme_id, before), 0), before_total, count, total)
                    if abs(z) >= Z_CRITICAL:
                        cell.change = "up" if z > 0 else "down"
            cells.append(cell)
        rows.append((themes[theme_id], cells))
    return Trend(months=months, totals=[month_totals[month] for month in months], rows=rows)


def _table(
    counts: dict[tuple[int, str], int], themes: dict[int, Theme], theme_order: list[int]
) -> tuple[list[str], list[tuple[Theme, list[int]]]]:
    columns: dict[str, int] = defaultdict(int)
    for (_, name), count in counts.items():
        columns[name] += count
    ordered = sorted(columns, key=lambda name: (-columns[name], name))
    table = [
        (themes[theme_id], [counts.get((theme_id, name), 0) for name in ordered])
        for theme_id in theme_order
        if any(counts.get((theme_id, name)) for name in ordered)
    ]
    return ordered, table


GROUP_DIMENSIONS = {
    "age_band": "age",
    "sex": "sex",
    "ethnic_group": "ethnic group",
    "condition_limits_activities": "disability",
}


def _by_group(
    codebook: Codebook,
    filters: DashboardFilters,
    themes: dict[int, Theme],
    theme_order: list[int],
    dimension: str,
) -> dict[str, Any]:
    """Themes by the answer respondents gave to one equality-monitoring question (survey comments only)."""
    from heard.listening.equality import QUESTIONS
    from heard.listening.models import Answer

    if dimension not in GROUP_DIMENSIONS:
        return {}
    labels = {
        choice["value"]: choice["label"].split(": ")[-1]
        for question in QUESTIONS
        if question.key == dimension
        for choice in question.choices
    }
    # From the answers first: survey respondents are few beside all the comments, so this stays small.
    answered = Answer.objects.filter(
        item__organisation_id=codebook.organisation_id,
        question__key=dimension,
        question__is_equality_monitoring=True,
    )
    answers = dict(answered.values_list("item_id", "choices"))
    chosen = assignments(codebook, filters)
    if not answers:
        return {"groups_dimension": GROUP_DIMENSIONS[dimension]}
    counts: dict[tuple[int, str], int] = defaultdict(int)
    # A subquery, not the ids themselves: many respondents' ids would make a statement too long to send.
    # People, not answers: a response whose several answers share a theme counts once for it.
    for item_id, theme_id in set(
        chosen.filter(item_id__in=answered.values("item_id")).values_list("item_id", "theme_id")
    ):
        value = (answers[item_id] or [""])[0]
        counts[(theme_id, value)] += 1
    order = [value for value in labels if any(key[1] == value for key in counts)]
    return {
        "groups_dimension": GROUP_DIMENSIONS[dimension],
        "groups": [labels[value] for value in order],
        "by_group": [
            (themes[theme_id], [counts.get((theme_id, value), 0) for value in order])
            for theme_id in theme_order
            if any(counts.get((theme_id, value)) for value in order)
        ],
    }
