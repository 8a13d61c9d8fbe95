"""The demo organisation opens with decisions linked to its feedback, a public "you said, we did" page with
approved quotes, and a commitment overdue on the home page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from heard.acting.models import Decision, Quote, QuoteStatus
from heard.acting.selectors import decision_voices, decisions_fed_by
from heard.core.disclosure import SmallNumberRule, protected
from heard.listening.models import FeedbackItem

pytestmark = pytest.mark.django_db


def test_the_demo_project_has_decisions_with_their_voices_and_a_public_page(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo_load", stdout=io.StringIO())

    decisions = Decision.objects.filter(organisation__slug="leeds-west")
    assert decisions.count() == 3
    weekend = decisions.get(title__startswith="More staff")
    voices = decision_voices(decision=weekend)
    assert voices.count() >= 20
    assert weekend in decisions_fed_by(item=voices.first())

    project = weekend.project
    page = Client().get(f"/you-said-we-did/leeds-west/{project.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "More staff at the urgent treatment centre at weekends" in text
    assert "Reply to everyone" not in text  # not published
    approved = Quote.objects.filter(project=project, status=QuoteStatus.APPROVED)
    assert approved.count() == 2
    assert all(f"“{quote.text}”" in text for quote in approved)
    waiting = Quote.objects.get(project=project, status=QuoteStatus.WAITING)
    assert waiting.text not in text

    # Its PPIE report: the decisions, the approved quotes, protected figures and the data it used.
    from heard.reports.builders import ppie_report
    from heard.reports.render import to_html

    report = to_html(ppie_report(project=project))
    assert "More staff at the urgent treatment centre at weekends" in report
    assert all(f"“{quote.text}”" in report for quote in approved) and waiting.text not in report
    assert "Data used" in report and "Counts from 1 to 7 are shown as *" in report
    comments = FeedbackItem.objects.filter(project=project).count()
    shown = protected(comments, SmallNumberRule.of(project.organisation))
    assert f">{shown}<" in report  # the count as the small-number rule shows it

    # Loading the demo again changes nothing.
    call_command("demo_load", stdout=io.StringIO())
    assert Decision.objects.filter(organisation__slug="leeds-west").count() == 3
