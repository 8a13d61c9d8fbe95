"""Starting an engagement project through the browser, mistakes included."""

from __future__ import annotations

import pytest

from tests.browser.browsing import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def start_a_project(visitor: Visitor, *, lead: str) -> None:
    """Fills the new project form the way an engagement lead would, dates in three boxes."""
    visitor.fill("Title", "Urgent care in Wakefield: what matters to you")
    visitor.fill("Summary", "How people choose between A&E, urgent treatment centres and NHS 111.")
    visitor.choose("Design")
    visitor.fill_date("Start date", "27", "3", "2026")
    visitor.fill_date("End date", "30", "9", "2026")
    visitor.main.get_by_label("Project lead", exact=True).select_option(label=lead)
    visitor.choose("Carers")
    visitor.choose("Older people")


def test_given_an_engagement_lead_when_she_starts_a_project_with_mistakes_then_she_is_shown_them_and_can_fix_them(
    visitor: Visitor, carol
):
    visitor.start_signed_in(carol)
    visitor.follow("Projects", within=visitor.page.get_by_role("navigation"))
    visitor.submit("Start a new project")  # a link styled, and announced, as a button
    assert visitor.heading() == "Start a new engagement project"

    # An empty form, but for a start date that is no date at all.
    visitor.fill_date("Start date", "31", "2", "2026")
    response = visitor.submit("Create project")

    assert response.status == 400
    assert visitor.page.title().startswith("Error: ")
    summary = visitor.page.get_by_role("alert")
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    title_link = summary.get_by_role("link", name="Enter the project's title")
    assert title_link.get_attribute("href") == "#id_title"
    assert summary.get_by_role("link", name="Enter a real date, like 27 3 2026").is_visible()
    title_link.click()  # the same page: the link moves focus to the title box
    assert visitor.page.evaluate("document.activeElement.id") == "id_title"

    visitor.fill_date("Start date", "", "", "")
    start_a_project(visitor, lead=carol.display_name)
    visitor.submit("Create project")

    assert visitor.heading() == "Urgent care in Wakefield: what matters to you"
    assert visitor.main.get_by_text(
        "Project created: Urgent care in Wakefield: what matters to you"
    ).is_visible()
    details = visitor.main.locator(".nhsuk-summary-list").inner_text()
    assert "Design" in details
    assert carol.display_name in details
    assert "27 March 2026" in details
    assert "30 September 2026" in details
    assert "Older people" in details
    assert "Carers" in details
    assert visitor.main.get_by_text("How people choose between A&E").is_visible()

    visitor.follow("All projects")
    row = visitor.main.get_by_role("row", name="Urgent care in Wakefield")
    cells = [cell.strip() for cell in row.get_by_role("cell").all_inner_texts()]
    assert cells == [
        "Urgent care in Wakefield: what matters to you",
        "Design",
        carol.display_name,
        "27 Mar 2026 to 30 Sep 2026",
    ]


def test_given_the_projects_list_when_a_lead_filters_by_stage_then_only_projects_at_that_stage_show(
    visitor: Visitor, carol, wakefield, project_factory
):
    project_factory(organisation=wakefield, title="Maternity voices", stage="design")
    project_factory(organisation=wakefield, title="Stroke rehabilitation", stage="monitor")
    visitor.start_signed_in(carol)
    visitor.visit("/projects/")

    visitor.main.get_by_label("Stage on the commissioning cycle").select_option(label="Monitor")
    visitor.submit("Show")

    assert visitor.main.get_by_role("link", name="Stroke rehabilitation").is_visible()
    assert visitor.main.get_by_role("link", name="Maternity voices").count() == 0
