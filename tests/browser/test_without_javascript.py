"""Heard's pages work with JavaScript off: signing in and starting a project are plain HTML forms."""

from __future__ import annotations

import pytest

from tests.browser.browsing import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_no_javascript_when_a_demo_member_signs_in_and_starts_a_project_then_it_is_created(
    visitor_without_javascript: Visitor, dee
):
    visitor = visitor_without_javascript
    visitor.sign_in("dee")
    assert visitor.page.evaluate("document.body.classList.contains('js-enabled')") is False

    visitor.follow("Projects", within=visitor.page.get_by_role("navigation"))
    visitor.submit("Start a new project")
    response = visitor.submit("Create project")
    assert response.status == 400
    assert visitor.page.get_by_role("alert").get_by_text("There is a problem").is_visible()

    visitor.fill("Title", "Dental access for older people")
    visitor.choose("Monitor")
    visitor.fill_date("Start date", "1", "4", "2026")
    visitor.main.get_by_label("Project lead", exact=True).select_option(label=dee.display_name)
    visitor.choose("Older people")
    visitor.submit("Create project")

    assert visitor.heading() == "Dental access for older people"
    details = visitor.main.locator(".nhsuk-summary-list").inner_text()
    assert "Monitor" in details
    assert "1 April 2026" in details
    assert dee.display_name in details
    assert "Older people" in details
