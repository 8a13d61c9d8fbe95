"""Staff reading feedback: the filtered list, one item, flagging it for follow-up, downloads, and API keys."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from heard.listening.models import ApiToken
from heard.listening.services.tokens import token_digest
from tests.browser.browsing import Visitor
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORTERS = "The porters were quick and friendly."
WAITING_ROOM = "The waiting room was cold and nobody said how long the wait would be."


@pytest.fixture
def feedback(demo_org) -> None:
    ward = FeedbackSourceFactory(organisation=demo_org, name="FFT – Ward 23")
    pals = FeedbackSourceFactory(organisation=demo_org, name="PALS log", kind="pals")
    FeedbackItemFactory(organisation=demo_org, source=ward, text=PORTERS, fft_answer="very_good")
    FeedbackItemFactory(
        organisation=demo_org, source=pals, channel="paper", text=WAITING_ROOM, service="Outpatients"
    )


def comments_listed(visitor: Visitor) -> list[str]:
    return [text.strip() for text in visitor.main.get_by_role("table").get_by_role("link").all_inner_texts()]


def test_given_feedback_when_an_engagement_lead_filters_reads_and_flags_an_item_then_the_flag_filter_finds_it(
    visitor: Visitor, dee, feedback
):
    visitor.start_signed_in(dee)
    visitor.follow("Feedback", within=visitor.page.get_by_role("navigation"))

    assert visitor.heading() == "Feedback"
    assert visitor.main.get_by_text("2 items.").is_visible()
    assert sorted(comments_listed(visitor)) == sorted([PORTERS, WAITING_ROOM])
    downloads = {
        name: visitor.main.get_by_role("link", name=name).get_attribute("href") or ""
        for name in ("CSV", "Excel")
    }
    assert downloads["CSV"].startswith("/feedback/export.csv?")
    assert downloads["Excel"].startswith("/feedback/export.xlsx?")

    visitor.main.get_by_label("Channel", exact=True).select_option(label="Paper form")
    visitor.submit("Show feedback")

    assert comments_listed(visitor) == [WAITING_ROOM]
    csv_link = visitor.main.get_by_role("link", name="CSV").get_attribute("href") or ""
    assert parse_qs(urlsplit(csv_link).query)["channel"] == ["paper"]  # the download has the same filters

    visitor.follow(WAITING_ROOM)
    assert visitor.heading().startswith("Feedback received")
    assert visitor.main.get_by_text(WAITING_ROOM).is_visible()
    details = visitor.main.locator(".nhsuk-summary-list").first.inner_text()
    assert "PALS log" in details
    assert "Outpatients" in details
    visitor.choose("Mark for follow-up")
    visitor.fill("Note for colleagues (optional)", "Ask estates about the heating")
    visitor.submit("Save")

    assert visitor.main.get_by_text("Marked for follow-up").is_visible()
    assert visitor.main.get_by_label("Mark for follow-up", exact=True).is_checked()
    visitor.follow("All feedback")
    visitor.choose("Only items marked for follow-up")
    visitor.submit("Show feedback")

    assert comments_listed(visitor) == [WAITING_ROOM]
    assert visitor.main.get_by_role("table").get_by_text("Follow up", exact=True).is_visible()


def test_given_an_administrator_when_she_creates_an_api_key_then_it_is_shown_once_and_can_be_revoked(
    visitor: Visitor, alice
):
    visitor.start_signed_in(alice)
    visitor.follow("API keys", within=visitor.page.get_by_role("navigation"))
    assert visitor.heading() == "API keys"

    response = visitor.submit("Create a key")
    assert response.status == 400
    assert (
        visitor.page.get_by_role("alert").get_by_role("link", name="Enter what the key is for").is_visible()
    )

    visitor.fill("What is the new key for?", "PALS system")
    visitor.submit("Create a key")

    assert visitor.main.get_by_text("Copy this key now").is_visible()
    key = visitor.main.locator("#new-key").inner_text().strip()
    assert key.startswith("heard_")
    token = ApiToken.objects.get(name="PALS system")
    assert token.digest == token_digest(key)
    row = visitor.main.get_by_role("row", name="PALS system")
    assert token.prefix in row.inner_text()
    assert "API: PALS system" in row.inner_text()

    visitor.visit("/api-keys/")
    assert key not in visitor.page.content()
    assert visitor.main.get_by_text("Copy this key now").count() == 0

    visitor.submit("Revoke PALS system")
    assert visitor.main.get_by_text("The key PALS system no longer works").is_visible()
    assert "Revoked" in visitor.main.get_by_role("row", name="PALS system").inner_text()
