"""Suggestions inside the app, at scale: ``.venv/bin/python bench/suggesting.py [--items 200000]``.

Issue 4 asks that a trained model code every existing and every new comment. ``heard themes predict`` codes files
(bench/themes.py); this measures the app's own path, on PostgreSQL, where each comment's suggestion is written to
the database and counted for the dashboards:

* a training run's suggestion pass (``suggestions_make``) over N comments nobody coded, in comments a second, with
  the share of it spent coding (the model) and the rest (reading, writing, the dashboards' rows);
* comments arriving after training (``suggestions_for_received``, the task the "feedback.received" event starts):
  an import's 2,000 at once, and one at a time as the API brings them, with the model already loaded by the
  worker and loaded afresh;
* the pass a training run makes when it finishes, for comments that arrived meanwhile, when there are none: what
  it costs to look across every comment.

It builds a throwaway installation and PostgreSQL database with bench/dashboards.py's loader (N invented items, all
uncoded by people), trains a model on ``../shared/data/fft-qdc/train.csv`` with its themes mapped onto the starter
codebook's (for speed only: the suggestions' quality is bench/themes.py's business) and keeps it as a finished
training run. It prints figures and asserts nothing. Options: ``--items``, ``--postgres URL``, ``--seed``.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dashboards import DEFAULT_POSTGRES, _postgres_admin, _postgres_url, load, prepare, setup_organisation  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "fft-qdc" / "train.csv"


def model_train(theme_ids: list[int]):  # type: ignore[no-untyped-def]
    from heard.listening.fft import fft_answer_parse
    from heard.understanding.learning.engine import CodedComment, train
    from heard.understanding.learning.files import split_themes

    with DATA.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = sorted({theme for row in rows for theme in split_themes(row["themes"])})
    label = {name: str(theme_ids[index % len(theme_ids)]) for index, name in enumerate(names)}
    comments = [
        CodedComment(
            text=row["text"],
            themes=tuple(dict.fromkeys(label[theme] for theme in split_themes(row["themes"]))),
            sentiment=int(row["sentiment"]) if row["sentiment"] else None,
            question=row["question"],
            answer=fft_answer_parse(row.get("fft_score", "")) or "",
        )
        for row in rows
    ]
    return train(comments)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--seed", type=int, default=20260304)
    options = parser.parse_args()
    print(f"Heard suggestions benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores")
    print("Load average (1, 5, 15 min): " + ", ".join(f"{value:.1f}" for value in os.getloadavg()))
    name = f"heard_bench_suggest_{os.getpid()}"
    admin, url = _postgres_url(options.postgres, name)
    _postgres_admin(admin, f'DROP DATABASE IF EXISTS "{name}"')
    _postgres_admin(admin, f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="heard-suggest-bench-") as folder:
            prepare(url, Path(folder))
            run_bench(options)
    finally:
        from django.db import connections

        connections.close_all()
        _postgres_admin(admin, f'DROP DATABASE IF EXISTS "{name}"')


def run_bench(options: argparse.Namespace) -> None:
    from django.db import connection

    from heard.core import events
    from heard.listening.services.intake import IncomingFeedback, feedback_receive_many
    from heard.understanding.learning import engine
    from heard.understanding.models import (
        CodedItem,
        Suggestion,
        ThemeAssignment,
        ThemeModelRun,
        TrainingStatus,
    )
    from heard.understanding.services import suggesting
    from heard.understanding.services.summaries import summaries_bring_up_to_date

    setup = setup_organisation()
    organisation, codebook = setup["organisation"], setup["codebook"]
    print(f"\nLoading {options.items:,} items with COPY (nobody has coded them)")
    load(setup, options.items, options.seed)
    # The loader writes the dashboards' rows as if every comment had been coded; here none has been yet.
    CodedItem.objects.filter(codebook=codebook).delete()
    ThemeAssignment.objects.filter(codebook=codebook).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    began = time.perf_counter()
    model = model_train(list(codebook.themes.values_list("pk", flat=True)))
    print(f"Model trained on {DATA.name} in {time.perf_counter() - began:.1f} s")
    run = ThemeModelRun.objects.create(
        organisation=organisation,
        codebook=codebook,
        status=TrainingStatus.DONE,
        progress=1.0,
        model_file=model.to_bytes(),
    )
    run.refresh_from_db()

    # How long coding alone takes inside the pass: the model's predict, timed where the pass calls it.
    coding_seconds = [0.0]
    predict = engine.ThemeModel.predict

    def timed(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        mark = time.perf_counter()
        try:
            return predict(self, *args, **kwargs)
        finally:
            coding_seconds[0] += time.perf_counter() - mark

    engine.ThemeModel.predict = timed  # type: ignore[method-assign]
    began = time.perf_counter()
    made = suggesting.suggestions_make(run=run, model=model)
    whole = time.perf_counter() - began
    engine.ThemeModel.predict = predict  # type: ignore[method-assign]
    print(f"\nA training run's suggestion pass over {options.items:,} comments")
    print(f"  {made:,} suggestions in {whole:.1f} s: {made / whole:,.0f} comments a second")
    print(
        f"  of which coding (the model's predict) {coding_seconds[0]:.1f} s ({coding_seconds[0] / whole:.0%}), and "
        f"reading comments, writing suggestions and the dashboards' rows {whole - coding_seconds[0]:.1f} s"
    )
    began = time.perf_counter()
    months = summaries_bring_up_to_date(codebook=codebook)
    print(
        f"  then the dashboards' monthly counts, rebuilt as a training run does: {months} months in "
        f"{time.perf_counter() - began:.1f} s"
    )

    source = setup["sources"][next(iter(setup["sources"]))]
    # The task is timed alone below: the event that would run it as the comments arrive is turned off here.
    events._subscribers["feedback.received"].clear()

    def arrive(count: int, start: int) -> int:
        summary = feedback_receive_many(
            actor=None,
            organisation=organisation,
            source=source,
            incoming=[
                IncomingFeedback(channel="web", text=f"Waited {start + n} minutes but the staff were kind")
                for n in range(count)
            ],
        )
        return min(summary.item_ids)

    print("\nComments arriving after training (the task the event starts, timed alone)")
    first = arrive(2_000, 0)
    began = time.perf_counter()
    coded = suggesting.suggestions_for_received(organisation_id=organisation.pk, first_item_id=first)
    seconds = time.perf_counter() - began
    print(f"  an import of 2,000: {coded:,} coded in {seconds:.2f} s ({coded / seconds:,.0f} a second)")
    warm, cold = [], []
    for number in range(10):
        first = arrive(1, 10_000 + number)
        began = time.perf_counter()
        suggesting.suggestions_for_received(organisation_id=organisation.pk, first_item_id=first)
        warm.append(time.perf_counter() - began)
    for number in range(3):
        suggesting._loaded.clear()
        first = arrive(1, 20_000 + number)
        began = time.perf_counter()
        suggesting.suggestions_for_received(organisation_id=organisation.pk, first_item_id=first)
        cold.append(time.perf_counter() - began)
    print(
        f"  one comment, model already loaded: median {statistics.median(warm) * 1000:.0f} ms "
        f"(slowest {max(warm) * 1000:.0f} ms, 10 runs)"
    )
    print(f"  one comment, model loaded afresh: median {statistics.median(cold) * 1000:.0f} ms (3 runs)")
    began = time.perf_counter()
    left = suggesting.suggestions_for_new(codebook=codebook)
    print(
        f"\nThe finishing pass with nothing left to code ({left} found), across all {options.items:,} comments: "
        f"{time.perf_counter() - began:.2f} s"
    )
    open_count = Suggestion.objects.filter(codebook=codebook).count()
    print(f"Suggestions kept: {open_count:,}")


if __name__ == "__main__":
    main()
