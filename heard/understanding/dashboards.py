"""What the theme dashboards show: counts by theme, month, channel and service, co-occurrence, sentiment.

Everything reads CodedItem and ThemeAssignment (one table each, the comment's date, channel, source, project and
service copied in), filtered by the same ``DashboardFilters``, so a view answers from one index whatever the
filter. Figures here are exact: they are for staff inside the organisation. Anything that leaves the building
(the CSV downloads) passes through heard.core.disclosure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from heard.understanding.models import Codebook, CodedItem, Theme, ThemeAssignment

TOP_SERVICES = 8
TOP_PAIRS = 15
TREND_THEMES = 6
# Two-sided test at the 5% level: a month's share of comments on a theme is marked as changed when it differs
# from the month before by more than chance would explain.
Z_CRITICAL = 1.96
MIN_MONTH_COMMENTS = 20


@dataclass(frozen=True)
class DashboardFilters:
    date_from: date | None = None
    date_to: date | None = None
    project_id: int | None = None
    channel: str = ""
    source_id: int | None = None
    service: str = ""

    def as_q(self) -> Q:
        condition = Q()
        zone = timezone.get_current_timezone()
        if self.date_from:
            condition &= Q(received_at__gte=datetime.combine(self.date_from, time.min, tzinfo=zone))
        if self.date_to:
            condition &= Q(received_at__lte=datetime.combine(self.date_to, time.max, tzinfo=zone))
        if self.project_id:
            condition &= Q(project_id=self.project_id)
        if self.channel:
            condition &= Q(channel=self.channel)
        if self.source_id:
            condition &= Q(source_id=self.source_id)
        if self.service:
            condition &= Q(service=self.service)
        return condition


def coded_items(codebook: Codebook, filters: DashboardFilters) -> QuerySet[CodedItem]:
    return CodedItem.objects.filter(codebook=codebook).filter(filters.as_q())


def assignments(codebook: Codebook, filters: DashboardFilters) -> QuerySet[ThemeAssignment]:
    return ThemeAssignment.objects.filter(codebook=codebook).filter(filters.as_q())


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
    share: float
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
    pairs: list[tuple[Theme, Theme, int]]
    complex_comments: int
    # Equality-monitoring answers are special-category data: these counts are shown only above the
    # organisation's small-number threshold, even inside the organisation.
    groups_dimension: str = ""
    groups: list[str] = field(default_factory=list)
    by_group: list[tuple[Theme, list[int]]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


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
    themes = {theme.pk: theme for theme in codebook.themes.select_related("category")}
    items = coded_items(codebook, filters)
    totals = items.aggregate(
        comments=Count("pk"),
        by_model=Count("pk", filter=Q(by_model=True)),
        complex=Count("pk", filter=Q(theme_count__gte=3) | Q(words__gte=COMPLEX_WORDS)),
    )
    comments = totals["comments"]
    chosen = assignments(codebook, filters)
    rows = []
    for entry in (
        chosen.values("theme_id")
        .annotate(
            count=Count("pk"),
            negative=Count("pk", filter=Q(sentiment__gte=4)),
            positive=Count("pk", filter=Q(sentiment__lte=2)),
        )
        .order_by("-count", "theme_id")
    ):
        theme = themes[entry["theme_id"]]
        rows.append(
            ThemeRow(
                theme=theme,
                count=entry["count"],
                share=entry["count"] / comments if comments else 0.0,
                negative=entry["negative"],
                positive=entry["positive"],
            )
        )
    trend = _trend(items, chosen, themes, [row.theme.pk for row in rows[:TREND_THEMES]])
    channels, by_channel = _crosstab(chosen, "channel", themes, [row.theme.pk for row in rows])
    top_services = [
        entry["service"]
        for entry in items.exclude(service="")
        .values("service")
        .annotate(n=Count("pk"))
        .order_by("-n", "service")[:TOP_SERVICES]
    ]
    services, by_service = _crosstab(
        chosen.filter(service__in=top_services), "service", themes, [row.theme.pk for row in rows]
    )
    return Dashboard(
        comments=comments,
        by_people=comments - totals["by_model"],
        by_model=totals["by_model"],
        themes=rows,
        trend=trend,
        channels=channels,
        by_channel=by_channel,
        services=services,
        by_service=by_service,
        pairs=_pairs(chosen, themes),
        complex_comments=totals["complex"],
        **_by_group(chosen, themes, [row.theme.pk for row in rows], group_by),
    )


GROUP_DIMENSIONS = {
    "age_band": "age",
    "sex": "sex",
    "ethnic_group": "ethnic group",
    "condition_limits_activities": "disability",
}


def _by_group(
    chosen: QuerySet[ThemeAssignment], themes: dict[int, Theme], theme_order: list[int], dimension: str
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
    answers = dict(
        Answer.objects.filter(
            item_id__in=chosen.values("item_id"),
            question__key=dimension,
            question__is_equality_monitoring=True,
        ).values_list("item_id", "choices")
    )
    if not answers:
        return {"groups_dimension": GROUP_DIMENSIONS[dimension]}
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for item_id, theme_id in chosen.filter(item_id__in=list(answers)).values_list("item_id", "theme_id"):
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


COMPLEX_WORDS = 120


def _trend(
    items: QuerySet[CodedItem],
    chosen: QuerySet[ThemeAssignment],
    themes: dict[int, Theme],
    theme_ids: list[int],
) -> Trend:
    month_totals = {
        _month(entry["month"]): entry["n"]
        for entry in items.annotate(month=TruncMonth("received_at")).values("month").annotate(n=Count("pk"))
    }
    months = sorted(month_totals)
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for entry in (
        chosen.filter(theme_id__in=theme_ids)
        .annotate(month=TruncMonth("received_at"))
        .values("month", "theme_id")
        .annotate(n=Count("pk"))
    ):
        counts[(entry["theme_id"], _month(entry["month"]))] = entry["n"]
    rows = []
    for theme_id in theme_ids:
        cells = []
        for index, month in enumerate(months):
            total = month_totals[month]
            count = counts[(theme_id, month)]
            cell = MonthCell(count=count, share=count / total if total else 0.0)
            if index:
                before = months[index - 1]
                before_total = month_totals[before]
                if min(total, before_total) >= MIN_MONTH_COMMENTS:
                    z = two_proportion_z(counts[(theme_id, before)], before_total, count, total)
                    if abs(z) >= Z_CRITICAL:
                        cell.change = "up" if z > 0 else "down"
            cells.append(cell)
        rows.append((themes[theme_id], cells))
    return Trend(months=months, totals=[month_totals[month] for month in months], rows=rows)


def _month(value: datetime | date) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


def _crosstab(
    chosen: QuerySet[ThemeAssignment], column: str, themes: dict[int, Theme], theme_order: list[int]
) -> tuple[list[str], list[tuple[Theme, list[int]]]]:
    counts: dict[tuple[int, str], int] = {}
    columns: dict[str, int] = defaultdict(int)
    for entry in chosen.values("theme_id", column).annotate(n=Count("pk")):
        counts[(entry["theme_id"], entry[column])] = entry["n"]
        columns[entry[column]] += entry["n"]
    ordered = sorted(columns, key=lambda name: (-columns[name], name))
    table = [
        (themes[theme_id], [counts.get((theme_id, name), 0) for name in ordered])
        for theme_id in theme_order
        if any(counts.get((theme_id, name)) for name in ordered)
    ]
    return ordered, table


def _pairs(chosen: QuerySet[ThemeAssignment], themes: dict[int, Theme]) -> list[tuple[Theme, Theme, int]]:
    """The themes most often given to the same comment, counted in the database."""
    inner, params = chosen.values("item_id", "theme_id").query.sql_with_params()
    sql = (
        f"SELECT a.theme_id, b.theme_id, COUNT(*) FROM ({inner}) a JOIN ({inner}) b "  # noqa: S608 - the ORM's SQL
        "ON a.item_id = b.item_id AND a.theme_id < b.theme_id "
        f"GROUP BY a.theme_id, b.theme_id ORDER BY COUNT(*) DESC, a.theme_id, b.theme_id LIMIT {TOP_PAIRS}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        return [(themes[first], themes[second], count) for first, second, count in cursor.fetchall()]
