"""Themes: starting a codebook, coding comments from the keyboard, training a model, reviewing its suggestions,
and agreement between coders."""

from __future__ import annotations

import random
import re

import pytest

from heard.core.models import Organisation, Role
from heard.listening.models import FeedbackItem
from heard.understanding.models import (
    Coding,
    CodingOrigin,
    Suggestion,
    SuggestionStatus,
    ThemeModelRun,
    TrainingStatus,
)
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import coding_save
from heard.understanding.services.training import training_run
from tests.browser.browsing import Visitor
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODEBOOK = "Patient experience"
STARTER_CHOICE = "Start from the FFT-QDC structure (10 categories, 32 themes) and change it"
# Invented comments whose words say which starter theme they belong to.
PHRASES = {
    "Waiting and timeliness": ["waited four hours", "a long wait to be seen", "the delay was awful"],
    "Staff manner and attitude": ["the nurse was so kind", "a rude receptionist", "friendly caring staff"],
    "Travel and transport": ["the bus does not stop near", "patient transport came late", "the taxi home"],
    "Food and drink": ["the dinner was cold", "lovely tasty meals", "no choice of breakfast"],
}


def comments(organisation: Organisation, count: int, seed: int = 3) -> list[tuple[FeedbackItem, str]]:
    """``count`` comments, each with the starter theme its words belong to."""
    rng = random.Random(seed)
    source = FeedbackSourceFactory(organisation=organisation, name="FFT – Ward 23")
    made = []
    for number in range(count):
        theme = list(PHRASES)[number % len(PHRASES)]
        text = f"{rng.choice(PHRASES[theme])} on my visit number {number}".capitalize()
        made.append((FeedbackItemFactory(organisation=organisation, source=source, text=text), theme))
    return made


def feedback_shown(visitor: Visitor) -> int:
    """The number of the comment the coding page shows, from its heading "Feedback 123"."""
    heading = visitor.main.get_by_role("heading", level=2, name=re.compile(r"^Feedback \d+$")).inner_text()
    return int(heading.split()[-1])


def press_enter_in(visitor: Visitor, label: str) -> None:
    """Presses Enter in the box called ``label``, which submits its form, and checks the page it leads to."""
    box = visitor.main.get_by_label(label, exact=True)
    with visitor.page.expect_navigation():
        box.press("Enter")
    visitor.check()


def test_given_an_analyst_when_she_starts_a_codebook_from_the_fft_qdc_structure_then_its_themes_are_numbered(
    visitor: Visitor, bob
):
    visitor.start_signed_in(bob)
    visitor.follow("Themes", within=visitor.page.get_by_role("navigation"))

    assert visitor.heading() == "Themes"
    assert visitor.main.get_by_text("No codebooks yet.").is_visible()
    visitor.fill("Name", CODEBOOK)
    visitor.choose(STARTER_CHOICE)
    visitor.submit("Start the codebook")

    assert visitor.heading() == CODEBOOK
    assert visitor.page.get_by_text(f"Codebook ‘{CODEBOOK}’ created.").is_visible()
    themes = visitor.main.get_by_role("table", name="Themes, with the number a coder types for each")
    assert themes.locator("tbody tr").count() == 32
    waiting = themes.get_by_role("row", name=re.compile("Waiting and timeliness"))
    cells = [text.strip() for text in waiting.get_by_role("cell").all_inner_texts()]
    assert cells[:3] == ["12", "Access to services", "Waiting and timeliness"]

    visitor.follow("Themes", within=visitor.page.locator(":has(> a.nhsuk-back-link)"))
    row = visitor.main.get_by_role("row", name=re.compile(CODEBOOK))
    assert [text.strip() for text in row.get_by_role("cell").all_inner_texts()] == [CODEBOOK, "32", "0", "1"]


def test_given_comments_when_an_analyst_codes_with_the_keyboard_only_then_each_enter_saves_and_moves_on(
    visitor: Visitor, bob, leeds
):
    codebook = codebook_create(actor=None, organisation=leeds, name=CODEBOOK, starter=True)
    comments(leeds, 4)
    visitor.start_signed_in(bob)
    visitor.visit(f"/themes/{codebook.pk}/")
    visitor.follow("Code comments")

    assert visitor.heading() == "Code comments"
    codes = visitor.main.get_by_label("Codes", exact=True)
    assert codes.evaluate("box => box === document.activeElement"), "the Codes box should have focus"
    first = feedback_shown(visitor)
    visitor.page.keyboard.type("12 s4")
    with visitor.page.expect_navigation():
        visitor.page.keyboard.press("Enter")
    visitor.check()

    assert visitor.page.get_by_text(f"Saved feedback {first}: Waiting and timeliness.").is_visible()
    second = feedback_shown(visitor)
    assert second != first
    # The message is announced, but focus stays in the Codes box, so the next codes can be typed at once.
    assert visitor.main.get_by_label("Codes", exact=True).evaluate("box => box === document.activeElement")
    saved = Coding.objects.get(codebook=codebook, item_id=first)
    assert [theme.code for theme in saved.themes.all()] == [12]
    assert saved.sentiment == 4 and saved.coder == bob

    visitor.follow("Skip this comment")
    third = feedback_shown(visitor)
    assert visitor.main.get_by_label("Codes", exact=True).evaluate("box => box === document.activeElement")
    assert third not in (first, second)
    assert not Coding.objects.filter(item_id=second).exists()
    assert visitor.main.get_by_text("You have coded 1; people have coded 1 comment in all.").is_visible()


def test_given_enough_coding_when_an_analyst_trains_a_model_then_she_reviews_accepts_and_corrects_suggestions(
    visitor: Visitor, bob, leeds
):
    codebook = codebook_create(actor=None, organisation=leeds, name=CODEBOOK, starter=True)
    made = comments(leeds, 52)
    for item, theme in made[:40]:
        sentiment = 2 if theme == "Staff manner and attitude" else 4
        coding_save(
            coder=bob,
            codebook=codebook,
            item=item,
            themes=[codebook.themes.get(name=theme)],
            sentiment=sentiment,
        )
    visitor.start_signed_in(bob)
    visitor.visit(f"/themes/{codebook.pk}/")
    visitor.submit("Train a model on the coding so far")

    run = ThemeModelRun.objects.get(codebook=codebook)
    assert visitor.page.url.endswith(f"/themes/{codebook.pk}/models/{run.pk}/")
    assert visitor.heading() == "Waiting to start"
    assert visitor.main.get_by_role("progressbar", name="Waiting to start (0%)").is_visible()
    run = training_run(run_id=run.pk)  # what the worker does with the queued task
    assert run.status == TrainingStatus.DONE, run.failure
    # With JavaScript the page notices by itself, without a reload, and moves focus to the new heading.
    visitor.page.get_by_role("heading", level=1, name="Trained").wait_for(timeout=10_000)
    assert visitor.page.evaluate("document.activeElement.tagName") == "H1"
    assert visitor.page.title().startswith("Trained")
    visitor.check()

    assert visitor.heading() == "Trained"
    quality = visitor.main.get_by_role("table", name="Quality by theme, on held-back comments")
    for theme in PHRASES:
        assert quality.get_by_role("row", name=re.compile(theme)).is_visible()
    visitor.follow("Review the suggestions")

    assert visitor.heading() == "The model’s suggestions"
    assert visitor.main.get_by_text("12 suggestions wait for review").is_visible()
    listed = visitor.main.get_by_role("table", name="Suggestions waiting for review")
    assert listed.locator("tbody tr").count() == 12
    first, second = Suggestion.objects.filter(codebook=codebook).order_by("item_id")[:2]
    visitor.submit(f"Accept the suggestion for feedback {first.item_id}")

    assert visitor.page.get_by_text(f"Accepted the suggestion for feedback {first.item_id}.").is_visible()
    assert visitor.main.get_by_text("11 suggestions wait for review").is_visible()
    assert Coding.objects.get(item=first.item).origin == CodingOrigin.ACCEPTED
    visitor.follow(f"Correct the suggestion for feedback {second.item_id}")

    assert visitor.heading() == "Code comments"
    assert feedback_shown(visitor) == second.item_id
    assert visitor.main.get_by_text("The model suggests:").is_visible()
    suggested = visitor.main.get_by_label("Codes", exact=True).input_value()
    expected = {str(codebook.themes.get(pk=entry["theme"]).code) for entry in second.themes}
    if second.sentiment:
        expected.add(f"s{second.sentiment}")
    assert set(suggested.split()) == expected
    visitor.main.get_by_label("Codes", exact=True).fill("1 s3")
    press_enter_in(visitor, "Codes")

    assert visitor.page.get_by_text(
        f"Saved feedback {second.item_id}: Positive experience and thanks."
    ).is_visible()
    corrected = Coding.objects.get(item=second.item)
    assert corrected.origin == CodingOrigin.CORRECTED
    assert Suggestion.objects.get(pk=second.pk).status == SuggestionStatus.CORRECTED


def test_given_a_training_page_when_the_session_ends_then_watching_it_leads_to_sign_in_not_a_false_result(
    visitor: Visitor, bob, leeds
):
    codebook = codebook_create(actor=None, organisation=leeds, name=CODEBOOK, starter=True)
    for item, theme in comments(leeds, 24):
        coding_save(
            coder=bob, codebook=codebook, item=item, themes=[codebook.themes.get(name=theme)], sentiment=4
        )
    visitor.start_signed_in(bob)
    visitor.visit(f"/themes/{codebook.pk}/")
    visitor.submit("Train a model on the coding so far")
    assert visitor.heading() == "Waiting to start"

    visitor.page.context.clear_cookies()  # signed out elsewhere, or the session timed out

    visitor.page.get_by_role("heading", level=1, name="Sign in to Heard").wait_for(timeout=10_000)
    run = ThemeModelRun.objects.get(codebook=codebook)
    assert f"next=/themes/{codebook.pk}/models/{run.pk}/" in visitor.page.url.replace("%2F", "/")
    visitor.check()


def test_given_two_coders_when_an_analyst_opens_agreement_then_kappa_is_shown_by_theme(
    visitor: Visitor, bob, leeds, member_factory
):
    codebook = codebook_create(actor=None, organisation=leeds, name=CODEBOOK, starter=True)
    dana = member_factory(leeds, "dana", Role.ANALYST)
    made = comments(leeds, 8)
    for number, (item, theme) in enumerate(made):
        chosen = codebook.themes.get(name=theme)
        coding_save(coder=bob, codebook=codebook, item=item, themes=[chosen], sentiment=3)
        if number == 1:  # Dana codes one staff comment as waiting
            chosen = codebook.themes.get(name="Waiting and timeliness")
        coding_save(coder=dana, codebook=codebook, item=item, themes=[chosen], sentiment=3)
    visitor.start_signed_in(bob)
    visitor.visit(f"/themes/{codebook.pk}/")
    visitor.follow("Agreement between coders")

    assert visitor.heading() == "Agreement between coders"
    assert visitor.main.get_by_text("8 comments have been coded by two people.").is_visible()
    table = visitor.main.get_by_role("table", name="Agreement by theme")
    food = [
        text.strip()
        for text in table.get_by_role("row", name=re.compile("Food and drink"))
        .get_by_role("cell")
        .all_inner_texts()
    ]
    assert food == ["Food and drink", "2", "2", "1.00"]
    staff = table.get_by_role("row", name=re.compile("Staff manner and attitude"))
    assert [text.strip() for text in staff.get_by_role("cell").all_inner_texts()][1:3] == ["1", "2"]


def test_given_no_javascript_when_an_analyst_starts_a_codebook_and_codes_with_the_boxes_then_it_is_saved(
    visitor_without_javascript: Visitor, dee, demo_org
):
    visitor = visitor_without_javascript
    comments(demo_org, 3)
    visitor.sign_in("dee")
    assert visitor.page.evaluate("document.body.classList.contains('js-enabled')") is False

    visitor.follow("Themes", within=visitor.page.get_by_role("navigation"))
    visitor.fill("Name", CODEBOOK)
    visitor.choose(STARTER_CHOICE)
    visitor.submit("Start the codebook")
    assert visitor.heading() == CODEBOOK
    visitor.follow("Code comments")

    first = feedback_shown(visitor)
    visitor.choose("7. Staff skill and training")
    visitor.main.get_by_role("group", name="Sentiment").get_by_label("Positive", exact=True).check()
    with visitor.page.expect_navigation():
        visitor.main.get_by_role("button", name="Save and code the next").last.click()
    visitor.check()

    assert visitor.page.get_by_text(f"Saved feedback {first}: Staff skill and training.").is_visible()
    assert feedback_shown(visitor) != first
    saved = Coding.objects.get(item_id=first)
    assert [theme.name for theme in saved.themes.all()] == ["Staff skill and training"]
    assert saved.sentiment == 2
