"""Comments that arrive after a model was trained are coded with it as they arrive, not at the next training."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import IntegrityError
from django.utils import timezone

from heard.listening.models import FeedbackItem
from heard.listening.services import surveys
from heard.listening.services.intake import IncomingFeedback, feedback_receive_many
from heard.listening.services.responses import survey_response_receive
from heard.understanding import tasks
from heard.understanding.models import (
    Codebook,
    CodedItem,
    Suggestion,
    SuggestionStatus,
    ThemeAssignment,
    ThemeModelRun,
    TrainingStatus,
)
from heard.understanding.services import assignments, codebooks, coding, suggesting, training
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import coding_save
from heard.understanding.services.suggesting import suggestions_for_new
from heard.understanding.services.training import training_run
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory
from tests.listening.survey_helpers import urgent_care_survey
from tests.understanding.test_coding_and_training import comments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):  # type: ignore[no-untyped-def]
    """As a worker would run them, but at once: the event's task runs when the receiving transaction commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def trained(organisation, coder) -> tuple[Codebook, ThemeModelRun]:  # type: ignore[no-untyped-def]
    """A starter codebook with 60 coded comments and a model trained on them (and 20 comments left to it)."""
    codebook = codebook_create(actor=None, organisation=organisation, name="Patient experience", starter=True)
    for item, theme in comments(organisation, 80)[:60]:
        coding_save(
            coder=coder, codebook=codebook, item=item, themes=[codebook.themes.get(name=theme)], sentiment=3
        )
    run = ThemeModelRun.objects.create(organisation=organisation, codebook=codebook)
    run = training_run(run_id=run.pk)
    assert run.status == TrainingStatus.DONE, run.failure
    return codebook, run


def receive(organisation, texts: list[str], capture) -> list[FeedbackItem]:  # type: ignore[no-untyped-def]
    """Feedback arriving as an import or the API brings it: the event's tasks run once the transaction commits."""
    source = FeedbackSourceFactory(organisation=organisation)
    with capture(execute=True):
        summary = feedback_receive_many(
            actor=None,
            organisation=organisation,
            source=source,
            incoming=[IncomingFeedback(channel="web", text=text) for text in texts],
        )
    return list(FeedbackItem.objects.filter(pk__in=summary.item_ids).order_by("pk"))


def themes_suggested(codebook: Codebook, item: FeedbackItem) -> set[str]:
    suggestion = Suggestion.objects.get(codebook=codebook, item=item)
    return {codebook.themes.get(pk=entry["theme"]).name for entry in suggestion.themes}


def test_comments_received_after_training_are_suggested_for_and_counted(
    leeds, bob, signed_in, django_capture_on_commit_callbacks
) -> None:
    codebook, run = trained(leeds, bob)
    assert run.suggested == 20
    wanted = {
        "We waited four hours in the corridor": "Waiting and timeliness",
        "The nurse was so kind to my mum": "Staff manner and attitude",
        "Patient transport came late again": "Travel and transport",
        "The dinner was cold and late": "Food and drink",
    }

    arrived = receive(leeds, list(wanted), django_capture_on_commit_callbacks)

    for item, text in zip(arrived, wanted, strict=True):
        suggestion = Suggestion.objects.get(codebook=codebook, item=item)
        assert suggestion.run_id == run.pk and suggestion.status == SuggestionStatus.OPEN
        assert wanted[text] in themes_suggested(codebook, item)
    run.refresh_from_db()
    assert run.suggested == 24
    # The dashboards count them, and the analyst finds them waiting for review.
    assert CodedItem.objects.filter(codebook=codebook, item__in=arrived, by_model=True).count() == 4
    client = signed_in(bob)
    assert (
        "24 suggestions wait for review" in client.get(f"/themes/{codebook.pk}/suggestions/").content.decode()
    )
    about = client.get(f"/themes/{codebook.pk}/models/{run.pk}/").content.decode()
    assert "suggested themes for 24 comments nobody had coded, and codes new comments as they arrive" in about


def test_a_theme_retired_after_training_is_not_suggested_for_new_comments(
    leeds, bob, django_capture_on_commit_callbacks
) -> None:
    codebook, _ = trained(leeds, bob)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    codebooks.theme_retire(actor=bob, theme=waiting)

    arrived = receive(
        leeds,
        ["We waited four hours in the corridor", "The nurse was so kind to my mum"],
        django_capture_on_commit_callbacks,
    )

    assert "Waiting and timeliness" not in themes_suggested(codebook, arrived[0])
    assert "Staff manner and attitude" in themes_suggested(codebook, arrived[1])
    # Nor do the dashboards count it.
    assert not ThemeAssignment.objects.filter(codebook=codebook, theme=waiting, item__in=arrived).exists()


def test_each_answer_of_a_survey_response_is_suggested_for(
    leeds, bob, django_capture_on_commit_callbacks
) -> None:
    codebook, _ = trained(leeds, bob)
    survey = urgent_care_survey(organisation=leeds)
    questions = surveys.survey_questions(survey)

    with django_capture_on_commit_callbacks(execute=True):
        response = survey_response_receive(
            actor=None,
            survey=survey,
            questions=questions,
            answers={"why": "A long wait to be seen", "used_111": "yes", "call_111": "The nurse was so kind"},
            channel="online",
        )

    parts = Suggestion.objects.filter(codebook=codebook, item=response).order_by("part")
    by_part = {suggestion.part: suggestion for suggestion in parts}
    assert len(by_part) == 2 and 0 not in by_part  # answer by answer, not the whole response
    named = {
        part: {codebook.themes.get(pk=entry["theme"]).name for entry in suggestion.themes}
        for part, suggestion in by_part.items()
    }
    assert any("Waiting and timeliness" in names for names in named.values())
    assert any("Staff manner and attitude" in names for names in named.values())


def test_nothing_is_suggested_without_a_model_nor_across_organisations(
    leeds, wakefield, bob, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    untrained = codebook_create(actor=None, organisation=wakefield, name="Patient experience", starter=True)
    theirs = FeedbackItemFactory(
        organisation=wakefield, text="We waited four hours"
    )  # an id below Leeds' below
    codebook, _ = trained(leeds, bob)
    queued: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        tasks, "theme_suggestions_for_new", SimpleNamespace(enqueue=lambda *args: queued.append(args))
    )

    # An organisation that has trained no model queues nothing for the comments it receives.
    arrived = receive(wakefield, ["The taxi home was late"], django_capture_on_commit_callbacks)
    assert queued == []
    # Leeds' model, asked to code every comment from the first id on, codes none of Wakefield's.
    assert suggestions_for_new(codebook=codebook, first_item_id=0) == 0
    assert not Suggestion.objects.filter(item__in=[theirs, *arrived]).exists()
    assert not Suggestion.objects.filter(codebook=untrained).exists()
    # Leeds' own new comments queue one task, for their ids.
    mine = receive(leeds, ["We waited four hours", "The dinner was cold"], django_capture_on_commit_callbacks)
    assert queued == [(leeds.pk, mine[0].pk, mine[1].pk)]


def test_a_failing_task_queue_does_not_fail_the_feedback_that_was_stored(
    leeds, bob, django_capture_on_commit_callbacks, monkeypatch, caplog
) -> None:
    trained(leeds, bob)

    def unreachable(*args: object) -> None:
        raise ConnectionError("the task queue is out of reach")

    monkeypatch.setattr(tasks, "theme_suggestions_for_new", SimpleNamespace(enqueue=unreachable))
    arrived = receive(leeds, ["We waited four hours"], django_capture_on_commit_callbacks)

    assert FeedbackItem.objects.filter(pk=arrived[0].pk).exists()
    assert "the task queue is out of reach" in caplog.text


def test_what_changes_while_the_model_codes_is_respected_when_it_writes(leeds, bob, monkeypatch) -> None:
    """The model codes outside the lock; a comment coded by a person meanwhile, or an item deleted meanwhile, is
    not written over when the suggestions are."""
    codebook, run = trained(leeds, bob)
    source = FeedbackSourceFactory(organisation=leeds)
    coded_meanwhile = FeedbackItemFactory(organisation=leeds, source=source, text="A long wait to be seen")
    deleted_meanwhile = FeedbackItemFactory(organisation=leeds, source=source, text="The taxi home")
    untouched = FeedbackItemFactory(organisation=leeds, source=source, text="The dinner was cold")
    code = suggesting._code

    def while_the_model_codes(*args):  # type: ignore[no-untyped-def]
        coded = code(*args)
        coding_save(
            coder=bob,
            codebook=codebook,
            item=coded_meanwhile,
            themes=[codebook.themes.get(name="Waiting and timeliness")],
            sentiment=4,
        )
        deleted_meanwhile.delete()
        return coded

    monkeypatch.setattr(suggesting, "_code", while_the_model_codes)
    assert suggestions_for_new(codebook=codebook, first_item_id=coded_meanwhile.pk) == 1

    assert not Suggestion.objects.filter(item=coded_meanwhile).exists()
    assert Suggestion.objects.get(item=untouched).run_id == run.pk


def test_a_failed_run_shields_nothing_and_a_failed_suggestion_pass_fails_the_run(
    leeds, bob, monkeypatch
) -> None:
    codebook, run = trained(leeds, bob)
    late = FeedbackItemFactory(organisation=leeds, text="The bus was late")
    failed = ThemeModelRun.objects.create(organisation=leeds, codebook=codebook, status=TrainingStatus.FAILED)
    Suggestion.objects.create(organisation=leeds, codebook=codebook, run=failed, item=late, themes=[])

    assert suggestions_for_new(codebook=codebook, first_item_id=late.pk) == 1
    assert Suggestion.objects.get(item=late).run_id == run.pk

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(training, "suggestions_make", broken)
    again = ThemeModelRun.objects.create(organisation=leeds, codebook=codebook)
    with pytest.raises(RuntimeError):
        training_run(run_id=again.pk)
    again.refresh_from_db()
    assert again.status == TrainingStatus.FAILED and "suggesting themes with it failed" in again.failure


def test_a_comment_coded_before_its_turn_is_left_alone_and_a_second_pass_does_nothing(leeds, bob) -> None:
    codebook, run = trained(leeds, bob)
    source = FeedbackSourceFactory(organisation=leeds)
    first = FeedbackItemFactory(organisation=leeds, source=source, text="A long wait")
    coded = FeedbackItem.objects.create(
        organisation=leeds, source=source, channel="web", text="The taxi home"
    )
    coding_save(
        coder=bob,
        codebook=codebook,
        item=coded,
        themes=[codebook.themes.get(name="Food and drink")],
        sentiment=None,
    )

    assert suggestions_for_new(codebook=codebook, first_item_id=first.pk) == 1
    assert suggestions_for_new(codebook=codebook, first_item_id=first.pk) == 0
    assert not Suggestion.objects.filter(item=coded).exists()
    assert Suggestion.objects.get(item=first).run_id == run.pk


def test_a_newer_model_replaces_what_an_older_one_suggested_while_it_was_training(
    leeds, bob, signed_in, monkeypatch
) -> None:
    codebook, older = trained(leeds, bob)
    source = FeedbackSourceFactory(organisation=leeds)
    late = FeedbackItemFactory(organisation=leeds, source=source, text="The bus was late")
    # A run being trained that has already suggested for a comment keeps its suggestion: the older model, still
    # the latest finished one, does not overwrite it.
    running = ThemeModelRun.objects.create(
        organisation=leeds, codebook=codebook, status=TrainingStatus.RUNNING, heartbeat_at=timezone.now()
    )
    Suggestion.objects.create(organisation=leeds, codebook=codebook, run=running, item=late, themes=[])
    assert suggestions_for_new(codebook=codebook, first_item_id=late.pk) == 0
    assert Suggestion.objects.get(item=late).run_id == running.pk
    running.delete()

    # A comment that arrives after the newer run has read past it is coded meanwhile with the older model (the
    # latest finished one); when the newer one finishes, it codes that comment again.
    make = training.suggestions_make
    arrived: list[FeedbackItem] = []

    def a_comment_arrives_meanwhile(**kwargs):  # type: ignore[no-untyped-def]
        made = make(**kwargs)
        arrived.append(FeedbackItemFactory(organisation=leeds, source=source, text="The taxi home was late"))
        assert suggestions_for_new(codebook=codebook, first_item_id=arrived[0].pk) == 1
        return made

    monkeypatch.setattr(training, "suggestions_make", a_comment_arrives_meanwhile)
    newer = training_run(run_id=ThemeModelRun.objects.create(organisation=leeds, codebook=codebook).pk)

    assert newer.status == TrainingStatus.DONE, newer.failure
    assert Suggestion.objects.get(item=arrived[0]).run_id == newer.pk
    assert not Suggestion.objects.filter(codebook=codebook, run=older, status=SuggestionStatus.OPEN).exists()
    assert newer.suggested == Suggestion.objects.filter(codebook=codebook, run=newer).count() == 22
    # Only the newer model's page says it codes new comments now.
    client = signed_in(bob)
    pages = [client.get(f"/themes/{codebook.pk}/models/{run.pk}/").content.decode() for run in (older, newer)]
    assert ["codes new comments as they arrive" in page for page in pages] == [False, True]


def test_a_task_codes_only_its_range_and_one_codebook_failing_spares_the_others(
    leeds, bob, monkeypatch
) -> None:
    codebook, run = trained(leeds, bob)
    other = codebook_create(actor=None, organisation=leeds, name="Another codebook", starter=True)
    ThemeModelRun.objects.filter(pk=run.pk).update(codebook=other)  # its latest model is the same one
    first, second, third = (
        FeedbackItemFactory(organisation=leeds, text=f"A long wait {n}") for n in range(3)
    )
    real = suggesting.suggestions_for_new

    def failing_in(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs["codebook"].pk == codebook.pk:
            raise RuntimeError("this codebook's model will not load")
        return real(**kwargs)

    monkeypatch.setattr(suggesting, "suggestions_for_new", failing_in)
    made = suggesting.suggestions_for_received(
        organisation_id=leeds.pk, first_item_id=first.pk, last_item_id=second.pk
    )

    assert made == 2
    assert set(Suggestion.objects.filter(codebook=other).values_list("item_id", flat=True)) >= {
        first.pk,
        second.pk,
    }
    assert not Suggestion.objects.filter(item=third).exists()


def test_writers_of_suggestions_and_coding_take_the_codebook_lock(leeds, bob, monkeypatch) -> None:
    """On PostgreSQL the lock orders them (ADR 0017); here, that each takes it, and how."""
    codebook, _ = trained(leeds, bob)
    taken: list[tuple[str, int, bool]] = []
    for module, name in (
        (suggesting, "writer"),
        (coding, "coder"),
        (codebooks, "retire"),
        (assignments, "restore"),
    ):
        monkeypatch.setattr(
            module,
            "suggestions_lock",
            lambda codebook_id, shared=False, name=name: taken.append((name, codebook_id, shared)),
        )
    item = FeedbackItemFactory(organisation=leeds, text="A long wait")
    waiting = codebook.themes.get(name="Waiting and timeliness")

    suggestions_for_new(codebook=codebook, first_item_id=item.pk)
    coding.coding_save(coder=bob, codebook=codebook, item=item, themes=[waiting], sentiment=4)
    codebooks.theme_retire(actor=bob, theme=waiting)
    assignments.assignments_theme_restored(theme=waiting)

    assert taken == [
        ("writer", codebook.pk, False),
        ("coder", codebook.pk, True),
        ("retire", codebook.pk, False),
        ("restore", codebook.pk, False),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_chunk_that_meets_a_concurrent_change_is_written_again(leeds, bob, monkeypatch) -> None:
    codebook, run = trained(leeds, bob)
    item = FeedbackItemFactory(organisation=leeds, text="A long wait")
    write = suggesting._write
    failures: list[int] = []

    def once_refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not failures:
            failures.append(1)
            raise IntegrityError("an item was deleted before the commit")
        return write(*args, **kwargs)

    monkeypatch.setattr(suggesting, "_write", once_refused)

    assert suggestions_for_new(codebook=codebook, first_item_id=item.pk) == 1
    assert failures and Suggestion.objects.get(item=item).run_id == run.pk


def test_a_training_whose_worker_stopped_is_said_to_have_stopped_and_does_not_block_the_next(
    leeds, bob, signed_in
) -> None:
    codebook, run = trained(leeds, bob)
    late = FeedbackItemFactory(organisation=leeds, text="A long wait")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    stopped = ThemeModelRun.objects.create(
        organisation=leeds, codebook=codebook, status=TrainingStatus.RUNNING, heartbeat_at=an_hour_ago
    )
    Suggestion.objects.create(organisation=leeds, codebook=codebook, run=stopped, item=late, themes=[])
    client = signed_in(bob)

    page = client.get(f"/themes/{codebook.pk}/models/{stopped.pk}/").content.decode()
    assert "This training seems to have stopped" in page
    # Its half-made suggestions shield nothing: the latest finished model codes the comment.
    assert suggestions_for_new(codebook=codebook, first_item_id=late.pk) == 1
    assert Suggestion.objects.get(item=late).run_id == run.pk
    # Training again starts a new run, and says what became of the stopped one.
    again = client.post(f"/themes/{codebook.pk}/train/")
    newest = ThemeModelRun.objects.filter(codebook=codebook).first()
    assert newest.pk > stopped.pk and again.url == f"/themes/{codebook.pk}/models/{newest.pk}/"
    stopped.refresh_from_db()
    assert stopped.status == TrainingStatus.FAILED and "stopped without finishing" in stopped.failure
    # A training that reported progress a minute ago is still at work: pressing Train again changes nothing.
    ThemeModelRun.objects.filter(pk=newest.pk).update(
        status=TrainingStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.post(f"/themes/{codebook.pk}/train/").url == again.url
    assert "seems to have stopped" not in client.get(again.url).content.decode()
