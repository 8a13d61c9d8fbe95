"""Suggestions: a codebook's latest model's themes and sentiment for every comment nobody has coded.

A training run suggests for every such comment it finds (``suggestions_make``). Comments that arrive afterwards,
from a survey, an import or the API, are suggested for as they arrive (``suggestions_for_new``, a background task
started by the "feedback.received" event), so that an analyst who trained last month finds this month's comments
coded without training again.

The model codes outside any transaction; each chunk is then written in a short one that holds the codebook's
suggestions lock (heard.understanding.locks), re-reads what changed while the model worked (a comment coded by a person,
an item deleted, a newer model finished) and writes only what still stands. Coding by hand holds the same lock
shared, so a comment a person codes never keeps an open suggestion, and a training run and new comments arriving
at once never write the same comment twice.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet

from heard.core.bulk import rows_add
from heard.listening.models import FeedbackItem
from heard.understanding.comments import Comment, comments_of
from heard.understanding.learning.engine import Suggestion as ModelSuggestion
from heard.understanding.learning.engine import ThemeModel, TrainingError
from heard.understanding.locks import suggestions_lock
from heard.understanding.models import (
    Codebook,
    Suggestion,
    SuggestionStatus,
    ThemeModelRun,
    TrainingStatus,
    run_alive_since,
)
from heard.understanding.selectors import coded_keys, latest_model, uncoded_items
from heard.understanding.services.assignments import assignments_refresh

logger = logging.getLogger(__name__)

SUGGEST_CHUNK = 2_000
# Loaded models kept by a worker between tasks (a model is tens of megabytes; comments arriving one by one
# through the API should not each pay for loading it).
KEPT_MODELS = 2
# Keyed by run and when it was made: a run's model never changes, and a run id alone may come round again in a
# database made afresh.
_loaded: OrderedDict[tuple[int, str], ThemeModel] = OrderedDict()

Progress = Callable[[float, str], None]
ITEM_FIELDS = ("pk", "text", "question", "fft_answer", "survey_id")


def _key(run: ThemeModelRun) -> tuple[int, str]:
    return run.pk, run.created_at.isoformat()


def _model_of(run: ThemeModelRun) -> ThemeModel:
    """The run's model, loaded from its saved file once per worker process."""
    key = _key(run)
    if key in _loaded:
        _loaded.move_to_end(key)
        return _loaded[key]
    saved = ThemeModelRun.objects.filter(pk=run.pk).values_list("model_file", flat=True).get()
    if saved is None:
        raise TrainingError(f"Model run {run.pk} has no model file.")
    model = ThemeModel.from_bytes(bytes(saved))
    model_keep(run, model)
    return model


def model_keep(run: ThemeModelRun, model: ThemeModel) -> None:
    """Keeps a model just trained (and saved with its run), so that coding with it next need not load it."""
    _loaded[_key(run)] = model
    _loaded.move_to_end(_key(run))
    while len(_loaded) > KEPT_MODELS:
        _loaded.popitem(last=False)


Coded = tuple[list[Comment], list[ModelSuggestion]]


def _code(codebook: Codebook, model: ThemeModel, chunk: Sequence[FeedbackItem]) -> Coded:
    """The model's suggestions for the comments of these items nobody has coded (outside any transaction)."""
    done = coded_keys(codebook, [item.pk for item in chunk])
    comments = [comment for comment in comments_of(chunk) if comment.key not in done]
    texts = [comment.text for comment in comments]
    asked = [comment.question for comment in comments]
    answers = [comment.answer for comment in comments]
    return comments, model.predict(texts, asked, answers)


def _write(
    codebook: Codebook,
    run: ThemeModelRun,
    chunk: Sequence[FeedbackItem],
    coded: Coded,
    keep: Callable[[list[int]], set[int]] | None = None,
) -> int:
    """Writes the suggestions, replacing any of these items' not yet reviewed, for what still stands once the lock
    is held: comments nobody has coded meanwhile, of items not deleted meanwhile (and, with ``keep``, only the
    items it keeps). Returns how many comments were given one."""
    ids = [item.pk for item in chunk]
    suggested = 0
    with transaction.atomic():
        suggestions_lock(codebook.pk)
        done = coded_keys(codebook, ids)
        present = set(
            FeedbackItem.objects.filter(organisation=codebook.organisation, pk__in=ids).values_list(
                "pk", flat=True
            )
        )
        if keep is not None:
            present &= keep(ids)
        # A theme retired since the model was trained is no longer suggested (nor counted, nor accepted).
        live = set(codebook.themes.filter(retired=False).values_list("pk", flat=True))
        rows: list[dict[str, Any]] = []
        for comment, suggestion in zip(*coded, strict=True):
            if comment.key in done or comment.item_id not in present:
                continue
            themes = [(label, confidence) for label, confidence in suggestion.themes if int(label) in live]
            confidences = [confidence for _, confidence in themes]
            rows.append(
                {
                    "organisation_id": codebook.organisation_id,
                    "codebook_id": codebook.pk,
                    "run_id": run.pk,
                    "item_id": comment.item_id,
                    "part": comment.part,
                    "themes": [
                        {"theme": int(label), "confidence": confidence} for label, confidence in themes
                    ],
                    "sentiment": suggestion.sentiment,
                    "sentiment_confidence": suggestion.sentiment_confidence,
                    "confidence": min(confidences) if confidences else 0.0,
                    "uncertainty": suggestion.uncertainty,
                    "status": SuggestionStatus.OPEN,
                }
            )
        # A comment reviewed since the last model keeps its accepted or corrected suggestion; the rest of these
        # items' suggestions (an older model's, or a whole response's from before it came apart) give way.
        Suggestion.objects.filter(
            pk__in=[
                pk
                for pk, item_id, part in Suggestion.objects.filter(
                    codebook=codebook, item_id__in=sorted(present)
                ).values_list("pk", "item_id", "part")
                if (item_id, part) not in done
            ]
        ).delete()
        rows_add(Suggestion, rows)
        # Every item whose suggestions changed, including any whose old one went without a new one.
        assignments_refresh(codebook=codebook, item_ids=sorted(present))
        suggested = len(rows)
    return suggested


def _suggest_chunk(
    codebook: Codebook,
    run: ThemeModelRun,
    model: ThemeModel,
    chunk: Sequence[FeedbackItem],
    keep: Callable[[list[int]], set[int]] | None = None,
) -> int:
    """Codes a chunk and writes it. An item deleted between the lock and the commit (the insert then fails its
    foreign key at the commit), or a deadlock with a writer that does not take the lock (feedback being deleted),
    costs one more try; inside an outer transaction, which such a failure has spoiled, it is raised instead."""
    coded = _code(codebook, model, chunk)
    try:
        return _write(codebook, run, chunk, coded, keep)
    except (IntegrityError, OperationalError):
        if connection.in_atomic_block:
            raise
        logger.warning(
            "Suggestions for a chunk of codebook %s met a concurrent change; trying again", codebook.pk
        )
        return _write(codebook, run, chunk, coded, keep)


def suggestions_make(*, run: ThemeModelRun, model: ThemeModel, progress: Progress | None = None) -> int:
    """Replaces the codebook's open suggestions with this model's, for every comment with text nobody coded.
    Returns how many comments were given one."""
    codebook = run.codebook
    report = progress or (lambda share, message: None)
    items = uncoded_items(codebook).order_by("pk").only(*ITEM_FIELDS)
    total = items.count()
    # The old model's open suggestions are all for comments nobody has coded, so each is replaced, and counted
    # again, as its chunk is suggested below; until then the dashboards count the old suggestion.
    Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.OPEN).delete()
    made = read = 0
    last_id = 0
    while chunk := list(items.filter(pk__gt=last_id)[:SUGGEST_CHUNK]):
        last_id = chunk[-1].pk
        made += _suggest_chunk(codebook, run, model, chunk)
        read += len(chunk)
        report(
            read / total if total else 1.0,
            f"Suggested themes for {made:,} comments ({read:,} of {total:,} read)",
        )
    return made


def _suggested_by(codebook: Codebook, latest: ThemeModelRun) -> QuerySet[Suggestion]:
    """Suggestions that need no new one: the latest model's, or those of a newer model being trained now (which
    replaces them itself). A run that failed, or stalled while running, shields nothing."""
    # The runs are few: named here, so that the query over suggestions needs no join.
    training = codebook.model_runs.filter(
        pk__gt=latest.pk, status=TrainingStatus.RUNNING, heartbeat_at__gte=run_alive_since()
    ).values_list("pk", flat=True)
    return Suggestion.objects.filter(codebook=codebook, run_id__in=[latest.pk, *training])


def _still_waiting(codebook: Codebook, run: ThemeModelRun, ids: list[int]) -> set[int]:
    """Which of these items still want this run's suggestions, read under the lock: none if a newer model finished
    while this one was coding (its own finishing pass codes them), else those nothing has suggested for since."""
    latest = latest_model(codebook=codebook)
    if latest is None or latest.pk != run.pk:
        return set()
    return set(ids) - set(
        _suggested_by(codebook, latest).filter(item_id__in=ids).values_list("item_id", flat=True)
    )


def suggestions_for_new(
    *, codebook: Codebook, first_item_id: int = 0, last_item_id: int | None = None
) -> int:
    """Codes, with the codebook's latest model, its organisation's comments with ids from ``first_item_id`` to
    ``last_item_id`` (or on, without one) that nobody has coded and that model has not suggested for: comments
    that arrived after it was trained, or while it was being trained. Returns how many comments were given a
    suggestion; none if the codebook has no model."""
    made = 0
    last_id = first_item_id - 1
    run: ThemeModelRun | None = None
    model: ThemeModel | None = None
    while True:
        latest = latest_model(codebook=codebook)
        if latest is None:
            break
        suggested = _suggested_by(codebook, latest)
        waiting = (
            uncoded_items(codebook)
            .filter(pk__gt=last_id)
            .exclude(Exists(suggested.filter(item_id=OuterRef("pk"))))
        )
        if last_item_id is not None:
            waiting = waiting.filter(pk__lte=last_item_id)
        chunk = list(waiting.order_by("pk").only(*ITEM_FIELDS)[:SUGGEST_CHUNK])
        if not chunk:
            break
        if run is None or model is None or run.pk != latest.pk:  # a newer model finished meanwhile
            try:
                model = _model_of(latest)
            except TrainingError:
                logger.warning("Model run %s of codebook %s cannot be loaded", latest.pk, codebook.pk)
                break
            run = latest
        here = _suggest_chunk(codebook, run, model, chunk, keep=partial(_still_waiting, codebook, run))
        ThemeModelRun.objects.filter(pk=run.pk).update(suggested=F("suggested") + here)
        made += here
        last_id = chunk[-1].pk
        if len(chunk) < SUGGEST_CHUNK:
            break  # that was all (a comment arriving since has a task of its own)
    # The months these comments are in are marked stale (assignments_refresh), as coding by hand marks them: the
    # next dashboard rebuilds them, or has a background task do it for a large codebook (ADR 0018). Rebuilding
    # here would cost every comment the API brings a month's rebuild (seconds, at a million comments).
    return made


def suggestions_for_received(
    *, organisation_id: int, first_item_id: int, last_item_id: int | None = None
) -> int:
    """Suggestions for comments just received, in every codebook of their organisation that has a model. A
    codebook whose suggestions fail is logged and the others still get theirs."""
    made = 0
    for codebook in Codebook.objects.filter(organisation_id=organisation_id).select_related("organisation"):
        try:
            made += suggestions_for_new(
                codebook=codebook, first_item_id=first_item_id, last_item_id=last_item_id
            )
        except Exception:
            logger.exception("Suggestions for new comments failed in codebook %s", codebook.pk)
    return made
