"""Theme and sentiment quality and speed: ``make bench`` (or ``.venv/bin/python bench/themes.py``).

Reads ``../shared/data/fft-qdc/train.csv`` (real NHS comments coded with the FFT-QDC v6 themes) from outside the
repository. Quality is measured by cross-validation grouped by respondent (a respondent's answers to several
questions stay in the same fold): for each of five folds, Heard trains on the other four exactly as
``heard themes train`` does (its own held-back checks included) and codes the fold it has not seen. The pooled
codes give micro-F1 and macro-F1 (over every theme in the file, and over the themes with at least 10 examples)
and sentiment accuracy on three classes (positive 1-2, mixed 3, negative 4-5). Speed: training on the whole file,
and coding 20,000 comments in process and through ``heard themes predict``, whole command. It prints figures and
asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from heard.understanding.learning.engine import CodedComment, train
from heard.understanding.learning.files import split_themes

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "fft-qdc" / "train.csv"


def f1(hits: int, suggested: int, actual: int) -> float:
    return 0.0 if suggested + actual == 0 else 2 * hits / (suggested + actual)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    with args.data.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    comments = [
        CodedComment(
            text=row["text"],
            themes=split_themes(row["themes"]),
            sentiment=int(row["sentiment"]) if row["sentiment"] else None,
            question=row["question"],
        )
        for row in rows
    ]
    groups = [row["comment_id"].rsplit(" - ", 1)[0] for row in rows]
    themes = sorted({theme for comment in comments for theme in comment.themes})
    print(
        f"Theme models on {args.data.name}: {len(rows):,} comments, {len(themes)} themes, "
        f"{len(set(groups)):,} respondents"
    )
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")

    truth = np.array([[theme in comment.themes for theme in themes] for comment in comments])
    guess = np.zeros_like(truth)
    sentiment_truth = np.array([comment.sentiment or 0 for comment in comments])
    sentiment_guess = np.zeros(len(comments), dtype=int)
    train_seconds = []
    for fold, (seen, unseen) in enumerate(
        GroupKFold(n_splits=args.folds).split(rows, groups=groups), start=1
    ):
        started = time.perf_counter()
        model = train([comments[i] for i in seen])
        train_seconds.append(time.perf_counter() - started)
        suggestions = model.predict(
            [comments[i].text for i in unseen], [comments[i].question for i in unseen]
        )
        for row, suggestion in zip(unseen, suggestions, strict=True):
            for theme, _ in suggestion.themes:
                guess[row, themes.index(theme)] = True
            sentiment_guess[row] = suggestion.sentiment or 0
        print(f"  fold {fold}: trained on {len(seen):,} in {train_seconds[-1]:.1f} s, coded {len(unseen):,}")

    hits = (truth & guess).sum(axis=0)
    suggested = guess.sum(axis=0)
    actual = truth.sum(axis=0)
    per_theme = [f1(int(h), int(s), int(a)) for h, s, a in zip(hits, suggested, actual, strict=True)]
    micro = f1(int(hits.sum()), int(suggested.sum()), int(actual.sum()))
    common = [score for score, count in zip(per_theme, actual, strict=True) if count >= 10]
    known = sentiment_truth > 0

    def three(values: np.ndarray) -> np.ndarray:
        return np.where(values <= 2, 1, np.where(values == 3, 2, 3))

    accuracy = float((three(sentiment_truth[known]) == three(sentiment_guess[known])).mean())
    print()
    print("| measure | Heard | aim |")
    print("| --- | ---: | ---: |")
    print(f"| micro-F1, all themes | {micro:.3f} | 0.75 |")
    print(f"| macro-F1, all {len(themes)} themes in the file | {np.mean(per_theme):.3f} | 0.55 |")
    print(f"| macro-F1, the {len(common)} themes with 10 or more examples | {np.mean(common):.3f} | |")
    print(f"| sentiment right, three classes ({int(known.sum()):,} comments) | {accuracy:.3f} | 0.85 |")
    print()
    print("| theme | examples | F1 |")
    print("| --- | ---: | ---: |")
    for theme, count, score in sorted(zip(themes, actual, per_theme, strict=True), key=lambda item: -item[1]):
        print(f"| {theme} | {count} | {score:.2f} |")

    print()
    started = time.perf_counter()
    model = train(comments)
    whole = time.perf_counter() - started
    print(f"training on all {len(comments):,} coded comments: {whole:.1f} s (aim: 5,000 in under 20 s)")
    texts = [comment.text for comment in comments] * 4
    questions = [comment.question for comment in comments] * 4
    started = time.perf_counter()
    model.predict(texts, questions)
    in_process = len(texts) / (time.perf_counter() - started)
    print(f"coding in process: {in_process:,.0f} comments a second ({len(texts):,} comments)")
    with tempfile.TemporaryDirectory(prefix="heard-themes-bench-") as folder:
        model.save(Path(folder) / "model")
        source = Path(folder) / "in.csv"
        with source.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["question", "text"])
            writer.writerows(zip(questions, texts, strict=True))
        heard = Path(sys.executable).parent / "heard"
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(
                [
                    str(heard),
                    "themes",
                    "predict",
                    str(Path(folder) / "model"),
                    str(source),
                    "--out",
                    str(Path(folder) / "out.csv"),
                    "--quiet",
                ],
                check=True,
            )
            timings.append(time.perf_counter() - started)
        best = min(timings)
        median = sorted(timings)[1]
        print(
            f"heard themes predict, whole command on {len(texts):,} comments: median {median:.2f} s "
            f"({len(texts) / median:,.0f} a second), best {best:.2f} s ({len(texts) / best:,.0f} a second)"
        )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
