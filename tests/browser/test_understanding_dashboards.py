"""Themes dashboards, the comments behind their numbers, population profiles and who answered: an analyst
filters, reads charts beside their tables, downloads figures with small numbers hidden, searches the comments,
loads an area's population and sees which groups a project has not yet heard."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator

from heard.core.models import Organisation, User
from heard.projects.models import EqualityGroup
from heard.understanding.models import Codebook, PopulationProfile, Theme
from heard.understanding.representation import population_load
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import coding_save
from heard.understanding.views_representation import EXAMPLE
from tests.browser.browsing import Visitor
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory, ProjectFactory
from tests.understanding.test_representation import make_respondents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODEBOOK = "Patient experience"
# Row 3 has a count that is not a number; row 4 a dimension Heard does not know.
BAD_FILE = b"dimension,category,count\nage_band,16_24,100\nsex,female,lots\nage,old,5\n"
WHAT_WAS_GOOD = "What was good?"
WHAT_COULD_BE_BETTER = "What could we do better?"
PAPER_MARCH_TO_APRIL = {"channel": ["paper"], "date_from": ["2026-03-01"], "date_to": ["2026-04-30"]}


def at(year: int, month: int, day: int = 10) -> datetime:
    return datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())


def coded_comments(organisation: Organisation, coder: User) -> Codebook:
    """Comments coded by ``coder``, as in tests/understanding/test_dashboards.py but fewer.

    On paper: March, 5 about waiting and 15 about staff; April, 12 about waiting, 8 about staff and 3 about
    parking; May, 2 about waiting. Online: 4 about staff in March, and one long (complex) comment in April.
    Paper from March to April therefore has 43 comments: 17 on waiting, 23 on staff and 3 on parking. The
    staff comments answer "What was good?" (27 of them), the others "What could we do better?" (22), but for
    the long one, which answers no single question.
    """
    codebook = codebook_create(actor=None, organisation=organisation, name=CODEBOOK, starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    staff = codebook.themes.get(name="Staff manner and attitude")
    parking = codebook.themes.get(name="Parking")
    source = FeedbackSourceFactory(organisation=organisation, name="Online survey")
    number = 0

    def comment(when: datetime, text: str, theme: Theme, channel: str = "paper", sentiment: int = 4) -> None:
        nonlocal number
        number += 1
        item = FeedbackItemFactory(
            organisation=organisation,
            source=source,
            received_at=when,
            text=f"{text} ({number})",
            channel=channel,
            service="Ward 23" if number % 2 else "Outpatients",
            # The long comment answers no single question; the rest answer one of two.
            question="" if len(text) > 200 else WHAT_WAS_GOOD if theme == staff else WHAT_COULD_BE_BETTER,
        )
        coding_save(coder=coder, codebook=codebook, item=item, themes=[theme], sentiment=sentiment)

    for _ in range(5):
        comment(at(2026, 3), "We waited hours in the corridor", waiting)
    for _ in range(15):
        comment(at(2026, 3), "The nurses were kind", staff, sentiment=1)
    for _ in range(4):
        comment(at(2026, 3), "Booking online was easy", staff, channel="online", sentiment=1)
    for _ in range(12):
        comment(at(2026, 4), "Another long wait for the clinic", waiting)
    for _ in range(8):
        comment(at(2026, 4), "Lovely staff", staff, sentiment=2)
    for _ in range(3):
        comment(at(2026, 4, 20), "Parking charges are far too high", parking)
    for _ in range(2):
        comment(at(2026, 5), "Still waiting for a letter", waiting)
    comment(at(2026, 4), "The ward was clean and calm. " * 25, staff, channel="online", sentiment=2)
    return codebook


def query_of(visitor: Visitor) -> dict[str, list[str]]:
    return parse_qs(urlsplit(visitor.page.url).query)


def cells_of(row: Locator) -> list[str]:
    return [text.strip() for text in row.get_by_role("cell").all_inner_texts()]


def filter_paper_in_march_and_april(visitor: Visitor) -> None:
    visitor.main.get_by_label("Channel", exact=True).select_option(label="Paper form")
    visitor.fill("Received from", "2026-03-01")
    visitor.fill("Received to", "2026-04-30")
    visitor.submit("Apply the filters")


# --- the themes dashboard -------------------------------------------------------------------------------------


def test_given_coded_comments_when_an_analyst_filters_the_dashboard_then_the_address_keeps_them_and_a_count_opens(
    visitor: Visitor, bob, leeds
):
    codebook = coded_comments(leeds, bob)
    visitor.start_signed_in(bob)
    visitor.visit(f"/themes/{codebook.pk}/")
    visitor.follow("Dashboard: themes by month, service and channel")
    assert visitor.heading() == "Themes dashboard"
    assert visitor.main.get_by_text("50 comments counted: 50 coded by people").is_visible()

    filter_paper_in_march_and_april(visitor)

    assert visitor.heading() == "Themes dashboard"
    query = query_of(visitor)
    assert {key: query[key] for key in PAPER_MARCH_TO_APRIL} == PAPER_MARCH_TO_APRIL
    assert visitor.main.get_by_label("Channel", exact=True).input_value() == "paper"
    assert visitor.main.get_by_label("Received from", exact=True).input_value() == "2026-03-01"
    assert visitor.main.get_by_text("43 comments counted: 43 coded by people").is_visible()
    # Each chart is a picture named for the table that follows it, which holds the same figures.
    assert visitor.main.get_by_role(
        "img", name="Comments by theme (the figures are in the table below)"
    ).is_visible()
    assert visitor.main.get_by_role(
        "img", name=re.compile(r"^Share of comments on the main themes")
    ).is_visible()
    # (the months' table sits in a region that scrolls sideways on a narrow screen)
    beside = visitor.main.locator(
        "figure.heard-chart + table > caption, figure.heard-chart + .heard-scroll > table > caption"
    ).all_inner_texts()
    assert beside == [
        "Comments by theme (select a number to read the comments)",
        "Share of comments on each theme, by month",
    ]
    themes = visitor.main.get_by_role(
        "table", name="Comments by theme (select a number to read the comments)"
    )
    assert themes.get_by_role(
        "link", name="23 comments on Staff manner and attitude", exact=True
    ).is_visible()

    visitor.follow("17 comments on Waiting and timeliness", within=themes)

    assert visitor.heading() == "Comments on ‘Waiting and timeliness’"
    assert visitor.main.get_by_text("17 comments.", exact=True).is_visible()
    query = query_of(visitor)
    waiting_theme = codebook.themes.get(name="Waiting and timeliness")
    assert query["theme"] == [str(waiting_theme.pk)]
    assert {key: query[key] for key in PAPER_MARCH_TO_APRIL} == PAPER_MARCH_TO_APRIL
    texts = visitor.main.locator(".heard-comment").all_inner_texts()
    assert len(texts) == 17 and all(re.match(r"(We waited|Another long wait)", text) for text in texts)


def test_given_a_phone_when_a_board_member_reads_the_dashboard_then_the_charts_fit_and_the_months_scroll_in_place(
    visitor: Visitor, bob, leeds
):
    codebook = coded_comments(leeds, bob)
    visitor.page.set_viewport_size({"width": 375, "height": 800})
    visitor.start_signed_in(bob)
    visitor.visit(f"/themes/{codebook.pk}/dashboard/")

    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 375
    chart = visitor.main.get_by_role("img", name=re.compile(r"^Share of comments on the main themes"))
    assert chart.bounding_box()["width"] <= 375
    months = visitor.main.get_by_role("region", name="Share of comments on each theme, by month")
    months.focus()  # a keyboard user can reach it, and scroll it with the arrow keys
    assert visitor.page.evaluate("document.activeElement.getAttribute('role')") == "region"


def test_given_comments_answering_two_questions_when_an_analyst_chooses_one_then_the_dashboard_counts_its_answers(
    visitor: Visitor, bob, leeds
):
    codebook = coded_comments(leeds, bob)
    visitor.start_signed_in(bob)
    visitor.visit(f"/themes/{codebook.pk}/dashboard/")
    by_question = visitor.main.get_by_role(
        "table", name=re.compile(r"^Comments on each theme, by the question")
    )
    header = [text.strip() for text in by_question.get_by_role("columnheader").all_inner_texts()]
    assert header == ["Theme", WHAT_WAS_GOOD, WHAT_COULD_BE_BETTER, "No single question"]

    visitor.main.get_by_label("Question answered", exact=True).select_option(label=WHAT_WAS_GOOD)
    visitor.submit("Apply the filters")

    assert query_of(visitor)["question"] == [WHAT_WAS_GOOD]
    assert visitor.main.get_by_text("27 comments counted: 27 coded by people").is_visible()
    assert visitor.main.get_by_label("Question answered", exact=True).input_value() == WHAT_WAS_GOOD


def test_given_a_filtered_dashboard_when_an_analyst_downloads_the_themes_csv_then_small_counts_show_as_a_star(
    visitor: Visitor, bob, leeds
):
    codebook = coded_comments(leeds, bob)
    visitor.start_signed_in(bob)
    # A shared address: the filters travel in it.
    visitor.visit(f"/themes/{codebook.pk}/dashboard/?channel=paper&date_from=2026-03-01&date_to=2026-04-30")
    assert visitor.main.get_by_text("43 comments counted: 43 coded by people").is_visible()
    themes = visitor.main.get_by_role(
        "table", name="Comments by theme (select a number to read the comments)"
    )
    assert themes.get_by_role("link", name="3 comments on Parking", exact=True).is_visible()  # on screen: 3

    with visitor.page.expect_download() as downloading:
        visitor.main.get_by_role("link", name="CSV (themes)", exact=True).click()
    download = downloading.value

    assert download.suggested_filename == "themes.csv"
    assert download.failure() is None
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = {row["theme"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"Staff manner and attitude", "Waiting and timeliness", "Parking"}
    assert rows["Parking"]["comments"] == "*"  # 3 comments: hidden
    assert rows["Waiting and timeliness"]["comments"] == "15"  # 17, to the nearest 5
    assert rows["Staff manner and attitude"]["comments"] == "25"  # 23, to the nearest 5
    assert visitor.heading() == "Themes dashboard"  # the page stays where it was


# --- the comments behind the numbers -----------------------------------------------------------------------------


def test_given_the_comments_page_when_an_analyst_searches_then_words_are_marked_and_complex_ones_are_a_link_away(
    visitor: Visitor, bob, leeds
):
    codebook = coded_comments(leeds, bob)
    visitor.start_signed_in(bob)
    visitor.visit(f"/themes/{codebook.pk}/dashboard/")
    visitor.follow("Read and search the comments")
    assert visitor.heading() == "Comments"
    assert visitor.main.get_by_text("50 comments.", exact=True).is_visible()

    visitor.fill("Search the comments", "long clinic")
    visitor.submit("Search")

    assert query_of(visitor)["q"] == ["long clinic"]
    assert visitor.main.get_by_label("Search the comments", exact=True).input_value() == "long clinic"
    assert visitor.main.get_by_text("12 comments.", exact=True).is_visible()
    first = visitor.main.locator(".heard-comment").first
    assert first.locator("mark").all_inner_texts() == ["long", "clinic"]
    assert re.match(r"Another <mark>long</mark> wait for the <mark>clinic</mark> \(\d+\)", first.inner_html())
    assert visitor.main.locator(".heard-comment mark").count() == 24

    visitor.visit(f"/themes/{codebook.pk}/dashboard/")
    visitor.follow("the 1 complex ones")

    assert visitor.heading() == "Comments"
    assert query_of(visitor)["complex"] == ["on"]
    assert visitor.main.get_by_text("1 comment with three or more themes, or long.", exact=True).is_visible()
    [complex_comment] = visitor.main.locator(".heard-comment").all_inner_texts()
    assert complex_comment.startswith("The ward was clean and calm.")


# --- populations and who answered -------------------------------------------------------------------------------


def test_given_the_populations_page_when_an_analyst_loads_the_example_file_then_the_profile_is_listed(
    visitor: Visitor, bob, leeds
):
    visitor.start_signed_in(bob)
    visitor.visit("/themes/populations/")
    assert visitor.heading() == "Populations"
    assert visitor.main.get_by_text("No population loaded yet.").is_visible()

    visitor.fill("Name", "Leeds West 2021")
    visitor.fill("Area (optional)", "Leeds West")
    visitor.fill("Where the figures come from (optional)", "Illustrative")
    with visitor.page.expect_file_chooser() as choosing:
        visitor.main.get_by_label("CSV file", exact=True).click()  # NHS.UK's drop zone, a button
    choosing.value.set_files(EXAMPLE)
    assert visitor.main.get_by_text("example_population.csv").is_visible()
    visitor.submit("Load the population")

    assert visitor.page.url.endswith("/themes/populations/")
    assert visitor.page.get_by_text("Population ‘Leeds West 2021’ loaded.").is_visible()
    profiles = visitor.main.get_by_role("table", name="Population profiles")
    row = profiles.get_by_role("row", name=re.compile("Leeds West 2021"))
    assert cells_of(row)[:3] == ["Leeds West 2021", "Leeds West", "Illustrative"]
    assert PopulationProfile.objects.get(organisation=leeds).figures.count() == 28


def test_given_a_bad_population_file_when_it_is_loaded_then_the_error_summary_names_the_row_and_field(
    visitor: Visitor, bob, leeds
):
    visitor.start_signed_in(bob)
    visitor.visit("/themes/populations/")
    visitor.fill("Name", "Leeds West 2021")
    with visitor.page.expect_file_chooser() as choosing:
        visitor.main.get_by_label("CSV file", exact=True).click()
    choosing.value.set_files(files={"name": "population.csv", "mimeType": "text/csv", "buffer": BAD_FILE})
    response = visitor.submit("Load the population")

    assert response.status == 400
    summary = visitor.page.get_by_role("alert")
    assert summary.get_by_text("There is a problem").is_visible()
    problem = summary.get_by_role("link", name=re.compile(r"^row 3, count: 'lots' is not a whole number"))
    assert problem.inner_text().startswith(
        "row 3, count: 'lots' is not a whole number of people; row 4, dimension: 'age' is not one of age_band"
    )
    assert problem.get_attribute("href") == "#id_file"
    assert visitor.main.locator("#id_file-error").get_by_text("row 3, count: 'lots'").is_visible()
    assert visitor.heading() == "Populations"
    assert not PopulationProfile.objects.exists()


def test_given_a_project_and_a_population_when_an_analyst_asks_who_answered_then_tables_and_groups_to_reach_show(
    visitor: Visitor, bob, leeds
):
    population_load(
        actor=None,
        organisation=leeds,
        name="Leeds West",
        area="Leeds West",
        source="Example",
        content=EXAMPLE.read_bytes(),
    )
    project = ProjectFactory(
        organisation=leeds,
        title="Dental access",
        equality_groups=[EqualityGroup.AGE_YOUNG, EqualityGroup.AGE_OLDER, EqualityGroup.HOMELESS],
    )
    # 100 respondents: 2 aged 16-24 (the area has 12%), 60 aged 65-74 (the area has 9%), the rest 45-54.
    people = (
        [{"age_band": "16_24"}] * 2
        + [{"age_band": "65_74", "sex": "female"}] * 60
        + [{"age_band": "45_54"}] * 38
    )
    make_respondents(leeds, project, people)
    visitor.start_signed_in(bob)
    visitor.visit("/themes/who-answered/")
    assert visitor.heading() == "Who answered"

    visitor.main.get_by_label("Project", exact=True).select_option(label="Dental access")
    visitor.main.get_by_label("Compare with", exact=True).select_option(label="Leeds West")
    visitor.submit("Show who answered")

    assert query_of(visitor)["project"] == [project.slug]
    assert visitor.main.get_by_role("heading", level=2, name="The project ‘Dental access’").is_visible()
    assert visitor.main.get_by_text(
        "100 respondents answered at least one equality question, compared with Leeds West (Leeds West)."
    ).is_visible()
    groups = visitor.main.get_by_role("heading", level=3, name="Groups the project said it must reach")
    reach = groups.locator("xpath=following-sibling::ul[1]").get_by_role("listitem").all_inner_texts()
    assert len(reach) == 3
    # Two people, shown as * in the table: the sentence does not give them away as a share either.
    assert reach[0].startswith(
        "Children and young people: Under-represented: fewer than 8 of the 100 who answered"
    )
    assert reach[1].startswith("Older people: Reached: ")
    assert reach[2].startswith("People who are homeless: The equality questions cannot tell")
    age = visitor.main.get_by_role("table", name="Age: 100 answered")
    young = cells_of(age.get_by_role("row", name=re.compile("16 to 24")))
    assert young[1].endswith("*")  # 2 people: hidden
    nobody = cells_of(age.get_by_role("row", name=re.compile("25 to 34")))
    assert "Under-represented" in nobody[4]
    assert visitor.main.get_by_role("table", name="Sex: 60 answered").is_visible()


# --- without JavaScript -------------------------------------------------------------------------------------------


def test_given_no_javascript_when_an_analyst_filters_the_dashboard_and_follows_a_count_then_the_comments_open(
    visitor_without_javascript: Visitor, dee, demo_org
):
    visitor = visitor_without_javascript
    codebook = coded_comments(demo_org, dee)
    visitor.sign_in("dee")
    assert visitor.page.evaluate("document.body.classList.contains('js-enabled')") is False

    visitor.visit(f"/themes/{codebook.pk}/dashboard/")
    filter_paper_in_march_and_april(visitor)

    query = query_of(visitor)
    assert {key: query[key] for key in PAPER_MARCH_TO_APRIL} == PAPER_MARCH_TO_APRIL
    assert visitor.main.get_by_text("43 comments counted: 43 coded by people").is_visible()
    assert visitor.main.get_by_role(
        "img", name="Comments by theme (the figures are in the table below)"
    ).is_visible()
    visitor.follow("3 comments on Parking")

    assert visitor.heading() == "Comments on ‘Parking’"
    assert visitor.main.get_by_text("3 comments.", exact=True).is_visible()
    texts = visitor.main.locator(".heard-comment").all_inner_texts()
    assert len(texts) == 3 and all(text.startswith("Parking charges are far too high") for text in texts)
