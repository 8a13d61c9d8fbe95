"""Theme and sentiment quality and speed: ``make bench`` (or ``.venv/bin/python bench/themes.py``).

Reads ``../shared/data/fft-qdc/train.csv`` (real NHS comments coded with the FFT-QDC v6 themes) from outside the
repository. Quality is measured by cross-validation grouped by respondent (a respondent's answers to several
questions stay in the same fold): for each of five folds, Heard trains on the other four exactly as
``heard themes train`` does (its own held-back checks included) and codes the fold it has not seen, each comment
with its question and the FFT answer given with it (the file's ``fft_score``, read as ``heard themes`` reads
it; the undocumented 7 as none). A second Heard model on the same folds is given text and question only, to show
what the FFT answer adds. The pooled
codes give micro-F1 and macro-F1 (over every theme in the file, and over the themes with at least 10 examples)
and sentiment accuracy on three classes (positive 1-2, mixed 3, negative 4-5). Speed: training on the whole file,
and coding 20,000 comments in process and through ``heard themes predict``, whole command.

The same folds also train the recipe the issue compares Heard with, a TF-IDF and SVC recipe like pxtextmining's
(word 1-2 grams and the question, one support-vector classifier per theme with balanced class weights, linear
kernel by default, a five-class one for sentiment), so that the two are compared in one run on one machine
(``--no-baseline`` skips it). It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import OneHotEncoder
from sklearn.svm import SVC

from heard.listening.fft import fft_answer_parse
from heard.understanding.learning.engine import CodedComment, train
from heard.understanding.learning.files import split_themes

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "fft-qdc" / "train.csv"


def f1(hits: int, suggested: int, actual: int) -> float:
    return 0.0 if suggested + actual == 0 else 2 * hits / (suggested + actual)


def three(values: np.ndarray) -> np.ndarray:
    """Sentiment on three classes: positive (1-2), mixed (3), negative (4-5)."""
    return np.where(values <= 2, 1, np.where(values == 3, 2, 3))


@dataclass
class Scores:
    micro: float
    per_theme: list[float]
    actual: list[int]
    sentiment: float
    sentiment_comments: int

    @classmethod
    def of(
        cls, truth: np.ndarray, guess: np.ndarray, sentiment_truth: np.ndarray, sentiment_guess: np.ndarray
    ) -> Scores:
        hits = (truth & guess).sum(axis=0)
        suggested = guess.sum(axis=0)
        actual = truth.sum(axis=0)
        known = sentiment_truth > 0
        return cls(
            micro=f1(int(hits.sum()), int(suggested.sum()), int(actual.sum())),
            per_theme=[f1(int(h), int(s), int(a)) for h, s, a in zip(hits, suggested, actual, strict=True)],
            actual=[int(a) for a in actual],
            sentiment=float((three(sentiment_truth[known]) == three(sentiment_guess[known])).mean()),
            sentiment_comments=int(known.sum()),
        )

    def lines(self, theme_count: int) -> list[tuple[str, str, str]]:
        common = [score for score, count in zip(self.per_theme, self.actual, strict=True) if count >= 10]
        return [
            ("micro-F1, all themes", f"{self.micro:.3f}", "0.75"),
            (f"macro-F1, all {theme_count} themes in the file", f"{np.mean(self.per_theme):.3f}", "0.55"),
            (f"macro-F1, the {len(common)} themes with 10 or more examples", f"{np.mean(common):.3f}", ""),
            (
                f"sentiment right, three classes ({self.sentiment_comments:,} comments)",
                f"{self.sentiment:.3f}",
                "0.85",
            ),
        ]


class Baseline:
    """The comparison recipe: TF-IDF word 1-2 grams and the question asked, an SVC per theme (balanced class
    weights, suggested where its decision value is above zero) and a five-class SVC for sentiment."""

    def __init__(self, comments: list[CodedComment], themes: list[str], kernel: str) -> None:
        self.themes = themes
        self.words = TfidfVectorizer(ngram_range=(1, 2))
        self.asked = OneHotEncoder(handle_unknown="ignore")
        matrix = self._features(comments, fit=True)
        self.classifiers: list[SVC | None] = []
        for theme in themes:
            target = np.array([theme in comment.themes for comment in comments])
            if target.all() or not target.any():
                self.classifiers.append(None)
                continue
            self.classifiers.append(SVC(kernel=kernel, class_weight="balanced").fit(matrix, target))
        feeling = np.array([comment.sentiment or 0 for comment in comments])
        known = feeling > 0
        self.sentiment = SVC(kernel=kernel, class_weight="balanced").fit(matrix[known], feeling[known])

    def _features(self, comments: list[CodedComment], *, fit: bool = False) -> sparse.csr_matrix:
        texts = [comment.text for comment in comments]
        questions = [[comment.question] for comment in comments]
        if fit:
            self.words.fit(texts)
            self.asked.fit(questions)
        return sparse.hstack([self.words.transform(texts), self.asked.transform(questions)], format="csr")

    def predict(self, comments: list[CodedComment]) -> tuple[np.ndarray, np.ndarray]:
        matrix = self._features(comments)
        chosen = np.zeros((len(comments), len(self.themes)), dtype=bool)
        for column, classifier in enumerate(self.classifiers):
            if classifier is not None:
                chosen[:, column] = classifier.decision_function(matrix) > 0
        return chosen, self.sentiment.predict(matrix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF and SVC comparison")
    parser.add_argument(
        "--baseline-kernel",
        choices=("linear", "rbf"),
        default="linear",
        help="the comparison SVC's kernel (linear scored higher than rbf with default settings here)",
    )
    args = parser.parse_args()
    with args.data.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    comments = [
        CodedComment(
            text=row["text"],
            themes=split_themes(row["themes"]),
            sentiment=int(row["sentiment"]) if row["sentiment"] else None,
            question=row["question"],
            answer=fft_answer_parse(row.get("fft_score", "")) or "",
        )
        for row in rows
    ]
    # The same comments without the FFT answer: what text and question alone give.
    unanswered = [
        CodedComment(text=one.text, themes=one.themes, sentiment=one.sentiment, question=one.question)
        for one in comments
    ]
    groups = [row["comment_id"].rsplit(" - ", 1)[0] for row in rows]
    themes = sorted({theme for comment in comments for theme in comment.themes})
    print(
        f"Theme models on {args.data.name}: {len(rows):,} comments, {len(themes)} themes, "
        f"{len(set(groups)):,} respondents"
    )
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")

    truth = np.array([[theme in comment.themes for theme in themes] for comment in comments])
    sentiment_truth = np.array([comment.sentiment or 0 for comment in comments])
    guess = np.zeros_like(truth)
    sentiment_guess = np.zeros(len(comments), dtype=int)
    plain_guess = np.zeros_like(truth)
    plain_sentiment = np.zeros(len(comments), dtype=int)
    baseline_guess = np.zeros_like(truth)
    baseline_sentiment = np.zeros(len(comments), dtype=int)
    train_seconds, baseline_seconds, baseline_rates = [], [], []
    for fold, (seen, unseen) in enumerate(
        GroupKFold(n_splits=args.folds).split(rows, groups=groups), start=1
    ):
        started = time.perf_counter()
        model = train([comments[i] for i in seen])
        train_seconds.append(time.perf_counter() - started)
        texts = [comments[i].text for i in unseen]
        asked = [comments[i].question for i in unseen]
        suggestions = model.predict(texts, asked, [comments[i].answer for i in unseen])
        plain = train([unanswered[i] for i in seen]).predict(texts, asked)
        for into, feelings, coded in (
            (guess, sentiment_guess, suggestions),
            (plain_guess, plain_sentiment, plain),
        ):
            for row, suggestion in zip(unseen, coded, strict=True):
                for theme, _ in suggestion.themes:
                    into[row, themes.index(theme)] = True
                feelings[row] = suggestion.sentiment or 0
        line = f"  fold {fold}: Heard trained on {len(seen):,} in {train_seconds[-1]:.1f} s"
        if not args.no_baseline:
            started = time.perf_counter()
            baseline = Baseline([comments[i] for i in seen], themes, args.baseline_kernel)
            baseline_seconds.append(time.perf_counter() - started)
            started = time.perf_counter()
            chosen, feeling = baseline.predict([comments[i] for i in unseen])
            baseline_rates.append(len(unseen) / (time.perf_counter() - started))
            baseline_guess[unseen] = chosen
            baseline_sentiment[unseen] = feeling
            line += (
                f"; the SVC recipe in {baseline_seconds[-1]:.1f} s, coding {baseline_rates[-1]:,.0f} a second"
            )
        print(line + f"; coded {len(unseen):,}")

    heard = Scores.of(truth, guess, sentiment_truth, sentiment_guess)
    blind = Scores.of(truth, plain_guess, sentiment_truth, plain_sentiment)
    columns = [heard.lines(len(themes)), blind.lines(len(themes))]
    titles = ["Heard", "Heard, text and question only"]
    if not args.no_baseline:
        columns.append(
            Scores.of(truth, baseline_guess, sentiment_truth, baseline_sentiment).lines(len(themes))
        )
        titles.append("TF-IDF and SVC recipe, same folds")
    print()
    print(f"| measure | {' | '.join(titles)} | aim |")
    print("| --- |" + " ---: |" * (len(titles) + 1))
    for row_lines in zip(*columns, strict=True):
        name, aim = row_lines[0][0], row_lines[0][2]
        print(f"| {name} | {' | '.join(value for _, value, _ in row_lines)} | {aim} |")
    if not args.no_baseline:
        print(
            f"training per fold: Heard {np.median(train_seconds):.1f} s, the SVC recipe "
            f"{np.median(baseline_seconds):.1f} s (medians); the SVC recipe codes {np.median(baseline_rates):,.0f} "
            "comments a second in process"
        )
    print()
    print("| theme | examples | F1 |" + ("" if args.no_baseline else " SVC recipe |"))
    print("| --- | ---: | ---: |" + ("" if args.no_baseline else " ---: |"))
    baseline_per_theme = (
        Scores.of(truth, baseline_guess, sentiment_truth, baseline_sentiment).per_theme
        if not args.no_baseline
        else [None] * len(themes)
    )
    for theme, count, score, theirs in sorted(
        zip(themes, heard.actual, heard.per_theme, baseline_per_theme, strict=True), key=lambda item: -item[1]
    ):
        print(f"| {theme} | {count} | {score:.2f} |" + ("" if theirs is None else f" {theirs:.2f} |"))

    print()
    started = time.perf_counter()
    model = train(comments)
    whole = time.perf_counter() - started
    print(f"training on all {len(comments):,} coded comments: {whole:.1f} s (aim: 5,000 in under 20 s)")
    texts = [comment.text for comment in comments] * 4
    questions = [comment.question for comment in comments] * 4
    answers = [comment.answer for comment in comments] * 4
    started = time.perf_counter()
    model.predict(texts, questions, answers)
    in_process = len(texts) / (time.perf_counter() - started)
    print(f"coding in process: {in_process:,.0f} comments a second ({len(texts):,} comments)")
    with tempfile.TemporaryDirectory(prefix="heard-themes-bench-") as folder:
        model.save(Path(folder) / "model")
        source = Path(folder) / "in.csv"
        with source.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["question", "text", "fft_answer"])
            writer.writerows(zip(questions, texts, answers, strict=True))
        command = Path(sys.executable).parent / "heard"
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(
                [
                    str(command),
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
