"""Suggestions: a codebook's latest model's themes and sentiment for every comment nobody has coded.

A training run suggests for every such comment it finds (``suggestions_make``). Comments that arrive afterwards,
from a survey, an import or the API, are suggested for as they arrive (``suggestions_for_new``, a background task
started by the "feedback.received" event), so that an analyst who trained last month finds this month's comments
coded without training again. One writer at a time changes a codebook's suggestions: each chunk is written under
a lock on the codebook's row, so a training run and new comments arriving at once never write the same comment
twice.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence

from django.db import transaction
from django.db.models import Exists, F, OuterRef

from heard.listening.models import FeedbackItem
from heard.understanding.comments import comments_of
from heard.understanding.learning.engine import ThemeModel, TrainingError
from heard.understanding.models import Codebook, Suggestion, SuggestionStatus, ThemeModelRun
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


def _lock(codebook: Codebook) -> None:
    """Holds the codebook's row until the transaction ends: one writer of its suggestions at a time."""
    Codebook.objects.select_for_update().filter(pk=codebook.pk).exists()


def _suggest_chunk(
    codebook: Codebook, run: ThemeModelRun, model: ThemeModel, chunk: Sequence[FeedbackItem]
) -> int:
    """Codes the uncoded comments of these items and writes their suggestions, replacing any not yet reviewed.
    Returns how many comments were given one."""
    done = coded_keys(codebook, [item.pk for item in chunk])
    comments = [comment for comment in comments_of(chunk) if comment.key not in done]
    texts = [comment.text for comment in comments]
    asked = [comment.question for comment in comments]
    answers = [comment.answer for comment in comments]
    rows = []
    for comment, suggestion in zip(comments, model.predict(texts, asked, answers), strict=True):
        confidences = [confidence for _, confidence in suggestion.themes]
        rows.append(
            Suggestion(
                organisation=codebook.organisation,
                codebook=codebook,
                run=run,
                item_id=comment.item_id,
                part=comment.part,
                themes=[
                    {"theme": int(label), "confidence": confidence} for label, confidence in suggestion.themes
                ],
                sentiment=suggestion.sentiment,
                sentiment_confidence=suggestion.sentiment_confidence,
                confidence=min(confidences) if confidences else 0.0,
                uncertainty=suggestion.uncertainty,
            )
        )
    with transaction.atomic():
        _lock(codebook)
        # A comment reviewed since the last model keeps its accepted or corrected suggestion; the rest of these
        # items' suggestions (an older model's, or a whole response's from before it came apart) give way.
        Suggestion.objects.filter(
            pk__in=[
                pk
                for pk, item_id, part in Suggestion.objects.filter(
                    codebook=codebook, item_id__in=[item.pk for item in chunk]
                ).values_list("pk", "item_id", "part")
                if (item_id, part) not in done
            ]
        ).delete()
        Suggestion.objects.bulk_create(rows)
        assignments_refresh(codebook=codebook, item_ids=[row.item_id for row in rows])
    return len(rows)


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


def suggestions_for_new(*, codebook: Codebook, first_item_id: int = 0) -> int:
    """Codes, with the codebook's latest model, its organisation's comments from ``first_item_id`` on that nobody
    has coded and that model has not suggested for: comments that arrived after it was trained, or while it was
    being trained. Returns how many comments were given a suggestion; none if the codebook has no model."""
    made = 0
    last_id = first_item_id - 1
    run: ThemeModelRun | None = None
    model: ThemeModel | None = None
    while True:
        with transaction.atomic():
            _lock(codebook)
            latest = latest_model(codebook=codebook)
            if latest is None:
                break
            # Suggested for by this model, or by one being trained now (a later run), which will replace it.
            suggested = Suggestion.objects.filter(
                codebook=codebook, item_id=OuterRef("pk"), run_id__gte=latest.pk
            )
            waiting = (
                uncoded_items(codebook)
                .filter(pk__gt=last_id)
                .exclude(Exists(suggested))
                .order_by("pk")
                .only(*ITEM_FIELDS)
            )
            chunk = list(waiting[:SUGGEST_CHUNK])
            if not chunk:
                break
            if run is None or model is None or run.pk != latest.pk:  # a newer model finished meanwhile
                try:
                    model = _model_of(latest)
                except TrainingError:
                    logger.warning("Model run %s of codebook %s cannot be loaded", latest.pk, codebook.pk)
                    break
                run = latest
            last_id = chunk[-1].pk
            here = _suggest_chunk(codebook, run, model, chunk)
            ThemeModelRun.objects.filter(pk=run.pk).update(suggested=F("suggested") + here)
        made += here
    # The months these comments are in are marked stale (assignments_refresh), as coding by hand marks them: the
    # next dashboard rebuilds them, or has a background task do it for a large codebook (ADR 0018). Rebuilding
    # here would cost every comment the API brings a month's rebuild (seconds, at a million comments).
    return made


def suggestions_for_received(*, organisation_id: int, first_item_id: int) -> int:
    """Suggestions for comments just received, in every codebook of their organisation that has a model."""
    return sum(
        suggestions_for_new(codebook=codebook, first_item_id=first_item_id)
        for codebook in Codebook.objects.filter(organisation_id=organisation_id).select_related(
            "organisation"
        )
        if latest_model(codebook=codebook) is not None
    )
