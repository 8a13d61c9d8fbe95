"""Decisions and commitments: recording one from a project's page and linking its evidence, choosing a quote and
its second check, the public "you said, we did" pages (with JavaScript off and on paper too), and the home page's
commitments due."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator

from heard.acting import services
from heard.acting.models import Decision
from heard.core.models import Organisation, Role, User
from heard.listening.models import FeedbackItem
from heard.projects.models import Project
from heard.understanding.models import Theme
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import coding_save
from tests.browser.browsing import Visitor
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT_PAGE = "/projects/evening-clinics/"
PUBLIC_ORGANISATION = "/you-said-we-did/leeds-north/"
PUBLIC_PROJECT = "/you-said-we-did/leeds-north/evening-clinics/"
CALL_BACK = "I waited three weeks for a call back and then the clinic was closed when I got there."
WAITING_CHOICE = "Waiting and timeliness (Access to services, Patient experience)"


@dataclass(frozen=True)
class EveningClinics:
    project: Project
    waiting: Theme
    parking: Theme
    waits: list[FeedbackItem]


def evening_clinics(organisation: Organisation, coder: User, *, waits: int, parking: int) -> EveningClinics:
    """A project whose comments an analyst coded: ``waits`` about waiting (the first one longer, for quoting)
    and ``parking`` about parking."""
    project = ProjectFactory(organisation=organisation, title="Evening clinics", slug="evening-clinics")
    codebook = codebook_create(actor=None, organisation=organisation, name="Patient experience", starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    parked = codebook.themes.get(name="Parking")
    source = FeedbackSourceFactory(organisation=organisation, name="Online survey")
    made = []
    for number in range(waits):
        text = CALL_BACK if number == 0 else f"I waited weeks ({number})"
        item = FeedbackItemFactory(organisation=organisation, source=source, project=project, text=text)
        coding_save(coder=coder, codebook=codebook, item=item, themes=[waiting], sentiment=4)
        made.append(item)
    for number in range(parking):
        item = FeedbackItemFactory(
            organisation=organisation, source=source, project=project, text=f"Parking is hard ({number})"
        )
        coding_save(coder=coder, codebook=codebook, item=item, themes=[parked], sentiment=4)
    return EveningClinics(project=project, waiting=waiting, parking=parked, waits=made)


def evening_appointments(actor: User, world: EveningClinics, *, themes: list[Theme]) -> Decision:
    """A commitment linked to ``themes`` and published, as a lead would leave it."""
    decision = services.decision_record(
        actor=actor,
        project=world.project,
        title="Evening appointments",
        you_said="Appointments clash with work.",
        we_did="Open the clinic until 8pm on Tuesdays and Thursdays.",
        owner_name="Planned care team",
        due_on=date(2027, 1, 31),
    )
    for theme in themes:
        services.evidence_add(actor=actor, decision=decision, target=theme)
    services.decision_publish(actor=actor, decision=decision)
    return decision


def press(visitor: Visitor, control: Locator) -> None:
    """Presses a button or follows a link found some other way than by its exact name, and checks the page."""
    with visitor.page.expect_navigation():
        control.click()
    visitor.check()


def cells_of(row: Locator) -> list[str]:
    return [text.strip() for text in row.get_by_role("cell").all_inner_texts()]


@pytest.fixture
def lena(leeds, member_factory) -> User:  # type: ignore[no-untyped-def]
    """Leeds North's engagement lead."""
    return member_factory(leeds, "lena", Role.ENGAGEMENT_LEAD)


def test_given_a_lead_when_she_records_a_commitment_from_the_project_page_then_she_links_evidence_and_publishes_it(
    visitor: Visitor, lena, bob, leeds
):
    evening_clinics(leeds, bob, waits=55, parking=0)
    visitor.start_signed_in(lena)
    visitor.visit(PROJECT_PAGE)

    # The decisions panel shows once, in the page, and not in its title.
    assert visitor.page.title() == "Evening clinics – Heard – Leeds North ICB"
    panel_heading = visitor.page.get_by_role("heading", name="Decisions and commitments")
    assert panel_heading.count() == 1 and panel_heading.is_visible()
    assert visitor.main.get_by_text("No decisions or commitments recorded yet.").is_visible()
    visitor.follow("Record a decision or commitment", within=visitor.main)

    assert visitor.heading() == "Record a decision or commitment"
    visitor.choose("Commitment to act")
    visitor.fill("Short title", "Evening appointments")
    visitor.fill("What people told us (optional)", "Appointments clash with work.")
    visitor.fill("What we decided or will do", "Open the clinic until 8pm on Tuesdays and Thursdays.")
    visitor.fill("Who is doing it (optional)", "Planned care team")
    visitor.main.get_by_label("Person responsible in Heard (optional)", exact=True).select_option(
        label=lena.display_name
    )
    visitor.choose("Planned")
    response = visitor.submit("Save")

    # A planned commitment without a date: the summary names the problem and leads to the day box.
    assert response.status == 400
    assert visitor.page.title().startswith("Error: ")
    problem = "Enter the date it will be done by, so that people can hold us to it"
    summary = visitor.page.get_by_role("alert")
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    link = summary.get_by_role("link", name=problem)
    assert link.get_attribute("href") == "#id_due_on_0"
    link.click()
    assert visitor.page.evaluate("document.activeElement.id") == "id_due_on_0"
    due = visitor.main.get_by_role("group", name=re.compile("^Date it will be done by"))
    assert due.get_by_text(problem).is_visible()
    # What was typed is still there.
    assert visitor.main.get_by_label("Short title", exact=True).input_value() == "Evening appointments"
    assert visitor.main.get_by_label("Commitment to act", exact=True).is_checked()

    visitor.fill_date("Date it will be done by", "30", "6", "2027")
    visitor.submit("Save")

    assert visitor.heading() == "Evening appointments"
    assert visitor.page.get_by_text(
        "Recorded: Evening appointments. Now link the evidence behind it."
    ).is_visible()
    details = visitor.main.locator(".nhsuk-summary-list").inner_text()
    assert "30 June 2027" in details and "Planned care team" in details and lena.display_name in details
    assert "Not published" in details
    assert visitor.main.get_by_text("No evidence linked yet.").is_visible()
    visitor.follow("Link evidence to Evening appointments")

    assert visitor.heading() == "Link evidence"
    visitor.main.get_by_label("A theme", exact=True).select_option(label=WAITING_CHOICE)
    visitor.choose("Comments in this project")
    visitor.submit("Link")

    assert visitor.page.get_by_text("Evidence linked", exact=True).is_visible()
    evidence = visitor.main.get_by_role("table", name="Evidence linked to this decision")
    row = evidence.get_by_role("row", name=re.compile("Waiting and timeliness"))
    assert cells_of(row)[:3] == ["Theme", "Waiting and timeliness (comments in this project)", "55"]
    assert visitor.main.get_by_text("55 comments through the evidence above, each counted once.").is_visible()
    visitor.follow("All 55 comments")

    assert visitor.heading() == "Voices behind “Evening appointments”"
    assert visitor.main.get_by_text("55 comments, newest first. Page 1 of 2.").is_visible()
    voices = visitor.main.locator("ul.nhsuk-list--border > li")
    assert voices.count() == 50
    pages = visitor.main.get_by_role("navigation", name="Pagination")
    press(visitor, pages.get_by_role("link", name=re.compile("^Next")))

    assert visitor.main.get_by_text("55 comments, newest first. Page 2 of 2.").is_visible()
    assert voices.count() == 5
    assert pages.get_by_role("link", name=re.compile("^Next")).count() == 0
    visitor.follow("Evening appointments")  # the back link

    visitor.submit("Publish on the public page")
    assert visitor.page.get_by_text("Published on the public “you said, we did” page").is_visible()
    assert "Published " in visitor.main.locator(".nhsuk-summary-list").inner_text()
    visitor.follow("“you said, we did” page")

    assert visitor.page.url.endswith(PUBLIC_PROJECT)
    assert visitor.heading() == "Evening clinics"
    decision = visitor.main.get_by_role("region", name="Evening appointments")
    assert decision.get_by_text("Due by 30 June 2027").is_visible()
    assert decision.get_by_text("We will: Open the clinic until 8pm on Tuesdays and Thursdays.").is_visible()


def test_given_an_analyst_when_she_chooses_a_quote_then_a_lead_checks_it_before_it_shows_and_can_withdraw_it(
    visitor: Visitor, another_visitor: Visitor, bob, lena, leeds
):
    world = evening_clinics(leeds, bob, waits=12, parking=0)
    decision = evening_appointments(lena, world, themes=[world.waiting])
    chosen = "I waited three weeks … the clinic was closed"
    visitor.start_signed_in(bob)
    visitor.visit(f"/feedback/{world.waits[0].pk}/")

    assert visitor.main.get_by_role("heading", name="Decisions this comment fed").is_visible()
    assert visitor.main.get_by_role("link", name="Evening appointments").is_visible()
    visitor.follow("Choose a quote from this comment for Evening clinics")

    assert visitor.heading() == "Choose a quote"
    words = visitor.main.get_by_label("Words to quote", exact=True)
    assert words.input_value() == CALL_BACK
    visitor.fill("Words to quote", "I waited three months")
    response = visitor.submit("Choose this quote")

    assert response.status == 400
    assert (
        visitor.page.get_by_role("alert")
        .get_by_role("link", name=re.compile("^A quote must use the comment's own words"))
        .is_visible()
    )
    visitor.fill("Words to quote", chosen)
    visitor.main.get_by_label("The decision it shows (optional)", exact=True).select_option(
        label="Evening appointments"
    )
    visitor.submit("Choose this quote")

    assert visitor.heading() == "Quotes"
    assert visitor.page.get_by_text(
        "Quote chosen. Someone else must check it before it can be published."
    ).is_visible()
    waiting = visitor.main.locator(".nhsuk-card", has_text=chosen)
    assert waiting.get_by_text("You chose this quote, so someone else must check it.").is_visible()
    assert waiting.get_by_role("button", name="Approve this quote").count() == 0

    lead = another_visitor
    lead.start_signed_in(lena)
    lead.visit("/projects/evening-clinics/quotes/")
    lead.submit("Approve this quote")
    assert lead.page.get_by_text("Quote approved").is_visible()
    assert lead.main.get_by_text("None waiting.").is_visible()
    assert lead.main.locator(".nhsuk-card", has_text=chosen).get_by_text("checked by Lena").is_visible()

    lead.visit(PUBLIC_PROJECT)
    section = lead.main.locator(f"#decision-{decision.pk}")
    assert section.get_by_text(f"“{chosen}”").is_visible()

    lead.visit("/projects/evening-clinics/quotes/")
    lead.fill("Why withdraw it?", "The person asked us to")
    press(lead, lead.main.get_by_role("button", name=re.compile("^Withdraw the quote")))
    assert lead.page.get_by_text("Quote withdrawn. It no longer shows on any page or report.").is_visible()
    assert lead.main.get_by_text("None approved yet.").is_visible()
    withdrawn = lead.main.get_by_role("listitem").filter(has_text="The person asked us to")
    assert withdrawn.is_visible()

    lead.visit(PUBLIC_PROJECT)
    assert lead.heading() == "Evening clinics"
    assert lead.main.get_by_text("I waited three weeks").count() == 0


@pytest.mark.parametrize("who", ["visitor", "visitor_without_javascript"])
def test_given_a_published_commitment_when_anyone_reads_the_public_pages_then_counts_are_protected_and_they_print(
    who: str, request: pytest.FixtureRequest, lena, bob, leeds
):
    world = evening_clinics(leeds, bob, waits=12, parking=3)
    evening_appointments(lena, world, themes=[world.waiting, world.parking])
    visitor: Visitor = request.getfixturevalue(who)
    visitor.visit(PUBLIC_ORGANISATION)

    assert visitor.page.title() == "What changed because of you – You said, we did – Leeds North ICB"
    assert visitor.heading() == "You said, we did"
    assert visitor.main.get_by_text("What Leeds North ICB did, or will do").is_visible()
    assert visitor.main.get_by_role("heading", level=2, name="Evening clinics").is_visible()
    assert visitor.main.get_by_text("1 change published, 0 done.").is_visible()
    for name, kind, path in [
        ("Atom feed", "application/atom+xml", "feed.atom"),
        ("JSON feed", "application/feed+json", "feed.json"),
    ]:
        href = visitor.main.get_by_role("link", name=name).get_attribute("href")
        assert href == PUBLIC_ORGANISATION + path
        feed = visitor.page.request.get(visitor.base_url + href)
        assert feed.ok and feed.headers["content-type"].startswith(kind)
        assert "Evening clinics: Evening appointments" in feed.text()
    assert visitor.page.get_by_role("banner").is_visible()
    visitor.page.emulate_media(media="print")
    assert visitor.heading() == "You said, we did"
    assert visitor.main.get_by_role("link", name="Evening clinics").is_visible()
    assert not visitor.page.get_by_role("banner").is_visible()
    assert not visitor.main.get_by_role("link", name="Atom feed").is_visible()
    visitor.page.emulate_media(media="screen")
    visitor.follow("Evening clinics")

    assert visitor.page.url.endswith(PUBLIC_PROJECT)
    assert visitor.heading() == "Evening clinics"
    themes = visitor.main.get_by_role("table", name="What people's comments were about")
    assert cells_of(themes.get_by_role("row", name=re.compile("Waiting and timeliness"))) == [
        "Waiting and timeliness",
        "10",
    ]
    assert cells_of(themes.get_by_role("row", name=re.compile("Parking"))) == [
        "Parking",
        "*\nfewer than 8",
    ]  # the star, and its meaning for screen readers
    assert visitor.main.get_by_text("To protect people's privacy:").is_visible()
    decision = visitor.main.get_by_role("region", name="Evening appointments")
    assert decision.get_by_role("heading", level=3, name="Evening appointments").is_visible()
    assert decision.get_by_text("Due by 31 January 2027").is_visible()
    assert decision.get_by_text("You said: Appointments clash with work.").is_visible()
    assert decision.get_by_text("We will: Open the clinic until 8pm on Tuesdays and Thursdays.").is_visible()
    assert decision.get_by_text("Who: Planned care team").is_visible()
    assert decision.get_by_text(
        "Based on comments about: Waiting and timeliness (10), Parking (fewer than 8)"
    ).is_visible()
    assert themes.locator("tbody tr").count() == 2  # the true counts, 12 and 3, show nowhere

    visitor.page.emulate_media(media="print")
    assert visitor.heading() == "Evening clinics"
    assert themes.is_visible()
    assert decision.get_by_text("We will: Open the clinic until 8pm").is_visible()
    assert not visitor.page.get_by_role("banner").is_visible()
    assert not visitor.page.get_by_role("contentinfo").locator(".nhsuk-footer-container").is_visible()
    visitor.page.emulate_media(media="screen")
    visitor.follow("All changes")
    assert visitor.heading() == "You said, we did"


def test_given_a_commitment_past_its_date_when_a_lead_opens_home_then_it_shows_as_overdue(
    visitor: Visitor, lena, leeds
):
    project = ProjectFactory(organisation=leeds, title="Evening clinics", slug="evening-clinics")
    today = timezone.localdate()
    for title, due in [
        ("Call back within a day", today - timedelta(days=5)),
        ("Text reminders", today + timedelta(days=7)),
        ("New waiting room", today + timedelta(days=60)),
    ]:
        services.decision_record(actor=lena, project=project, title=title, we_did="Do it.", due_on=due)
    late = today - timedelta(days=5)
    visitor.start_signed_in(lena)

    panel = visitor.main.locator("h2:text-is('Commitments due') + ul")
    overdue = panel.get_by_role("listitem").filter(has_text="Call back within a day")
    assert overdue.inner_text().endswith(f"(Evening clinics): overdue, was due {late.day} {late:%B %Y}")
    soon = today + timedelta(days=7)
    assert (
        panel.get_by_role("listitem")
        .filter(has_text="Text reminders")
        .inner_text()
        .endswith(f"due {soon.day} {soon:%B %Y}")
    )
    assert panel.get_by_text("New waiting room").count() == 0
    visitor.follow("Call back within a day", within=visitor.main)

    assert visitor.heading() == "Call back within a day"
    assert visitor.main.get_by_text(f"It was due on {late.day} {late:%B %Y}.").is_visible()
    assert visitor.main.locator(".nhsuk-tag", has_text="Overdue").is_visible()


def test_given_no_javascript_when_a_lead_records_a_commitment_and_links_a_comment_then_both_are_saved(
    visitor_without_javascript: Visitor, lena, leeds
):
    visitor = visitor_without_javascript
    project = ProjectFactory(organisation=leeds, title="Evening clinics", slug="evening-clinics")
    comment = FeedbackItemFactory(organisation=leeds, project=project, text="Please open after work.")
    visitor.start_signed_in(lena)
    assert visitor.page.evaluate("document.body.classList.contains('js-enabled')") is False
    visitor.visit(PROJECT_PAGE)
    visitor.follow("Record a decision or commitment", within=visitor.main)

    visitor.fill("Short title", "Evening appointments")
    visitor.fill("What we decided or will do", "Open the clinic until 8pm.")
    response = visitor.submit("Save")

    assert response.status == 400
    summary = visitor.page.get_by_role("alert")
    problem = "Enter the date it will be done by, so that people can hold us to it"
    assert summary.get_by_role("link", name=problem).get_attribute("href") == "#id_due_on_0"
    visitor.fill_date("Date it will be done by", "30", "6", "2027")
    visitor.submit("Save")

    assert visitor.heading() == "Evening appointments"
    visitor.follow("Link evidence to Evening appointments")
    response = visitor.submit("Link")

    assert response.status == 400
    assert (
        visitor.page.get_by_role("alert")
        .get_by_text("Choose a theme, an event, a question or a comment to link")
        .is_visible()
    )
    visitor.fill("Or a comment's number", str(comment.pk))
    visitor.fill("How it shaped the decision (optional)", "Said it best")
    visitor.submit("Link")

    evidence = visitor.main.get_by_role("table", name="Evidence linked to this decision")
    row = evidence.get_by_role("row", name=re.compile("Please open after work"))
    assert cells_of(row)[0] == "Comment" and cells_of(row)[2] == "1"
    assert row.get_by_text("Said it best").is_visible()
    assert visitor.main.get_by_text("1 comment through the evidence above, each counted once.").is_visible()
