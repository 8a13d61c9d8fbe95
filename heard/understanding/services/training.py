"""Training a codebook's model from its coding, in the background, and coding every other comment with it."""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.utils import timezone

from heard.core.audit import audit_record
from heard.core.models import User
from heard.understanding.comments import WHOLE, Comment, comments_of
from heard.understanding.learning.engine import MIN_EXAMPLES, CodedComment, TrainingError, train
from heard.understanding.models import Codebook, ThemeModelRun, TrainingStatus
from heard.understanding.selectors import accepted_in_bulk, latest_codings, read_codings
from heard.understanding.services.suggesting import model_keep, suggestions_for_new, suggestions_make
from heard.understanding.services.summaries import summaries_bring_up_to_date

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 1.0
# Training takes most of the time; coding every comment afterwards takes the rest of the bar.
TRAINING_SHARE = 0.8


class TrainingRefused(ValueError):
    """Training cannot start, in words for the analyst."""


def training_data(*, codebook: Codebook) -> list[CodedComment]:
    """One coded comment per comment (heard.understanding.comments): the latest coding of it, themes named by
    their id (stable across renames)."""
    latest = latest_codings(codebook=codebook, with_items=True, read_by_a_person=True)
    items = list({coding.item_id: coding.item for coding in latest.values()}.values())
    texts = {comment.key: comment for comment in comments_of(items)}
    coded = []
    coded_apart = {item_id for item_id, part in latest if part != WHOLE}
    for key in sorted(latest):
        coding = latest[key]
        if key[1] == WHOLE and key[0] in coded_apart:
            continue  # its answers are coded one by one: the whole no longer counts
        comment = texts.get(key)
        if comment is None and key[1] == WHOLE:  # coded whole before its answers were coded apart
            comment = Comment(
                coding.item_id, WHOLE, coding.item.text, coding.item.question, coding.item.fft_answer
            )
        if comment is None or not comment.text.strip():
            continue
        coded.append(
            CodedComment(
                text=comment.text,
                themes=tuple(str(theme.pk) for theme in coding.themes.all() if not theme.retired),
                sentiment=coding.sentiment,
                question=comment.question,
                answer=comment.answer,
            )
        )
    return coded


def training_start(*, actor: User | None, codebook: Codebook) -> ThemeModelRun:
    coded = read_codings(codebook).values("item").distinct().count()
    if coded < 20:
        bulk = (
            " (sure suggestions accepted together do not count: nobody read them one by one)"
            if accepted_in_bulk(codebook).exists()
            else ""
        )
        raise TrainingRefused(f"Code at least 20 comments before training; {coded} so far{bulk}.")
    busy = codebook.model_runs.filter(status__in=[TrainingStatus.QUEUED, TrainingStatus.RUNNING]).first()
    if busy is not None and busy.stalled:
        # Its worker stopped mid-way (a restart, say): it will never finish, and must not refuse a new training.
        ThemeModelRun.objects.filter(pk=busy.pk, status=TrainingStatus.RUNNING).update(
            status=TrainingStatus.FAILED,
            failure="This training stopped without finishing (the server was probably restarted while it ran). "
            "A new training has started.",
            finished_at=timezone.now(),
        )
        busy = None
    if busy is not None:
        return busy
    with transaction.atomic():
        run = ThemeModelRun.objects.create(
            organisation=codebook.organisation, codebook=codebook, created_by=actor, stage="Waiting to start"
        )
        audit_record(
            actor=actor, action="themes.training_started", organisation=codebook.organisation, target=run
        )
    from heard.understanding.tasks import theme_model_train

    theme_model_train.enqueue(run_id=run.pk)
    return run


def _progress_writer(run: ThemeModelRun, low: float, high: float):  # type: ignore[no-untyped-def]
    last = [0.0]

    def write(share: float, stage: str) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_SECONDS and share < 1.0:
            return
        last[0] = now
        ThemeModelRun.objects.filter(pk=run.pk).update(
            progress=low + (high - low) * share, stage=stage[:200], heartbeat_at=timezone.now()
        )

    return write


def training_run(*, run_id: int) -> ThemeModelRun:
    """Trains, stores the model and its quality, then suggests themes for every comment not yet coded."""
    run = ThemeModelRun.objects.select_related("codebook", "organisation").get(pk=run_id)
    if run.status != TrainingStatus.QUEUED:
        return run
    ThemeModelRun.objects.filter(pk=run.pk).update(
        status=TrainingStatus.RUNNING, stage="Reading the coding", heartbeat_at=timezone.now()
    )
    codebook = run.codebook
    try:
        comments = training_data(codebook=codebook)
        model = train(comments, progress=_progress_writer(run, 0.0, TRAINING_SHARE))
    except TrainingError as problem:
        ThemeModelRun.objects.filter(pk=run.pk).update(
            status=TrainingStatus.FAILED, failure=str(problem)[:500], finished_at=timezone.now()
        )
        run.refresh_from_db()
        return run
    except Exception:
        ThemeModelRun.objects.filter(pk=run.pk).update(
            status=TrainingStatus.FAILED,
            failure="Training failed. Train again; if it fails again, tell your administrator.",
            finished_at=timezone.now(),
        )
        raise
    names = {str(theme.pk): theme.name for theme in codebook.themes.all()}
    counts: dict[str, int] = {}
    for comment in comments:
        for label in comment.themes:
            counts[label] = counts.get(label, 0) + 1
    quality = model.quality.as_dict()
    for one in quality["per_theme"]:
        one["theme_id"] = int(one["theme"])
        one["theme"] = names.get(one["theme"], one["theme"])
    waiting = [
        f"‘{names.get(label, label)}’ has {count} coded example{'s' if count != 1 else ''}: the model suggests it "
        f"once it has {MIN_EXAMPLES}."
        for label, count in sorted(counts.items(), key=lambda pair: names.get(pair[0], ""))
        if count < MIN_EXAMPLES
    ]
    never = sorted(
        theme.name for theme in codebook.themes.filter(retired=False) if str(theme.pk) not in counts
    )
    if never:
        waiting.append(
            f"No coded examples yet, so the model cannot suggest {'it' if len(never) == 1 else 'them'}: "
            + ", ".join(f"‘{name}’" for name in never)
            + "."
        )
    ThemeModelRun.objects.filter(pk=run.pk).update(
        model_file=model.to_bytes(),
        quality=quality,
        notes=waiting,
        comments=len(comments),
        stage="Suggesting themes for the comments nobody has coded",
        progress=TRAINING_SHARE,
    )
    model_keep(run, model)
    try:
        suggested = suggestions_make(
            run=run, model=model, progress=_progress_writer(run, TRAINING_SHARE, 1.0)
        )
    except Exception:
        # Not left "running" for ever (which would refuse the next training): failed, in words, and logged. The
        # pass took away the open suggestions first, so the model before this one codes again what it had.
        ThemeModelRun.objects.filter(pk=run.pk).update(
            status=TrainingStatus.FAILED,
            failure="The model was trained, but suggesting themes with it failed. Train again; if it fails "
            "again, tell your administrator.",
            finished_at=timezone.now(),
        )
        try:
            suggestions_for_new(codebook=codebook)
        except Exception:
            logger.exception("Recoding with the previous model failed too, in codebook %s", codebook.pk)
        raise
    ThemeModelRun.objects.filter(pk=run.pk).update(
        status=TrainingStatus.DONE,
        progress=1.0,
        stage="Done",
        suggested=suggested,
        finished_at=timezone.now(),
    )
    # Comments that arrived while the suggestions were being made, and were coded meanwhile with the model
    # before this one (or not yet at all), are coded with this one now that it is the latest.
    suggestions_for_new(codebook=codebook)
    # Rebuild the monthly counts now, in the background task, so the first dashboard after training is quick.
    summaries_bring_up_to_date(codebook=codebook, refresh_statistics=True)
    audit_record(
        actor=run.created_by,
        action="themes.training_finished",
        organisation=run.organisation,
        target=run,
        detail={"comments": len(comments), "micro_f1": quality["micro_f1"], "macro_f1": quality["macro_f1"]},
    )
    run.refresh_from_db()
    return run
