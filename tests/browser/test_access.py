"""What each role may reach, and that one organisation never reaches another's projects."""

from __future__ import annotations

import pytest

from heard.core.models import Role
from tests.browser.browsing import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def navigation_items(visitor: Visitor) -> list[str]:
    return [
        item.strip() for item in visitor.page.get_by_role("navigation").get_by_role("link").all_inner_texts()
    ]


def test_given_a_viewer_then_she_has_no_way_to_start_a_project_and_the_new_project_page_is_refused(
    visitor: Visitor, demo_org, member_factory, project_factory
):
    viewer = member_factory(demo_org, "vic", Role.VIEWER)
    project_factory(organisation=demo_org, title="Community pharmacy opening hours")
    visitor.start_signed_in(viewer)
    assert visitor.main.get_by_role("link", name="Start a new engagement project").count() == 0

    visitor.follow("Projects", within=visitor.page.get_by_role("navigation"))
    assert visitor.main.get_by_role("link", name="Community pharmacy opening hours").is_visible()
    assert visitor.main.get_by_role("button", name="Start a new project").count() == 0

    response = visitor.visit("/projects/new/")

    assert response.status == 403
    assert visitor.heading() == "You cannot see this page"


def test_given_an_analyst_then_people_and_the_audit_log_are_out_of_reach(visitor: Visitor, bob):
    visitor.start_signed_in(bob)
    assert "People" not in navigation_items(visitor)
    assert "Audit log" not in navigation_items(visitor)

    for address in ("/people/", "/audit/"):
        response = visitor.visit(address)
        assert response.status == 403
        assert visitor.heading() == "You cannot see this page"


def test_given_an_administrator_then_the_audit_log_shows_what_her_colleagues_did_and_she_can_open_people(
    visitor: Visitor, another_visitor: Visitor, alice, bob, leeds, authenticator_for
):
    # Bob signs in at his own desk, then tries the audit log.
    another_visitor.sign_in("bob", authenticator=authenticator_for(bob))
    another_visitor.visit("/audit/")
    # Alice, already signed in, starts a project.
    visitor.start_signed_in(alice)
    visitor.visit("/projects/new/")
    visitor.fill("Title", "Musculoskeletal services review")
    visitor.choose("Understand needs")
    visitor.submit("Create project")

    visitor.follow("Audit log", within=visitor.page.get_by_role("navigation"))

    assert visitor.heading() == "Audit log"
    rows = visitor.main.get_by_role("table").get_by_role("row")
    created = rows.filter(has_text="project.created")
    assert created.filter(has_text="Musculoskeletal services review").filter(has_text="alice").count() == 1
    assert rows.filter(has_text="signin.succeeded").filter(has_text="bob").count() == 1
    assert rows.filter(has_text="two_factor.set_up").filter(has_text="bob").count() == 1

    visitor.main.get_by_label("Action starts with").fill("project")
    visitor.submit("Search the log")
    assert visitor.main.get_by_role("table").get_by_role("row").filter(has_text="signin.").count() == 0

    visitor.follow("People", within=visitor.page.get_by_role("navigation"))
    assert visitor.heading() == "People in Leeds North ICB"
    people = visitor.main.get_by_role("table").inner_text()
    assert "alice" in people
    assert "bob" in people
    visitor.submit("Add a person")  # a link styled as a button
    assert visitor.heading() == "Add a person to Leeds North ICB"


def test_given_a_member_of_another_organisation_when_she_types_a_projects_address_then_it_is_not_found(
    visitor: Visitor, carol, leeds, project_factory
):
    project_factory(organisation=leeds, title="Leeds stroke services", slug="leeds-stroke-services")
    visitor.start_signed_in(carol)

    for address in ("/projects/leeds-stroke-services/", "/projects/leeds-stroke-services/edit/"):
        response = visitor.visit(address)
        assert response.status == 404
        assert visitor.heading() == "Page not found"
        assert "Leeds stroke services" not in visitor.page.content()

    visitor.visit("/projects/")
    assert visitor.main.get_by_role("link", name="Leeds stroke services").count() == 0
