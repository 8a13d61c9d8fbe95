"""The demo organisation opens with themes coded, a model trained, its suggestions, a dashboard with a real
change over time, and a project whose respondents can be set against the area's population."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from heard.core.disclosure import SmallNumberRule
from heard.demo.surveys import SURVEY_TITLE
from heard.listening.models import FeedbackItem, Survey
from heard.understanding.dashboards import DashboardFilters, dashboard
from heard.understanding.learning.engine import ThemeModel
from heard.understanding.models import Codebook, Coding, PopulationProfile, Suggestion, ThemeModelRun
from heard.understanding.representation import representation
from heard.understanding.services.coding import agreement

pytestmark = pytest.mark.django_db


def test_the_demo_shows_coding_a_trained_model_dashboards_and_who_answered(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo_load", stdout=io.StringIO())

    codebook = Codebook.objects.get(organisation__slug="leeds-west")
    assert Coding.objects.filter(codebook=codebook, coder__username="demo-analyst").count() == 160
    # A colleague coded 40 of them too, so agreement can be measured; three wait for a second look.
    assert Coding.objects.filter(codebook=codebook, coder__username="demo-lead").count() == 40
    compared, kappas = agreement(codebook=codebook)
    assert compared == 40 and kappas
    assert Coding.objects.filter(codebook=codebook, second_look=True).exclude(note="").count() == 3
    # Each phrase carries its own feeling: a rude receptionist is not coded as praise for the staff.
    rude = [
        coding
        for coding in Coding.objects.filter(codebook=codebook, item__text__icontains="receptionist was rude")
        if coding.themes.count() == 1
    ]
    assert rude and all(coding.sentiment == 5 for coding in rude)
    run = ThemeModelRun.objects.get(codebook=codebook)
    assert run.status == "done" and run.quality["micro_f1"] > 0.7
    # The text messages carry their senders' ratings, and the model learned from them.
    kept = ThemeModel.from_bytes(bytes(run.model_file))
    assert kept.features.answers is not None and "answer very_poor" in kept.features.answers.vocabulary_
    assert Suggestion.objects.filter(codebook=codebook).count() >= 300
    board = dashboard(codebook=codebook, filters=DashboardFilters())
    assert board.comments >= 480 and board.complex_comments > 0
    # Waiting got worse from last month on: a rise beyond chance, whatever day the demo was made.
    [waiting] = [cells for theme, cells in board.trend.rows if theme.name == "Waiting and timeliness"]
    assert waiting[-2].change == "up"
    # The text messages ask two follow-up questions, and the dashboard splits the themes by them.
    assert {"What was good about your visit?", "What could we have done better?"} <= set(board.questions)
    assert board.by_question

    project = Survey.objects.get(organisation__slug="leeds-west", title=SURVEY_TITLE).project
    result = representation(
        items=FeedbackItem.objects.filter(project=project),
        profile=PopulationProfile.objects.get(organisation__slug="leeds-west"),
        rule=SmallNumberRule(),
        committed_groups=project.equality_groups,
    )
    assert project.title.startswith("Same-day") and result.respondents >= 160
    # The respondents came over the weeks the survey was open, not all on one day.
    dates = FeedbackItem.objects.filter(survey__title=SURVEY_TITLE).dates("received_at", "day")
    assert len(dates) > 20
    assert any(one.status == "under" for one in result.groups)

    call_command("demo_load", stdout=io.StringIO())
    assert Coding.objects.filter(codebook=codebook).count() == 200  # loading again adds nothing
