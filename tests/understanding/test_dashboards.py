"""The themes dashboard and the comments behind its numbers, as an analyst and a board member read them."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from itertools import pairwise

import pytest
from django.utils import timezone

from heard.core.models import AuditEntry
from heard.understanding import charts, pictures
from heard.understanding.dashboards import DashboardFilters, dashboard, service_spellings, two_proportion_z
from heard.understanding.models import CodedItem, ThemeAssignment
from heard.understanding.services.codebooks import codebook_create, theme_retire
from heard.understanding.services.coding import coding_save
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory

pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int = 10) -> datetime:
    return datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def coded(leeds, bob):  # type: ignore[no-untyped-def]
    """March: 40 comments, 8 about waiting. April: 40 comments, 24 about waiting (a real rise). Parking: 3."""
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    staff = codebook.themes.get(name="Staff manner and attitude")
    parking = codebook.themes.get(name="Parking")
    online = FeedbackSourceFactory(organisation=leeds, name="Online survey")
    number = 0

    def comment(when: datetime, text: str, themes: list, channel: str = "online", sentiment: int = 4) -> None:  # type: ignore[type-arg]
        nonlocal number
        number += 1
        item = FeedbackItemFactory(
            organisation=leeds,
            source=online,
            received_at=when,
            text=f"{text} ({number})",
            channel=channel,
            service="Ward 23" if number % 2 else "Outpatients",
        )
        coding_save(coder=bob, codebook=codebook, item=item, themes=themes, sentiment=sentiment)

    for index in range(40):
        if index < 8:
            comment(
                at(2026, 3), "We waited hours in the corridor", [waiting, staff] if index < 4 else [waiting]
            )
        else:
            comment(at(2026, 3), "The nurses were kind", [staff], sentiment=1)
    for index in range(40):
        if index < 24:
            comment(at(2026, 4), "Another long wait for the clinic", [waiting], channel="paper")
        else:
            comment(at(2026, 4), "Lovely staff", [staff], sentiment=2)
    for _ in range(3):
        comment(at(2026, 4, 20), "Parking charges are far too high", [parking])
    return {"codebook": codebook, "waiting": waiting, "staff": staff, "parking": parking}


def test_counts_by_theme_month_channel_and_pairs(coded) -> None:  # type: ignore[no-untyped-def]
    board = dashboard(codebook=coded["codebook"], filters=DashboardFilters())

    assert board.comments == 83 and board.by_people == 83 and board.by_model == 0
    counts = {row.theme.name: row.count for row in board.themes}
    assert counts == {"Staff manner and attitude": 52, "Waiting and timeliness": 32, "Parking": 3}
    staff = next(row for row in board.themes if row.theme.name == "Staff manner and attitude")
    assert staff.positive == 48 and staff.negative == 4
    [waiting_trend] = [cells for theme, cells in board.trend.rows if theme == coded["waiting"]]
    assert [cell.count for cell in waiting_trend] == [8, 24]
    assert waiting_trend[1].change == "up"  # 20% to 56%: more than chance
    assert board.trend.totals == [40, 43]
    assert board.by_channel and set(board.channels) == {"online", "paper"}
    assert [({first, second}, count) for first, second, count in board.pairs] == [
        ({coded["waiting"], coded["staff"]}, 4)
    ]


def test_months_without_comments_keep_their_places(coded, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    """July has comments and May and June none: the months run on evenly, and July is not compared with April."""
    codebook = coded["codebook"]
    for number in range(40):
        item = FeedbackItemFactory(
            organisation=codebook.organisation, received_at=at(2026, 7), text=f"Wait {number}"
        )
        coding_save(coder=bob, codebook=codebook, item=item, themes=[coded["waiting"]], sentiment=4)

    board = dashboard(codebook=codebook, filters=DashboardFilters())

    assert board.trend.months == [date(2026, month, 1) for month in (3, 4, 5, 6, 7)]
    assert board.trend.totals == [40, 43, 0, 0, 40]
    [waiting] = [cells for theme, cells in board.trend.rows if theme == coded["waiting"]]
    assert [cell.count for cell in waiting] == [8, 24, 0, 0, 40]
    assert waiting[4].change == ""  # the month before had no comments to compare with
    client = signed_in(bob)
    page = client.get(f"/themes/{codebook.pk}/dashboard/").content.decode()
    assert "no comments in May 2026" in page and "(1 comments" not in page
    months_csv = client.get(f"/themes/{codebook.pk}/dashboard/?download=months.csv").content.decode()
    assert months_csv.splitlines()[0] == "theme,2026-03,2026-04,2026-05,2026-06,2026-07"


def test_one_comment_dated_years_before_the_rest_does_not_fill_decades_of_empty_months(coded, bob) -> None:  # type: ignore[no-untyped-def]
    codebook = coded["codebook"]
    item = FeedbackItemFactory(organisation=codebook.organisation, received_at=at(1990, 1), text="Long ago")
    coding_save(coder=bob, codebook=codebook, item=item, themes=[coded["waiting"]], sentiment=4)

    board = dashboard(codebook=codebook, filters=DashboardFilters())

    assert board.trend.months == [date(1990, 1, 1), date(2026, 3, 1), date(2026, 4, 1)]
    [waiting] = [cells for theme, cells in board.trend.rows if theme == coded["waiting"]]
    assert waiting[1].change == ""  # March 2026 is not compared with January 1990
    assert waiting[2].change == "up"


def test_a_chart_of_many_months_labels_only_as_many_as_fit() -> None:
    months = [
        f"{name} 2026" for name in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct")
    ]
    svg = charts.line_chart(
        "Shares", [*months, "Nov 2026", "Dec 2026", "Jan 2027", "Feb 2027"], [("A", [0.1] * 14)]
    )

    labelled = re.findall(
        r'<text x="([\d.]+)" y="260" text-anchor="middle"[^>]*>([A-Z][a-z]{2} \d{4})</text>', svg
    )
    assert 4 <= len(labelled) < 14
    places = [float(x) for x, _ in labelled]
    assert min(b - a for a, b in pairwise(places)) >= 80  # room for "Sep 2026" and a gap


def test_filters_narrow_every_figure(coded) -> None:  # type: ignore[no-untyped-def]
    board = dashboard(codebook=coded["codebook"], filters=DashboardFilters(channel="paper"))

    assert board.comments == 24
    assert {row.theme.name: row.count for row in board.themes} == {"Waiting and timeliness": 24}
    # A service is found however it is typed, and then compared as the comments write it.
    assert service_spellings(coded["codebook"], "ward 23") == ("Ward 23",)
    assert service_spellings(coded["codebook"], "Ward 99") == ("Ward 99",)


def test_a_service_written_two_ways_is_counted_whole(coded, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    codebook = coded["codebook"]
    for number in range(2):  # an import that wrote the ward in capitals
        item = FeedbackItemFactory(
            organisation=codebook.organisation,
            received_at=at(2026, 4),
            text=f"Slow {number}",
            service="WARD 23",
        )
        coding_save(coder=bob, codebook=codebook, item=item, themes=[coded["waiting"]], sentiment=4)
    client = signed_in(bob)

    page = client.get(f"/themes/{codebook.pk}/dashboard/?service=ward+23").content.decode()
    assert service_spellings(codebook, "ward 23") == ("Ward 23", "WARD 23")  # the commoner way first
    comments = client.get(f"/themes/{codebook.pk}/comments/?theme={coded['waiting'].pk}&service=ward+23")

    # 42 of the fixture's 83 comments are Ward 23's; with the two written in capitals, 44.
    assert re.search(r"\b44\b comments", page), page
    listed = comments.content.decode()
    assert "Slow 0" in listed and "Slow 1" in listed and "We waited hours in the corridor" in listed

    # The table by service shows the ward once, under the way most of its comments write it, and its number is
    # the number of comments the cell's link lists.
    board = dashboard(codebook=codebook, filters=DashboardFilters())
    assert "WARD 23" not in board.services and "Ward 23" in board.services
    [waiting] = [counts for theme, counts in board.by_service if theme == coded["waiting"]]
    assert waiting[board.services.index("Ward 23")] == 18  # 16 written "Ward 23", 2 "WARD 23"
    assert re.search(r"\b18\b comments", comments.content.decode())


def test_two_proportion_z_matches_a_worked_example() -> None:
    # 8 of 40 against 24 of 40: pooled 0.4, z = (0.6 - 0.2) / sqrt(0.4 * 0.6 * (2 / 40)) = 3.65
    assert two_proportion_z(8, 40, 24, 40) == pytest.approx(3.651, abs=0.001)
    assert two_proportion_z(0, 0, 1, 1) == 0.0


def test_the_page_shows_charts_with_their_tables_and_links_to_the_comments(coded, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(bob)
    codebook = coded["codebook"]

    page = client.get(f"/themes/{codebook.pk}/dashboard/?channel=&date_from=2026-03-01").content.decode()

    assert "83 comments counted: 83 coded by people and 0 by the model" in page
    assert page.count('<figure class="heard-chart"><svg') == 2
    assert "Comments by theme (select a number to read the comments)" in page
    assert "a real rise" in page
    assert f"theme={coded['waiting'].pk}" in page and "date_from=2026-03-01" in page  # filters carried along
    comments = client.get(
        f"/themes/{codebook.pk}/comments/?theme={coded['waiting'].pk}&month=2026-04&q=long+clinic"
    ).content.decode()
    assert "24 comments" in comments and "in April 2026</h1>" in comments
    assert "counts each of its answers" not in comments  # no response here is coded answer by answer
    assert "Another <mark>long</mark> wait for the <mark>clinic</mark>" in comments

    # The pairs, channels and services tables link each number to its comments too.
    waiting, staff = coded["waiting"].pk, coded["staff"].pk
    assert any(
        f'theme={first}&amp;also={second}">4<span class="nhsuk-u-visually-hidden"> comments on both' in page
        for first, second in ((waiting, staff), (staff, waiting))
    )
    pair = client.get(
        f"/themes/{codebook.pk}/comments/?theme={coded['waiting'].pk}&also={coded['staff'].pk}"
    ).content.decode()
    assert (
        "4 comments." in pair
        and "Comments on ‘Waiting and timeliness’ and ‘Staff manner and attitude’" in pair
    )
    assert f'theme={coded["waiting"].pk}&amp;channel=paper">24<' in page
    paper = client.get(f"/themes/{codebook.pk}/comments/?theme={coded['waiting'].pk}&channel=paper")
    assert "24 comments." in paper.content.decode()
    assert (
        client.get(f"/themes/{codebook.pk}/comments/?theme={coded['waiting'].pk}&also=99999").status_code
        == 404
    )


def test_downloads_protect_small_numbers_and_are_audited(coded, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(bob)
    codebook = coded["codebook"]

    response = client.get(f"/themes/{codebook.pk}/dashboard/?download=themes.csv")

    assert response["Content-Disposition"] == 'attachment; filename="themes.csv"'
    rows = {row["theme"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["Parking"]["comments"] == "*"  # 3 comments: hidden
    assert rows["Staff manner and attitude"]["comments"] == "50"  # 52, to the nearest 5
    assert rows["Waiting and timeliness"]["comments"] == "30"
    assert AuditEntry.objects.filter(action="themes.dashboard_downloaded").count() == 1
    picture = client.get(f"/themes/{codebook.pk}/dashboard/?download=months.svg")
    assert picture["Content-Type"] == "image/svg+xml" and b"<polyline" in picture.content
    assert client.get(f"/themes/{codebook.pk}/dashboard/?download=nothing.csv").status_code == 404
    # A picture leaves the building as surely as a table does.
    downloads = AuditEntry.objects.filter(action="themes.dashboard_downloaded").order_by("pk")
    assert [entry.detail["kind"] for entry in downloads] == ["csv", "svg"]


def test_complex_comments_and_a_retired_theme(coded, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(bob)
    codebook = coded["codebook"]
    long_item = FeedbackItemFactory(
        organisation=codebook.organisation, received_at=at(2026, 4), text="word " * 130
    )
    coding_save(coder=bob, codebook=codebook, item=long_item, themes=[coded["staff"]], sentiment=3)

    page = client.get(f"/themes/{codebook.pk}/comments/?complex=on").content.decode()
    assert "1 comment with three or more themes, or long" in page

    theme_retire(actor=None, theme=coded["parking"])
    assert not ThemeAssignment.objects.filter(theme=coded["parking"]).exists()
    assert CodedItem.objects.filter(codebook=codebook).count() == 84  # the comments still count


def test_retiring_a_theme_changes_only_its_comments_and_bringing_it_back_counts_them_again(
    coded, django_assert_max_num_queries, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    codebook, parking = coded["codebook"], coded["parking"]

    def counted() -> tuple[set, set]:  # type: ignore[type-arg]
        return (
            set(
                ThemeAssignment.objects.filter(codebook=codebook).values_list(
                    "item_id", "theme_id", "by_model"
                )
            ),
            set(
                CodedItem.objects.filter(codebook=codebook).values_list("item_id", "theme_count", "sentiment")
            ),
        )

    before_themes, before_items = counted()
    parked = set(ThemeAssignment.objects.filter(theme=parking).values_list("item_id", flat=True))
    assert len(parked) == 3

    with django_assert_max_num_queries(16):  # the same whatever the codebook's size: no rebuild
        theme_retire(actor=None, theme=parking)

    themes_now, items_now = counted()
    assert themes_now == {row for row in before_themes if row[1] != parking.pk}
    assert items_now == {
        (item, count - 1 if item in parked else count, sentiment) for item, count, sentiment in before_items
    }
    board = dashboard(codebook=codebook, filters=DashboardFilters())
    assert "Parking" not in {row.theme.name for row in board.themes} and board.comments == 83

    with django_capture_on_commit_callbacks(execute=True) as queued:  # brought back by a background task
        theme_retire(actor=None, theme=parking, retired=False)
    assert len(queued) == 1  # the task is queued once the change is committed
    from heard.understanding.tasks import theme_counts_restore

    assert theme_counts_restore.call(theme_id=parking.pk) == 3  # what the worker does with it
    assert counted() == (before_themes, before_items)
    board = dashboard(codebook=codebook, filters=DashboardFilters())
    assert {row.theme.name: row.count for row in board.themes}["Parking"] == 3


def test_another_organisation_sees_nothing(coded, carol, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(carol)
    codebook = coded["codebook"]

    assert client.get(f"/themes/{codebook.pk}/dashboard/").status_code == 404
    assert client.get(f"/themes/{codebook.pk}/comments/").status_code == 404


def test_dashboard_answers_in_a_fixed_number_of_queries(
    coded, bob, signed_in, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from heard.understanding.services.summaries import summaries_bring_up_to_date

    client = signed_in(bob)
    client.get(f"/themes/{coded['codebook'].pk}/dashboard/")  # the first read rebuilds the stale months
    assert summaries_bring_up_to_date(codebook=coded["codebook"]) == 0
    with django_assert_max_num_queries(22):
        client.get(f"/themes/{coded['codebook'].pk}/dashboard/")


def test_pictures_to_take_away_are_drawn_from_protected_figures(coded, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    client = signed_in(bob)
    codebook = coded["codebook"]

    png = client.get(f"/themes/{codebook.pk}/dashboard/?download=themes.png")
    svg = client.get(f"/themes/{codebook.pk}/dashboard/?download=themes.svg").content.decode()
    trend = client.get(f"/themes/{codebook.pk}/dashboard/?download=months.png")

    assert (
        png["Content-Type"] == "image/png"
        and png["Content-Disposition"] == 'attachment; filename="themes.png"'
    )
    assert Image.open(io.BytesIO(png.content)).size[0] >= 720
    assert Image.open(io.BytesIO(trend.content)).format == "PNG"
    assert ">*</text>" in svg and ">3</text>" not in svg  # Parking's 3 comments are hidden
    assert ">50</text>" in svg  # 52, rounded as in the CSV
    # The picture says what it counts wherever it is pasted: the filters, and how small numbers are protected.
    assert "All comments, with no filters. Counts from 1 to 7 are shown as *" in svg
    filtered = client.get(
        f"/themes/{codebook.pk}/dashboard/?download=months.svg&channel=paper&service=Ward+23&date_from=2026-04-02"
    ).content.decode()
    said = " ".join(re.findall(r'font-size="12" fill="#212b32">([^<]*)</text>', filtered))
    lower = client.get(
        f"/themes/{codebook.pk}/dashboard/?download=months.svg&channel=paper&service=ward+23&date_from=2026-04-02"
    ).content.decode()
    assert lower == filtered  # "ward 23" as typed is "Ward 23" as written
    assert said.startswith(
        "Filtered: channel: paper form; service: Ward 23; from April 2026. Counts from 1 to 7"
    )
    bare = pictures.bar_png("Comments by theme", ["Waiting"], [50], shown=["50"])
    noted = pictures.bar_png("Comments by theme", ["Waiting"], [50], shown=["50"], note="All comments.")
    assert Image.open(io.BytesIO(noted)).size[1] > Image.open(io.BytesIO(bare)).size[1]


def test_the_dashboards_own_links_leave_out_what_chose_comments(coded, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(bob)
    codebook = coded["codebook"]

    page = client.get(f"/themes/{codebook.pk}/dashboard/?q=long&channel=paper&theme=1").content.decode()
    comments = client.get(f"/themes/{codebook.pk}/comments/?q=long&channel=paper").content.decode()

    assert "q=long" not in page and "channel=paper" in page
    assert f'href="/themes/{codebook.pk}/dashboard/?channel=paper"' in comments  # the back link
    # A search that finds nothing says so.
    nothing = client.get(f"/themes/{codebook.pk}/comments/?q=xyzzyplugh").content.decode()
    assert "0 comments" in nothing and "No comments match" in nothing


def test_themes_by_who_said_them_hide_small_groups(coded, leeds, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    from tests.understanding.test_representation import make_respondents

    codebook = coded["codebook"]
    survey = make_respondents(leeds, None, [{"age_band": "65_74"}] * 12 + [{"age_band": "16_24"}] * 2)
    for item in survey.responses.all():
        coding_save(coder=bob, codebook=codebook, item=item, themes=[coded["waiting"]], sentiment=4)

    board = dashboard(codebook=codebook, filters=DashboardFilters(), group_by="age_band")
    assert board.groups == ["16 to 24", "65 to 74"]
    assert board.by_group == [(coded["waiting"], [2, 12])]
    page = signed_in(bob).get(f"/themes/{codebook.pk}/dashboard/?group=age_band").content.decode()
    assert "Comments on each theme, by age" in page
    row = page[page.index("Comments on each theme, by age") :]
    assert ">*</td>" in row and ">10</td>" in row  # 2 hidden; 12 rounded to 10
    assert "download=groups.csv" in row
    table = signed_in(bob).get(f"/themes/{codebook.pk}/dashboard/?group=age_band&download=groups.csv")
    assert list(csv.reader(io.StringIO(table.content.decode()))) == [
        ["theme", "16 to 24", "65 to 74"],
        ["Waiting and timeliness", "*", "10"],
    ]


def test_the_comments_page_stops_counting_past_its_cap(coded, bob, signed_in, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from heard.understanding import views_dashboards

    monkeypatch.setattr(views_dashboards, "COUNT_CAP", 30)
    client = signed_in(bob)
    codebook = coded["codebook"]

    page = client.get(f"/themes/{codebook.pk}/comments/?theme={coded['staff'].pk}").content.decode()
    april = client.get(
        f"/themes/{codebook.pk}/comments/?theme={coded['waiting'].pk}&month=2026-04"
    ).content.decode()

    assert "More than 30 comments" in page and "Page 1 of 2 or more." in page  # 52 in all: 31 counted
    assert "24 comments" in april  # the month is a range of times in the local zone
    assert (
        client.get(f"/themes/{codebook.pk}/comments/?month=2026-13").status_code == 200
    )  # ignored, not an error


def test_the_roll_ups_and_the_full_counts_agree(coded) -> None:  # type: ignore[no-untyped-def]
    codebook = coded["codebook"]
    # A service filter reads the full monthly counts; no filter reads the roll-ups. Both must match the comments.
    by_service = dashboard(codebook=codebook, filters=DashboardFilters(service="Ward 23"))
    everything = dashboard(codebook=codebook, filters=DashboardFilters())
    raw = ThemeAssignment.objects.filter(codebook=codebook, service="Ward 23")

    assert {row.theme.pk: row.count for row in by_service.themes} == {
        theme: raw.filter(theme_id=theme).count() for theme in set(raw.values_list("theme_id", flat=True))
    }
    assert (
        sum(sum(counts) for _, counts in everything.by_service)
        == ThemeAssignment.objects.filter(codebook=codebook).count()
    )

    # Pairs: unfiltered and by channel from the pair roll-up, by service from the full pair counts; all match
    # the themes the comments have together.
    def together(**where: object) -> dict[tuple[int, int], int]:
        themes_of: dict[int, set[int]] = {}
        for item_id, theme_id in ThemeAssignment.objects.filter(codebook=codebook, **where).values_list(
            "item_id", "theme_id"
        ):
            themes_of.setdefault(item_id, set()).add(theme_id)
        counted: dict[tuple[int, int], int] = {}
        for found in themes_of.values():
            for first in found:
                for second in found:
                    if first < second:
                        counted[(first, second)] = counted.get((first, second), 0) + 1
        return counted

    def shown(board) -> dict[tuple[int, int], int]:  # type: ignore[no-untyped-def]
        return {(first.pk, second.pk): count for first, second, count in board.pairs}

    waiting_with_staff = tuple(sorted((coded["waiting"].pk, coded["staff"].pk)))
    assert shown(everything) == together() == {waiting_with_staff: 4}
    assert shown(by_service) == together(service="Ward 23") == {waiting_with_staff: 2}
    march = dashboard(
        codebook=codebook,
        filters=DashboardFilters(channel="online", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)),
    )
    assert (
        shown(march) == together(channel="online", received_at__lt=at(2026, 4, 1)) == {waiting_with_staff: 4}
    )
    assert shown(dashboard(codebook=codebook, filters=DashboardFilters(channel="paper"))) == {}


def test_comments_that_name_no_service_have_a_column_of_their_own(coded, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    codebook = coded["codebook"]
    for number in range(3):
        item = FeedbackItemFactory(
            organisation=codebook.organisation, received_at=at(2026, 4), text=f"Wait {number}", service=""
        )
        coding_save(coder=bob, codebook=codebook, item=item, themes=[coded["waiting"]], sentiment=4)

    board = dashboard(codebook=codebook, filters=DashboardFilters())

    assert board.services[-1] == ""
    [waiting] = [counts for theme, counts in board.by_service if theme == coded["waiting"]]
    assert sum(waiting) == 35 and waiting[-1] == 3  # the row adds up to the theme's count
    client = signed_in(bob)
    assert "No service given" in client.get(f"/themes/{codebook.pk}/dashboard/").content.decode()
    header = (
        client.get(f"/themes/{codebook.pk}/dashboard/?download=services.csv").content.decode().splitlines()[0]
    )
    assert header.endswith(",No service given")


def test_a_large_codebook_catches_up_in_the_background_and_says_so(
    coded, bob, signed_in, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from heard.understanding.models import StaleMonth
    from heard.understanding.services import summaries

    codebook = coded["codebook"]
    client = signed_in(bob)
    client.get(f"/themes/{codebook.pk}/dashboard/")  # small: rebuilt as it is read
    monkeypatch.setattr(summaries, "INLINE_REBUILD_MAX_COMMENTS", 10)
    item = FeedbackItemFactory(
        organisation=codebook.organisation, received_at=at(2026, 4), text="Parking again"
    )
    coding_save(coder=bob, codebook=codebook, item=item, themes=[coded["parking"]], sentiment=5)

    page = client.get(f"/themes/{codebook.pk}/dashboard/").content.decode()

    assert "The counts for 1 month are being brought up to date" in page
    assert StaleMonth.objects.get(codebook=codebook).queued_at is not None  # handed to the background task
    assert summaries.summaries_bring_up_to_date(codebook=codebook) == 1  # what the task does
    page = client.get(f"/themes/{codebook.pk}/dashboard/").content.decode()
    assert "being brought up to date" not in page
    assert dashboard(codebook=codebook, filters=DashboardFilters()).comments == 84


def test_rebuilding_most_of_a_codebooks_months_refreshes_the_planners_statistics(leeds, bob) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from heard.understanding.services.summaries import (
        ANALYZE_AFTER_MONTHS,
        months_mark_stale,
        summaries_bring_up_to_date,
    )

    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    for month in range(1, ANALYZE_AFTER_MONTHS + 1):
        item = FeedbackItemFactory(organisation=leeds, received_at=at(2026, month), text=f"Wait {month}")
        coding_save(coder=bob, codebook=codebook, item=item, themes=[waiting], sentiment=4)

    with CaptureQueriesContext(
        connection
    ) as read_by_a_page:  # a dashboard rebuilding them inline, as a person waits
        assert summaries_bring_up_to_date(codebook=codebook) == ANALYZE_AFTER_MONTHS
    months_mark_stale(
        codebook=codebook, moments=[at(2026, month) for month in range(1, ANALYZE_AFTER_MONTHS + 1)]
    )
    with CaptureQueriesContext(connection) as many:  # the background rebuild, or training's
        assert summaries_bring_up_to_date(codebook=codebook, refresh_statistics=True) == ANALYZE_AFTER_MONTHS
    item = FeedbackItemFactory(organisation=leeds, received_at=at(2026, 7), text="One more wait")
    coding_save(coder=bob, codebook=codebook, item=item, themes=[waiting], sentiment=4)
    with CaptureQueriesContext(connection) as one:
        assert summaries_bring_up_to_date(codebook=codebook, refresh_statistics=True) == 1

    analysed = [query["sql"] for query in many.captured_queries if query["sql"].startswith("ANALYZE")]
    # PostgreSQL is told the tables' new sizes after a large rebuild, not after every month; SQLite plans alone.
    assert len(analysed) == (1 if connection.vendor == "postgresql" else 0)
    assert not any(query["sql"].startswith("ANALYZE") for query in one.captured_queries)
    assert not any(query["sql"].startswith("ANALYZE") for query in read_by_a_page.captured_queries)
    board = dashboard(codebook=codebook, filters=DashboardFilters())
    assert board.comments == 7 and [row.count for row in board.themes] == [7]


def test_the_pair_roll_up_is_filled_from_the_pair_counts_when_it_is_first_made(coded) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from django.apps import apps

    from heard.understanding.models import MonthlyPairRollup

    codebook = coded["codebook"]
    dashboard(codebook=codebook, filters=DashboardFilters())  # counts built, roll-up included
    built = sorted(
        MonthlyPairRollup.objects.values_list(
            "month", "first_theme_id", "second_theme_id", "channel", "comments"
        )
    )
    MonthlyPairRollup.objects.all().delete()
    migration = importlib.import_module("heard.understanding.migrations.0011_pair_rollup")

    migration.fill_from_pair_counts(apps, None)

    assert (
        built
        and sorted(
            MonthlyPairRollup.objects.values_list(
                "month", "first_theme_id", "second_theme_id", "channel", "comments"
            )
        )
        == built
    )
