"""Monthly counts for the dashboards, kept from CodedItem and ThemeAssignment a month at a time.

Saving coding or suggestions marks the months of the comments touched as stale (cheap, in the same
transaction). Before a dashboard reads the counts, stale months are rebuilt from the per-comment tables: a
month holds a twenty-fourth of two years' comments, so a rebuild is small however large the store grows, and
the dashboard then reads a few thousand monthly rows instead of every comment (docs/adr/0018-dashboards.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from heard.understanding.models import (
    Codebook,
    CodedItem,
    MonthlyCommentCount,
    MonthlyPairCount,
    MonthlyPairRollup,
    MonthlyThemeCount,
    MonthlyThemeRollup,
    StaleMonth,
    ThemeAssignment,
)

COMPLEX_THEMES = 3
COMPLEX_WORDS = 120
DIMENSIONS = ("channel", "source_id", "project_id", "service", "question")


def complex_q() -> Q:
    """A "complex" comment: three or more themes, or long."""
    return Q(theme_count__gte=COMPLEX_THEMES) | Q(words__gte=COMPLEX_WORDS)


def month_of(moment: datetime) -> date:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return date(local.year, local.month, 1)


def month_after(month: date) -> date:
    """The first day of the month after this one."""
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(month, time.min)),
        timezone.make_aware(datetime.combine(month_after(month), time.min)),
    )


def months_mark_stale(*, codebook: Codebook, moments: Iterable[datetime]) -> None:
    months = {month_of(moment) for moment in moments}
    if not months:
        return
    now = timezone.now()
    StaleMonth.objects.bulk_create(
        [StaleMonth(codebook=codebook, month=month, marked_at=now) for month in sorted(months)],
        update_conflicts=True,
        unique_fields=["codebook", "month"],
        update_fields=["marked_at"],
    )


# Up to this many coded comments, a reader rebuilds stale months itself (well under a second); above it, a
# background task does, and the dashboard says its figures are catching up (docs/performance.md).
INLINE_REBUILD_MAX_COMMENTS = 50_000
REQUEUE_AFTER_SECONDS = 300
# A rebuild of this many months (a training run's, or a first build: most of a codebook's counts) refreshes
# PostgreSQL's statistics of the count tables at once, rather than when autovacuum next comes round.
ANALYZE_AFTER_MONTHS = 6
SUMMARY_TABLES = (
    MonthlyCommentCount,
    MonthlyThemeCount,
    MonthlyThemeRollup,
    MonthlyPairCount,
    MonthlyPairRollup,
)


def summaries_for_reading(*, codebook: Codebook) -> int:
    """Makes the counts current before a dashboard reads them, or has them made: returns the months still stale."""
    stale = StaleMonth.objects.filter(codebook=codebook)
    if not stale.exists():
        return 0
    size = CodedItem.objects.filter(codebook=codebook)[: INLINE_REBUILD_MAX_COMMENTS + 1].count()
    if size <= INLINE_REBUILD_MAX_COMMENTS:
        summaries_bring_up_to_date(codebook=codebook)
        return 0
    now = timezone.now()
    recently = now - timedelta(seconds=REQUEUE_AFTER_SECONDS)
    if stale.filter(Q(queued_at__isnull=True) | Q(queued_at__lt=recently)).exists():
        stale.update(queued_at=now)
        from heard.understanding.tasks import monthly_counts_rebuild

        monthly_counts_rebuild.enqueue(codebook_id=codebook.pk)
    return stale.count()


def summaries_bring_up_to_date(*, codebook: Codebook, refresh_statistics: bool = False) -> int:
    """Rebuilds every stale month of the codebook; returns how many were rebuilt. With ``refresh_statistics``
    (the background rebuild and training, never a page a person waits for), a rebuild of many months tells
    PostgreSQL the tables' new sizes."""
    rebuilt = 0
    for mark in list(StaleMonth.objects.filter(codebook=codebook).order_by("month")):
        _rebuild(codebook, mark.month)
        # A month marked again while it was rebuilt keeps its newer mark, and is rebuilt next time.
        StaleMonth.objects.filter(pk=mark.pk, marked_at__lte=mark.marked_at).delete()
        rebuilt += 1
    if refresh_statistics and rebuilt >= ANALYZE_AFTER_MONTHS:
        _statistics_refresh()
    return rebuilt


def _statistics_refresh() -> None:
    """Tells PostgreSQL's planner how large the count tables now are. Until it knows, it plans from the last
    look (an empty table, after a first build), and the dashboard's pairs, summed by sorting on disk rather than
    in a hash, took three times as long (docs/performance.md). A sample of each table: a fraction of a second.
    The tables hold every organisation's counts: a table another analysis or autovacuum is busy with is skipped,
    not waited for."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in SUMMARY_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE (SKIP_LOCKED) {tables}")


@transaction.atomic
def _rebuild(codebook: Codebook, month: date) -> None:
    start, end = month_bounds(month)
    in_month = Q(codebook=codebook, received_at__gte=start, received_at__lt=end)
    MonthlyCommentCount.objects.filter(codebook=codebook, month=month).delete()
    MonthlyThemeCount.objects.filter(codebook=codebook, month=month).delete()
    MonthlyThemeRollup.objects.filter(codebook=codebook, month=month).delete()
    MonthlyPairCount.objects.filter(codebook=codebook, month=month).delete()
    MonthlyPairRollup.objects.filter(codebook=codebook, month=month).delete()
    MonthlyCommentCount.objects.bulk_create(
        MonthlyCommentCount(codebook=codebook, month=month, **row)
        for row in CodedItem.objects.filter(in_month)
        .values(*DIMENSIONS)
        .annotate(
            comments=Count("pk"),
            by_model=Count("pk", filter=Q(by_model=True)),
            complex_comments=Count("pk", filter=complex_q()),
        )
        .order_by()
    )
    fine = [
        MonthlyThemeCount(codebook=codebook, month=month, **row)
        for row in ThemeAssignment.objects.filter(in_month)
        .values("theme_id", *DIMENSIONS)
        .annotate(
            comments=Count("pk"),
            positive=Count("pk", filter=Q(sentiment__lte=2)),
            negative=Count("pk", filter=Q(sentiment__gte=4)),
        )
        .order_by()
    ]
    MonthlyThemeCount.objects.bulk_create(fine, batch_size=5_000)
    rolled: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in fine:
        for axis, value in (("channel", row.channel), ("service", row.service), ("question", row.question)):
            tally = rolled[(row.theme_id, axis, value)]
            tally[0] += row.comments
            tally[1] += row.positive
            tally[2] += row.negative
    MonthlyThemeRollup.objects.bulk_create(
        (
            MonthlyThemeRollup(
                codebook=codebook,
                month=month,
                theme_id=theme_id,
                axis=axis,
                value=value,
                comments=comments,
                positive=positive,
                negative=negative,
            )
            for (theme_id, axis, value), (comments, positive, negative) in rolled.items()
        ),
        batch_size=5_000,
    )
    pairs = _pairs(in_month)
    MonthlyPairCount.objects.bulk_create(
        (MonthlyPairCount(codebook=codebook, month=month, **pair) for pair in pairs), batch_size=5_000
    )
    by_channel: dict[tuple[int, int, str], int] = defaultdict(int)
    for pair in pairs:
        by_channel[(pair["first_theme_id"], pair["second_theme_id"], pair["channel"])] += pair["comments"]
    MonthlyPairRollup.objects.bulk_create(
        (
            MonthlyPairRollup(
                codebook=codebook,
                month=month,
                first_theme_id=first,
                second_theme_id=second,
                channel=channel,
                comments=comments,
            )
            for (first, second, channel), comments in by_channel.items()
        ),
        batch_size=5_000,
    )


def _pairs(in_month: Q) -> list[dict[str, Any]]:
    inner, params = (
        ThemeAssignment.objects.filter(in_month)
        .values("item_id", "part", "theme_id", *DIMENSIONS)
        .query.sql_with_params()
    )
    sql = (
        "SELECT a.theme_id, b.theme_id, a.channel, a.source_id, a.project_id, a.service, a.question, "  # noqa: S608
        f"COUNT(*) FROM ({inner}) a JOIN ({inner}) b ON a.item_id = b.item_id AND a.part = b.part "
        "AND a.theme_id < b.theme_id "
        "GROUP BY a.theme_id, b.theme_id, a.channel, a.source_id, a.project_id, a.service, a.question"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        rows = cursor.fetchall()
    merged: dict[tuple[object, ...], int] = defaultdict(int)
    for first, second, channel, source_id, project_id, service, question, count in rows:
        merged[(first, second, channel, source_id, project_id, service, question)] += count
    return [
        {
            "first_theme_id": first,
            "second_theme_id": second,
            "channel": channel,
            "source_id": source_id,
            "project_id": project_id,
            "service": service,
            "question": question,
            "comments": count,
        }
        for (first, second, channel, source_id, project_id, service, question), count in merged.items()
    ]
