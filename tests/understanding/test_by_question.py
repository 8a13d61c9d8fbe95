"""Themes by the question a comment answers: recorded at intake, counted in the dashboards, used in training."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime

import pytest
from django.utils import timezone

from heard.listening.importing.mapping import columns_guess
from heard.listening.models import FeedbackItem
from heard.listening.services import imports, surveys
from heard.listening.services.responses import survey_response_receive
from heard.understanding.dashboards import DashboardFilters, dashboard
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import coding_save
from heard.understanding.services.training import training_data
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory
from tests.listening.import_files import csv_bytes
from tests.listening.survey_helpers import urgent_care_survey

pytestmark = pytest.mark.django_db

GOOD = "What was good?"
BETTER = "What could we do better?"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def by_question(leeds, bob):  # type: ignore[no-untyped-def]
    """12 answers to "What was good?" (10 on staff), 9 to "What could we do better?" and 2 to no question (all
    on waiting)."""
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    staff = codebook.themes.get(name="Staff manner and attitude")
    waiting = codebook.themes.get(name="Waiting and timeliness")
    source = FeedbackSourceFactory(organisation=leeds, name="FFT")
    when = datetime(2026, 5, 6, 12, tzinfo=timezone.get_current_timezone())
    for number in range(23):
        question = GOOD if number < 12 else BETTER if number < 21 else ""
        item = FeedbackItemFactory(
            organisation=leeds, source=source, received_at=when, text=f"Comment {number}", question=question
        )
        themes = [staff] if question == GOOD and number < 10 else [] if question == GOOD else [waiting]
        coding_save(coder=bob, codebook=codebook, item=item, themes=themes, sentiment=2)
    return {"codebook": codebook, "staff": staff, "waiting": waiting}


def test_the_dashboard_counts_themes_by_question_and_filters_to_one(by_question, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    codebook, staff, waiting = by_question["codebook"], by_question["staff"], by_question["waiting"]

    board = dashboard(codebook=codebook, filters=DashboardFilters())
    assert board.questions == [GOOD, BETTER, ""]
    table = {theme.name: counts for theme, counts in board.by_question}
    assert table == {staff.name: [10, 0, 0], waiting.name: [0, 9, 2]}

    only_better = dashboard(codebook=codebook, filters=DashboardFilters(question=BETTER))
    assert only_better.comments == 9
    assert {row.theme.name: row.count for row in only_better.themes} == {waiting.name: 9}

    client = signed_in(bob)
    page = client.get(f"/themes/{codebook.pk}/dashboard/").content.decode()
    assert '<h2 id="questions">By question</h2>' in page
    assert f'<option value="{GOOD}"' in page and "Question answered" in page
    filtered = client.get(f"/themes/{codebook.pk}/dashboard/", {"question": BETTER}).content.decode()
    assert "9 comments counted" in filtered
    comments = client.get(f"/themes/{codebook.pk}/comments/", {"question": GOOD}).content.decode()
    assert "12 comments" in comments
    # Each number in the table opens the comments behind it.
    link = re.search(r'href="([^"]+)">9<span class="nhsuk-u-visually-hidden"> comments on Waiting', page)
    assert link is not None
    behind = client.get(html.unescape(link.group(1))).content.decode()
    assert "9 comments." in behind and "Comments on ‘Waiting and timeliness’" in behind

    download = client.get(f"/themes/{codebook.pk}/dashboard/", {"download": "questions.csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["theme", GOOD, BETTER, "No single question"]
    # Small numbers protected, as in every download: 9 is rounded to 10, and 2 is shown as *.
    assert rows[1:] == [[waiting.name, "0", "10", "*"], [staff.name, "10", "0", "0"]]

    # Coders and readers see the question a comment answers ("Nothing" means little without it).
    answering = FeedbackItem.objects.filter(question=BETTER).first()
    assert (
        f"In answer to:</strong> {BETTER}"
        in client.get(f"/themes/{codebook.pk}/code/", {"item": answering.pk}).content.decode()
    )
    assert "Question answered" in client.get(f"/feedback/{answering.pk}/").content.decode()

    unknown = client.get(f"/themes/{codebook.pk}/dashboard/", {"question": "Not asked"})
    assert unknown.status_code == 400 and "Choose a question from the list" in unknown.content.decode()


def test_training_learns_from_the_question_each_comment_answers(by_question) -> None:  # type: ignore[no-untyped-def]
    coded = training_data(codebook=by_question["codebook"])
    assert sorted({comment.question for comment in coded}) == ["", BETTER, GOOD]


def test_an_import_keeps_the_question_column_and_two_answers_alike_are_not_repeats(leeds) -> None:  # type: ignore[no-untyped-def]
    source = FeedbackSourceFactory(organisation=leeds, name="FFT export", kind="fft")
    header = ["Date", "Ward", "Question", "Comment"]
    rows = [
        ["02/03/2026", "Ward 23", GOOD, "Nothing"],
        ["02/03/2026", "Ward 23", BETTER, "Nothing"],
        ["02/03/2026", "Ward 23", "x" * 501, "Too long a question"],
    ]
    assert columns_guess(header)["question"] == "Question"
    batch = imports.import_upload(
        actor=None,
        organisation=leeds,
        source=source,
        file_name="fft.csv",
        chunks=[csv_bytes(rows, header)],
    )
    batch = imports.import_map(
        actor=None,
        batch=batch,
        mapping_name="FFT by question",
        columns={"received_at": "Date", "service": "Ward", "question": "Question", "text": "Comment"},
        default_channel="online",
    )
    assert batch.rows_bad == 1
    [problem] = batch.problems
    assert f"Row {problem['row']}, {problem['field']}" == "Row 4, Question"
    assert problem["message"].endswith("is longer than 500 characters")
    imports.import_start(actor=None, batch=batch, good_rows=True)
    stored = sorted(FeedbackItem.objects.filter(source=source).values_list("question", "text"))
    assert stored == [(BETTER, "Nothing"), (GOOD, "Nothing")]


def test_a_survey_response_answers_a_question_only_when_one_open_question_was_answered(leeds) -> None:  # type: ignore[no-untyped-def]
    survey = urgent_care_survey(organisation=leeds)
    questions = surveys.survey_questions(survey)
    why = next(question for question in questions if question.key == "why")
    call = next(question for question in questions if question.key == "call_111")

    one = survey_response_receive(
        actor=None, survey=survey, questions=questions, answers={why.key: "Kind staff"}, channel="online"
    )
    both = survey_response_receive(
        actor=None,
        survey=survey,
        questions=questions,
        answers={why.key: "Kind staff", call.key: "Quick to answer"},
        channel="online",
    )

    assert FeedbackItem.objects.get(pk=one.pk).question == why.text
    assert FeedbackItem.objects.get(pk=both.pk).question == ""


def test_upgrading_gives_stored_survey_comments_their_question(leeds) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from django.apps import apps

    survey = urgent_care_survey(organisation=leeds)
    questions = surveys.survey_questions(survey)
    why = next(question for question in questions if question.key == "why")
    item = survey_response_receive(
        actor=None, survey=survey, questions=questions, answers={why.key: "Kind staff"}, channel="online"
    )
    FeedbackItem.objects.filter(pk=item.pk).update(question="")  # as it was before the upgrade
    migration = importlib.import_module("heard.listening.migrations.0004_feedback_question")

    migration.questions_from_surveys(apps, None)

    assert FeedbackItem.objects.get(pk=item.pk).question == why.text


def test_an_imported_question_is_depersonalised_cut_after_and_counts_in_the_repeat_check(leeds) -> None:  # type: ignore[no-untyped-def]
    from heard.listening.services.intake import IncomingFeedback, feedback_receive

    source = FeedbackSourceFactory(organisation=leeds, name="Partner export")
    when = datetime(2026, 5, 6, 12, tzinfo=timezone.get_current_timezone())

    def receive(question: str) -> tuple[FeedbackItem, bool]:
        incoming = IncomingFeedback(channel="online", text="Fine", received_at=when, question=question)
        return feedback_receive(actor=None, organisation=leeds, source=source, incoming=incoming)

    first, new = receive("Did Jane Smith on 07700 900123 help you?")
    assert new and "Jane Smith" not in first.question and "07700" not in first.question
    assert sum(first.redactions.values()) >= 2  # the removals are counted, never kept
    # Differing only in what redaction removes, it is the same feedback sent twice.
    again, new = receive("Did Mary Jones on 07700 900999 help you?")
    assert not new and again.pk == first.pk
    # Redaction can lengthen wording ("Al" becomes a placeholder): the stored question still fits.
    wording = ("Ask Al. " * 60).strip()  # 479 characters, 719 once each name is replaced
    long_one, _ = receive(wording)
    assert len(long_one.question) == 500 and long_one.question.startswith("Ask [NAME]. Ask [NAME].")


def test_a_survey_question_is_kept_as_its_staff_wrote_it(leeds) -> None:  # type: ignore[no-untyped-def]
    survey = urgent_care_survey(organisation=leeds)
    questions = surveys.survey_questions(survey)
    why = next(question for question in questions if question.key == "why")
    why.text = "What did you think of Florence Ward?"
    why.save()

    item = survey_response_receive(
        actor=None, survey=survey, questions=questions, answers={why.key: "Calm and clean"}, channel="online"
    )

    stored = FeedbackItem.objects.get(pk=item.pk)
    assert stored.question == "What did you think of Florence Ward?" and stored.redactions == {}


def test_the_question_filter_offers_the_commonest_and_accepts_any_the_codebook_has(by_question) -> None:  # type: ignore[no-untyped-def]
    from heard.understanding.dashboards import questions_of
    from heard.understanding.services.summaries import summaries_for_reading

    codebook = by_question["codebook"]
    summaries_for_reading(codebook=codebook)
    assert questions_of(codebook=codebook) == [GOOD, BETTER]  # most comments first
    assert questions_of(codebook=codebook, limit=1) == [GOOD]
    assert questions_of(codebook=codebook, limit=1, including=BETTER) == [GOOD, BETTER]
    assert questions_of(codebook=codebook, limit=1, including="Never asked") == [GOOD]


def test_upgrading_copies_questions_into_the_coded_rows_and_recounts_the_months(by_question) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from django.apps import apps

    from heard.understanding.models import CodedItem, StaleMonth, ThemeAssignment
    from heard.understanding.services.summaries import summaries_for_reading

    codebook = by_question["codebook"]
    summaries_for_reading(codebook=codebook)
    CodedItem.objects.update(question="")  # as the rows were before the upgrade
    ThemeAssignment.objects.update(question="")
    migration = importlib.import_module("heard.understanding.migrations.0007_feedback_question")

    migration.questions_copied(apps, None)

    assert CodedItem.objects.filter(question=BETTER).count() == 9
    assert ThemeAssignment.objects.filter(question=GOOD).count() == 10
    assert StaleMonth.objects.filter(codebook=codebook).exists()
    board = dashboard(codebook=codebook, filters=DashboardFilters(question=BETTER))
    assert board.comments == 9
