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

pytestmark = pytest.mark.django_db


def test_the_demo_shows_coding_a_trained_model_dashboards_and_who_answered(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo_load", stdout=io.StringIO())

    codebook = Codebook.objects.get(organisation__slug="leeds-west")
    assert Coding.objects.filter(codebook=codebook).count() == 160
    run = ThemeModelRun.objects.get(codebook=codebook)
    assert run.status == "done" and run.quality["micro_f1"] > 0.7
    # The text messages carry their senders' ratings, and the model learned from them.
    kept = ThemeModel.from_bytes(bytes(run.model_file))
    assert kept.features.answers is not None and "answer very_poor" in kept.features.answers.vocabulary_
    assert Suggestion.objects.filter(codebook=codebook).count() >= 300
    board = dashboard(codebook=codebook, filters=DashboardFilters())
    assert board.comments >= 480
    assert any(cell.change for _, cells in board.trend.rows for cell in cells)  # a change beyond chance
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
    assert result.respondents >= 160
    assert any(one.status == "under" for one in result.groups)

    call_command("demo_load", stdout=io.StringIO())
    assert Coding.objects.filter(codebook=codebook).count() == 160  # loading again adds nothing
