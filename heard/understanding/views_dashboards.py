"""Theme dashboards and the comments behind every number: filters in the address, charts with their tables,
CSV (small numbers protected) and SVG downloads."""

from __future__ import annotations

import html
import re
from datetime import date
from functools import partial
from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe

from heard.core.access import permission_required
from heard.core.audit import audit_record
from heard.core.disclosure import SmallNumberRule, protected, protected_ratio, protected_value
from heard.core.http import HeardRequest
from heard.core.spreadsheets import csv_text
from heard.listening.models import Channel, FeedbackItem
from heard.understanding import charts, dashboards, pictures, selectors
from heard.understanding.forms import DashboardFilterForm
from heard.understanding.models import Codebook, Theme
from heard.understanding.services.summaries import summaries_for_reading
from heard.understanding.views import _codebook_or_404

PAGE_SIZE = 25
# Counting every match of a common theme among a million comments took seconds; past this, "more than".
COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """Counts up to COUNT_CAP + 1 and no further: enough to page through, and to say "more than 1,000"."""

    @cached_property
    def count(self) -> int:
        matches = cast(QuerySet[FeedbackItem], self.object_list)
        return matches[: COUNT_CAP + 1].count()


DOWNLOADS = ("themes", "months", "channels", "services", "questions", "groups", "pairs")
PICTURES = ("themes", "months")  # the tables with a chart, which downloads as PNG and SVG too


# The column of comments that answer no single question (other feedback, or a response to several questions).
NO_SINGLE_QUESTION = "No single question"
# The column of comments that name no service.
NO_SERVICE = "No service given"

# Parameters that choose comments rather than filter the dashboard: the dashboard's own links leave them out.
COMMENT_ONLY = ("q", "theme", "also", "month", "complex")


def _query(request: HeardRequest, *, keep_comment_choices: bool = False, **changes: Any) -> str:
    params = request.GET.copy()
    dropped = ("download", "page", *changes, *(() if keep_comment_choices else COMMENT_ONLY))
    for key in dropped:
        params.pop(key, None)
    for key, value in changes.items():
        if value not in (None, ""):
            params[key] = str(value)
    return params.urlencode()


def _filter_form(request: HeardRequest, codebook: Codebook) -> DashboardFilterForm:
    # The questions to choose from are read from the monthly counts: brought up to date first.
    summaries_for_reading(codebook=codebook)
    questions = dashboards.questions_of(codebook=codebook, including=request.GET.get("question", "")[:500])
    return DashboardFilterForm(
        request.GET,
        organisation=request.organisation,
        questions=questions,
        spell_service=partial(dashboards.service_spellings, codebook),
    )


@permission_required("understanding.view_themes")
def dashboard_view(request: HeardRequest, codebook_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    form = _filter_form(request, codebook)
    if not form.is_valid():
        return render(
            request,
            "understanding/dashboard.jinja",
            {"codebook": codebook, "form": form, "board": None},
            status=400,
        )
    group_by = request.GET.get("group", "age_band")
    if group_by not in dashboards.GROUP_DIMENSIONS:
        group_by = "age_band"
    board = dashboards.dashboard(codebook=codebook, filters=form.dashboard_filters(), group_by=group_by)
    download = request.GET.get("download", "")
    if download:
        return _download(request, codebook, board, download, form.described())
    months = [month.strftime("%b %Y") for month in board.trend.months]
    rule = SmallNumberRule.of(request.organisation)
    return render(
        request,
        "understanding/dashboard.jinja",
        {
            "codebook": codebook,
            "form": form,
            "board": board,
            "months": months,
            "query": _query(request),
            "comments_query": lambda **changes: _query(request, **changes),
            "theme_chart": mark_safe(  # noqa: S308 - built by heard.understanding.charts, which escapes every text
                charts.bar_chart(
                    "Comments by theme (the figures are in the table below)",
                    [row.theme.name for row in board.themes[:15]],
                    [row.count for row in board.themes[:15]],
                )
            ),
            "trend_chart": mark_safe(  # noqa: S308 - as above
                charts.line_chart(
                    "Share of comments on the main themes by month (the figures are in the table below)",
                    months,
                    [(theme.name, [cell.share for cell in cells]) for theme, cells in board.trend.rows],
                )
            )
            if len(months) > 1
            else "",
            "channel_labels": dict(Channel.choices),
            "question_labels": {"": NO_SINGLE_QUESTION},
            "service_labels": {"": NO_SERVICE},
            "group_by": group_by,
            "group_choices": dashboards.GROUP_DIMENSIONS,
            "group_rows": [
                (theme, [protected(count, rule) for count in counts]) for theme, counts in board.by_group
            ],
            "rule": rule.describe(),
        },
    )


def _download(
    request: HeardRequest, codebook: Codebook, board: dashboards.Dashboard, what: str, described: str
) -> HttpResponse:
    name, _, kind = what.partition(".")
    if name not in DOWNLOADS or kind not in ("csv", "svg", "png") or (kind != "csv" and name not in PICTURES):
        raise Http404("No such download")
    rule = SmallNumberRule.of(request.organisation)
    # Every download leaves the building: pictures as much as tables.
    audit_record(
        actor=request.user,
        action="themes.dashboard_downloaded",
        organisation=request.organisation,
        target=codebook,
        detail={"table": name, "kind": kind, "filters": request.GET.urlencode()[:300]},
    )
    months = [month.strftime("%Y-%m") for month in board.trend.months]
    if kind in ("svg", "png"):
        return _picture(codebook, board, name, kind, rule, f"{described} {rule.describe()}")
    header: list[str]
    rows: list[list[Any]]
    if name == "themes":
        header = ["theme", "category", "comments", "positive", "negative"]
        rows = [
            [
                row.theme.name,
                row.theme.category.name,
                *(protected(n, rule) for n in (row.count, row.positive, row.negative)),
            ]
            for row in board.themes
        ]
    elif name == "months":
        header = ["theme", *months]
        rows = [["all comments", *(protected(n, rule) for n in board.trend.totals)]]
        rows += [
            [theme.name, *(protected(cell.count, rule) for cell in cells)]
            for theme, cells in board.trend.rows
        ]
    elif name == "channels":
        header = ["theme", *board.channels]
        rows = [[theme.name, *(protected(n, rule) for n in counts)] for theme, counts in board.by_channel]
    elif name == "services":
        header = ["theme", *(service or NO_SERVICE for service in board.services)]
        rows = [[theme.name, *(protected(n, rule) for n in counts)] for theme, counts in board.by_service]
    elif name == "questions":
        header = ["theme", *(question or NO_SINGLE_QUESTION for question in board.questions)]
        rows = [[theme.name, *(protected(n, rule) for n in counts)] for theme, counts in board.by_question]
    elif name == "groups":  # by the respondents' answers to one equality-monitoring question
        header = ["theme", *board.groups]
        rows = [[theme.name, *(protected(n, rule) for n in counts)] for theme, counts in board.by_group]
    else:
        header = ["theme", "with theme", "comments with both"]
        rows = [[first.name, second.name, protected(count, rule)] for first, second, count in board.pairs]
    return _file(csv_text(header, rows), f"{name}.csv", "text/csv; charset=utf-8")


def _picture(
    codebook: Codebook, board: dashboards.Dashboard, name: str, kind: str, rule: SmallNumberRule, note: str
) -> HttpResponse:
    """A chart to take away: drawn from protected figures, like the CSV, since it leaves the building too."""
    if name == "themes":
        labels = [row.theme.name for row in board.themes]
        title = f"{codebook.name}: comments by theme"
        bars = (
            [protected_value(row.count, rule) or 0 for row in board.themes],
            [protected(row.count, rule) for row in board.themes],
        )
        picture: str | bytes = (
            charts.bar_chart(title, labels, bars[0], shown=bars[1], note=note)
            if kind == "svg"
            else pictures.bar_png(title, labels, bars[0], shown=bars[1], note=note)
        )
    else:  # the months (_download lets only PICTURES through)
        months = [month.strftime("%b %Y") for month in board.trend.months]
        series: list[tuple[str, list[float | None]]] = [
            (
                theme.name,
                [
                    protected_ratio(cell.count, total, rule)
                    for cell, total in zip(cells, board.trend.totals, strict=True)
                ],
            )
            for theme, cells in board.trend.rows
        ]
        title = f"{codebook.name}: share of comments on the main themes by month"
        note += " The shares are worked out from those protected counts, so they can differ a little from the page's."
        picture = (
            charts.line_chart(title, months, series, note=note)
            if kind == "svg"
            else pictures.line_png(title, months, series, note=note)
        )
    if kind == "svg":
        return _file(str(picture), f"{name}.svg", "image/svg+xml")
    response = HttpResponse(picture, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{name}.png"'
    return response


def _file(content: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def highlight(text: str, words: list[str]) -> SafeString:
    """The text, escaped, with each search word marked."""
    escaped = html.escape(text)
    if not words:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile("|".join(re.escape(html.escape(word)) for word in words), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", escaped))  # noqa: S308


def _theme_or_404(codebook: Codebook, theme_id: int | None) -> Theme | None:
    if not theme_id:
        return None
    try:
        return selectors.theme_in(codebook=codebook, theme_id=theme_id)
    except Theme.DoesNotExist:
        raise Http404("No such theme") from None


@permission_required("understanding.view_themes")
def comments_view(request: HeardRequest, codebook_id: int) -> HttpResponse:
    """The comments behind a number: a theme, a month, a channel or service, a search, or the complex ones."""
    codebook = _codebook_or_404(request, codebook_id)
    form = _filter_form(request, codebook)
    if not form.is_valid():
        return render(
            request,
            "understanding/comments.jinja",
            {"codebook": codebook, "form": form, "page": None},
            status=400,
        )
    filters = form.dashboard_filters()
    theme, also = (_theme_or_404(codebook, form.cleaned_data.get(name)) for name in ("theme", "also"))
    month = request.GET.get("month", "")
    month_start = (
        date(int(month[:4]), int(month[5:]), 1) if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month) else None
    )
    words = [word for word in (form.cleaned_data.get("q") or "").split() if len(word) > 1][:6]
    items = dashboards.comments_behind(
        codebook=codebook,
        filters=filters,
        theme=theme,
        also=also,
        month=month_start,
        complex_only=bool(form.cleaned_data.get("complex")),
        words=words,
    )
    page = CappedPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    apart = dashboards.answers_counted_apart(
        codebook=codebook,
        item_ids=[item.pk for item in page],
        filters=filters,
        theme=theme,
        also=also,
        month=month_start,
        complex_only=bool(form.cleaned_data.get("complex")),
    )
    themes_of = dashboards.theme_names_of(codebook=codebook, item_ids=[item.pk for item in page])
    return render(
        request,
        "understanding/comments.jinja",
        {
            "codebook": codebook,
            "form": form,
            "page": page,
            "theme": theme,
            "also": also,
            "month": month,
            "apart": apart,
            "month_name": f"{month_start:%B %Y}" if month_start else "",
            "themes_of": themes_of,
            "highlighted": {item.pk: highlight(item.text, words) for item in page},
            "query": _query(request, keep_comment_choices=True),
            "dashboard_query": _query(request),
            "count_cap": COUNT_CAP,
        },
    )
