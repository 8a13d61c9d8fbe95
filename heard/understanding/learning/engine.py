"""Theme and sentiment models trained on an organisation's own coding: no Django, no network, no pickles.

A model is a linear classifier per theme over four kinds of feature, all learned from the coded comments:
words and word pairs, runs of 2 to 5 characters inside words (so that "recepton" and "receptionist" still share
something), the question the comment answered, and the Friends and Family Test answer given with it, if any
("Very good" with "Nothing" after "What could we do better?" is praise). Each theme gets its own decision
threshold and a calibrated confidence, both chosen from comments held back from the model that scored them; the
same held-back scores give the per-theme precision, recall and F1 that tell an analyst which suggestions to
trust (docs/adr/0017-theme-models.md).

Saved models are a JSON file and a NumPy array file: readable by anyone, and loading one runs no code.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

FORMAT = "heard-theme-model"
# 2: the FFT answer features. A model of version 1 still loads; an older Heard refuses a version 2 model in
# words, rather than failing on weights it has no features for.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
SENTIMENTS = (1, 2, 3, 4, 5)
HELD_BACK_FOLDS = 4
# A theme needs this many coded examples before the model suggests it; fewer cannot be learned or checked.
MIN_EXAMPLES = 3
THEME_C = 0.25
SENTIMENT_C = 0.1
# Sentiment reads words differently by question ("nothing" after "What was good?" and after "What could we do
# better?"): each of the commonest questions gets its own copy of the word features, for sentiment only.
SENTIMENT_QUESTIONS = 10
MIN_QUESTION_COMMENTS = 30
# A theme with this many coded examples is coded by the average of the models that scored the held-back
# comments, whose scores chose its threshold; a rarer one by a model refitted on every example (train()).
AVERAGED_FROM = 50
# Distinct words whose character runs a model remembers while coding (about 25 MB at most).
WORDS_REMEMBERED = 100_000
# How sure the model must be of its likeliest theme to give it to a comment it would otherwise give none (where
# the coders nearly always gave one): chosen among these at training (_at_least_one_floor). 0 is "always".
AT_LEAST_ONE_FLOORS = (0.0, 0.1, 0.2, 0.3, 0.4)

Progress = Callable[[float, str], None]


class TrainingError(ValueError):
    """The coded comments cannot train a model (too few, or nothing to learn)."""


@dataclass(frozen=True)
class CodedComment:
    text: str
    themes: tuple[str, ...] = ()
    sentiment: int | None = None
    question: str = ""
    # The Friends and Family Test answer given with the comment ("very_good" … "dont_know"), or "" for none.
    answer: str = ""


@dataclass(frozen=True)
class ThemeQuality:
    theme: str
    examples: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Suggestion:
    themes: tuple[tuple[str, float], ...]  # (theme, confidence 0–1), most confident first
    sentiment: int | None
    sentiment_confidence: float | None
    # How much coding this comment would teach the model: 1 when some theme sits exactly on its threshold.
    uncertainty: float = 0.0


@dataclass
class Quality:
    """How the model did on coded comments it had not seen (each scored by a model trained without it)."""

    per_theme: list[ThemeQuality]
    micro_f1: float
    macro_f1: float
    sentiment_accuracy: float | None  # on three classes: positive (1–2), mixed (3), negative (4–5)
    sentiment_examples: int
    comments: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "per_theme": [dict(vars(one)) for one in self.per_theme],  # copies: callers may add to them
            "micro_f1": self.micro_f1,
            "macro_f1": self.macro_f1,
            "sentiment_accuracy": self.sentiment_accuracy,
            "sentiment_examples": self.sentiment_examples,
            "comments": self.comments,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quality:
        return cls(
            per_theme=[ThemeQuality(**one) for one in data["per_theme"]],
            micro_f1=data["micro_f1"],
            macro_f1=data["macro_f1"],
            sentiment_accuracy=data["sentiment_accuracy"],
            sentiment_examples=data["sentiment_examples"],
            comments=data["comments"],
        )


def _question_key(question: str) -> str:
    return " ".join(question.lower().split())


def _question_tokens(question: str) -> list[str]:
    return [_question_key(question)] if question.strip() else []


def _answer_tokens(answered: str) -> list[str]:
    """The FFT answer alone and with the question it came with (``answered`` is "answer<TAB>question")."""
    answer, _, question = answered.partition("\t")
    if not answer:
        return ["(none)"]
    return [f"answer {answer}", f"answer {answer} to {question}"] if question else [f"answer {answer}"]


def _answered(answers: Sequence[str] | None, questions: Sequence[str]) -> list[str]:
    if answers is None:
        return [""] * len(questions)
    return [
        f"{answer.strip()}\t{_question_key(question)}" if answer.strip() else ""
        for answer, question in zip(answers, questions, strict=True)
    ]


def _vectorisers() -> tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer, TfidfVectorizer]:
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float32)
    characters = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=2,
        max_features=100_000,
        dtype=np.float32,
    )
    questions = TfidfVectorizer(analyzer=_question_tokens, dtype=np.float32)
    answers = TfidfVectorizer(analyzer=_answer_tokens, dtype=np.float32)
    return words, characters, questions, answers


@dataclass
class Features:
    """Turns comments (with the questions they answered and any FFT answers given) into one sparse matrix."""

    words: TfidfVectorizer
    characters: TfidfVectorizer
    questions: TfidfVectorizer
    # None in a model saved before FFT answers were read: it has no columns for them.
    answers: TfidfVectorizer | None = None
    # The training comments' average answer features. A comment whose answer the model never met (or with none,
    # where every training comment had one) is given these, so that it reads as "some answer" and its scores do
    # not move for want of a feature every training comment had.
    answers_mean: np.ndarray | None = None
    # Each word's character-run columns, found once (see _characters).
    _word_runs: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def fit(
        cls, texts: Sequence[str], questions: Sequence[str], answers: Sequence[str] | None = None
    ) -> Features:
        words, characters, asked, answered = _vectorisers()
        words.fit(texts)
        characters.fit(texts)
        # Fitting needs at least one token; "no question" is a feature of its own.
        asked.fit([*questions, "(none)"])
        pairs = _answered(answers, questions)
        mean = np.asarray(answered.fit_transform(pairs).mean(axis=0), dtype=np.float32).ravel()
        return cls(words, characters, asked, answered, mean)

    def transform(
        self, texts: Sequence[str], questions: Sequence[str], answers: Sequence[str] | None = None
    ) -> sparse.csr_matrix:
        return self.transform_parts(texts, questions, answers)[0]

    def transform_parts(
        self, texts: Sequence[str], questions: Sequence[str], answers: Sequence[str] | None = None
    ) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """The whole matrix, and its word part on its own (for the question-by-word features)."""
        words = self.words.transform(texts)
        blocks = [words, self._characters(texts), self.questions.transform(questions)]
        if self.answers is not None:
            blocks.append(self._answer_block(_answered(answers, questions)))
        return sparse.hstack(blocks, format="csr"), words.tocsr()

    def _characters(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The character-run block, exactly as ``self.characters.transform`` makes it, but with each distinct
        word's runs found once. The runs never cross a space, so a comment's runs are its words' runs put
        together; comments share most of their words, and reading runs letter by letter in Python was most of
        the cost of coding a comment."""
        vectoriser = self.characters
        vocabulary = vectoriser.vocabulary_
        analyse = vectoriser.build_analyzer()  # lower case, then the runs of each word, padded with a space
        known = self._word_runs
        pieces: list[np.ndarray] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        for row, text in enumerate(texts):
            for word in text.split():
                runs = known.get(word)
                if runs is None:
                    runs = np.array(
                        [vocabulary[run] for run in analyse(word) if run in vocabulary], dtype=np.int32
                    )
                    if len(known) < WORDS_REMEMBERED:
                        known[word] = runs
                pieces.append(runs)
                lengths[row] += len(runs)
        indices = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
        counts = sparse.csr_matrix(
            (
                np.ones(len(indices), dtype=vectoriser.dtype),
                indices,
                np.concatenate([[0], np.cumsum(lengths)]),
            ),
            shape=(len(texts), len(vocabulary)),
        )
        counts.sum_duplicates()  # a run twice in a comment counts twice, as the vectoriser counts it
        # Then as TfidfVectorizer weighs counts: 1 + log of the count, times the idf, each row to unit length.
        if vectoriser.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        counts.data *= vectoriser.idf_[counts.indices]
        return normalize(counts, norm=vectoriser.norm, copy=False)

    def _answer_block(self, pairs: list[str]) -> sparse.csr_matrix:
        assert self.answers is not None
        block = self.answers.transform(pairs)
        # A row with no features is an answer the model never met (or none, where every training comment had one).
        unmet = np.diff(block.indptr) == 0
        if not unmet.any() or self.answers_mean is None:
            return block
        return (block + sparse.csr_matrix(np.outer(unmet.astype(np.float32), self.answers_mean))).tocsr()

    def _named(self) -> list[tuple[str, TfidfVectorizer]]:
        named = [("words", self.words), ("characters", self.characters), ("questions", self.questions)]
        return named + ([("answers", self.answers)] if self.answers is not None else [])

    def to_json(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            name: {
                "vocabulary": {term: int(index) for term, index in vectoriser.vocabulary_.items()},
                "idf": [float(value) for value in vectoriser.idf_],
            }
            for name, vectoriser in self._named()
        }
        if "answers" in described and self.answers_mean is not None:
            described["answers"]["mean"] = [float(value) for value in self.answers_mean]
        return described

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Features:
        built: dict[str, TfidfVectorizer] = {}
        for name, vectoriser in zip(
            ("words", "characters", "questions", "answers"), _vectorisers(), strict=True
        ):
            if name not in data:  # a model saved before answers were read
                continue
            vocabulary = data[name]["vocabulary"]
            vectoriser.set_params(vocabulary=vocabulary, min_df=1, max_features=None)
            vectoriser.fit(["x"])  # fixes the vocabulary; the idf is replaced below
            vectoriser.idf_ = np.asarray(data[name]["idf"], dtype=np.float32)
            built[name] = vectoriser
        mean = data.get("answers", {}).get("mean")
        return cls(
            built["words"],
            built["characters"],
            built["questions"],
            built.get("answers"),
            np.asarray(mean, dtype=np.float32) if mean is not None else None,
        )


def _log_count_ratio(present: sparse.csr_matrix, target: np.ndarray) -> np.ndarray:
    """NB-SVM's log-count ratio for one theme (Wang and Manning, 2012): how much more often each feature appears
    in comments with the theme than in those without, smoothed by one. Scaling the features by it before the SVM
    lets the rare, telling words of a small theme count for more."""
    with_theme = target.astype(np.float64)
    p = 1.0 + np.asarray(present.T @ with_theme).ravel()
    q = 1.0 + np.asarray(present.T @ (1.0 - with_theme)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def _by_question(
    words: sparse.csr_matrix, questions: Sequence[str], known: Sequence[str]
) -> sparse.csr_matrix:
    """Each comment's word features moved into its question's own block (words × known questions); a comment
    answering a question the model does not know has none. Built from the word matrix alone: no second pass
    over the text."""
    width = words.shape[1]
    block = {question: index for index, question in enumerate(known)}
    where = np.array([block.get(_question_key(question), -1) for question in questions], dtype=np.int64)
    per_row = np.diff(words.indptr)
    rows = np.repeat(where, per_row)
    keep = rows >= 0
    indptr = np.concatenate([[0], np.cumsum(np.where(where >= 0, per_row, 0))])
    return sparse.csr_matrix(
        (words.data[keep], words.indices[keep].astype(np.int64) + rows[keep] * width, indptr),
        shape=(words.shape[0], width * len(known)),
    )


def _fit_one(
    features: sparse.csr_matrix, present: sparse.csr_matrix, target: np.ndarray, c: float
) -> tuple[np.ndarray, float] | None:
    positives = int(target.sum())
    if positives == 0 or positives == len(target):
        return None
    ratio = _log_count_ratio(present, target)
    scaled = features.copy()
    scaled.data = scaled.data * ratio[scaled.indices]
    # Balanced weights: a theme with 20 examples among 5,000 still pulls its classifier towards it.
    classifier = LinearSVC(C=c, class_weight="balanced", max_iter=4000)
    classifier.fit(scaled, target)
    # The ratio is folded into the weights, so coding a comment costs exactly what a plain SVM does.
    return classifier.coef_[0] * ratio, float(classifier.intercept_[0])


def _fit_linear(
    features: sparse.csr_matrix, labels: np.ndarray, c: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights and intercepts of one yes/no classifier per column of ``labels`` (a 0/1 matrix), and which columns
    could be fitted (a column with no examples, or nothing but examples, has nothing to learn: its classifier
    says no to everything).

    The classifiers are independent and liblinear lets go of Python's lock while it works, so they are fitted on
    every core at once.
    """
    count = labels.shape[1]
    weights = np.zeros((features.shape[1], count), dtype=np.float32)
    intercepts = np.full(count, -10.0, dtype=np.float32)
    present = features.copy().tocsr()
    present.data[:] = 1.0  # which features each comment has, for the count ratios
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        fitted = list(
            pool.map(lambda column: _fit_one(features, present, labels[:, column], c), range(count))
        )
    for column, result in enumerate(fitted):
        if result is not None:
            weights[:, column], intercepts[column] = result
    return weights, intercepts, np.array([result is not None for result in fitted], dtype=bool)


def _best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The score above which a theme is suggested, chosen for the best F1 on held-back scores."""
    positives = int(truth.sum())
    if positives == 0:
        return 0.0
    order = np.argsort(-scores)
    ranked = scores[order]
    hits = np.cumsum(truth[order])
    suggested = np.arange(1, len(scores) + 1)
    f1 = 2 * hits / (suggested + positives)
    best = int(np.argmax(f1))
    # Half way to the next score down, so that a new comment scoring like the last one taken is taken too.
    below = ranked[best + 1] if best + 1 < len(ranked) else ranked[best] - 1.0
    threshold = float((ranked[best] + below) / 2)
    # Keep thresholds near the classifier's own zero: a few held-back comments should not move it far.
    return max(-0.5, min(1.0, threshold))


def _calibration(scores: np.ndarray, truth: np.ndarray, threshold: float) -> tuple[float, float]:
    """A logistic curve from score to confidence (Platt's method, lightly regularised), through the threshold."""
    centred = scores - threshold
    slope = 2.0
    for _ in range(50):  # Newton's method on one parameter: the curve passes 0.5 at the threshold.
        chance = 1.0 / (1.0 + np.exp(-slope * centred))
        gradient = float(np.sum((chance - truth) * centred)) + 0.01 * slope
        curvature = float(np.sum(chance * (1 - chance) * centred * centred)) + 0.01
        step = gradient / curvature
        slope = max(0.1, min(50.0, slope - step))
        if abs(step) < 1e-4:
            break
    return slope, threshold


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _three_way(sentiment: np.ndarray) -> np.ndarray:
    return np.where(sentiment <= 2, 1, np.where(sentiment == 3, 2, 3))


@dataclass
class ThemeModel:
    themes: list[str]
    features: Features
    weights: np.ndarray  # features × themes
    intercepts: np.ndarray
    thresholds: np.ndarray
    slopes: np.ndarray
    at_least_one: (
        bool  # the coders nearly always gave a theme, so the model suggests one where it is sure enough
    )
    sentiment_weights: np.ndarray | None  # features × 5
    sentiment_intercepts: np.ndarray | None
    quality: Quality
    trained_at: str = ""
    training_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    # The commonest questions, each with its own copy of the word features for sentiment (_by_question), and
    # those features' sentiment weights (words × questions, by 5). Empty in a model trained before them.
    sentiment_questions: list[str] = field(default_factory=list)
    sentiment_question_weights: np.ndarray | None = None
    # With at_least_one: how sure of its likeliest theme the model must be to give it (0 in a model saved before).
    at_least_one_floor: float = 0.0

    # ----- using a model
    def _scores(
        self, texts: Sequence[str], questions: Sequence[str], answers: Sequence[str]
    ) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray]:
        matrix, words = self.features.transform_parts(texts, questions, answers)
        return matrix, words, np.asarray(matrix @ self.weights) + self.intercepts

    def _confidence(self, scores: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.slopes * (scores - self.thresholds)))

    def predict(
        self,
        texts: Sequence[str],
        questions: Sequence[str] | None = None,
        answers: Sequence[str] | None = None,
    ) -> list[Suggestion]:
        """Themes and sentiment for each comment; ``answers`` are the FFT answers given with them ("" for none)."""
        asked = list(questions) if questions is not None else [""] * len(texts)
        given = list(answers) if answers is not None else [""] * len(texts)
        suggestions: list[Suggestion] = []
        for start in range(0, len(texts), 2000):
            part_texts = texts[start : start + 2000]
            part_asked = asked[start : start + 2000]
            matrix, words, scores = self._scores(part_texts, part_asked, given[start : start + 2000])
            confidence = self._confidence(scores)
            # Margin sampling: the closest any theme comes to its threshold, as a confidence near one half.
            unsure = (
                1.0 - 2.0 * np.abs(confidence - 0.5).min(axis=1) if self.themes else np.zeros(len(part_texts))
            )
            chosen = scores > self.thresholds
            if self.at_least_one and chosen.shape[1]:
                empty = np.flatnonzero(~chosen.any(axis=1))
                pick = np.argmax(confidence[empty], axis=1)
                sure = confidence[empty, pick] > self.at_least_one_floor
                chosen[empty[sure], pick[sure]] = True
            feeling: np.ndarray | None = None
            feeling_confidence: np.ndarray | None = None
            if self.sentiment_weights is not None and self.sentiment_intercepts is not None:
                raw = np.asarray(matrix @ self.sentiment_weights) + self.sentiment_intercepts
                if self.sentiment_question_weights is not None and self.sentiment_questions:
                    by_question = _by_question(words, part_asked, self.sentiment_questions)
                    raw += np.asarray(by_question @ self.sentiment_question_weights)
                feeling = raw.argmax(axis=1) + 1
                # A softmax of the margins: a rough but ordered confidence.
                shifted = np.exp(2.0 * (raw - raw.max(axis=1, keepdims=True)))
                feeling_confidence = shifted.max(axis=1) / shifted.sum(axis=1)
            for row in range(len(part_texts)):
                picked = np.flatnonzero(chosen[row])
                ordered = sorted(
                    ((self.themes[i], round(float(confidence[row, i]), 3)) for i in picked),
                    key=lambda pair: -pair[1],
                )
                suggestions.append(
                    Suggestion(
                        themes=tuple(ordered),
                        sentiment=int(feeling[row]) if feeling is not None else None,
                        sentiment_confidence=(
                            round(float(feeling_confidence[row]), 3)
                            if feeling_confidence is not None
                            else None
                        ),
                        uncertainty=float(unsure[row]),
                    )
                )
        return suggestions

    def uncertainty(
        self,
        texts: Sequence[str],
        questions: Sequence[str] | None = None,
        answers: Sequence[str] | None = None,
    ) -> np.ndarray:
        """How unsure the model is about each comment (higher: coding it would teach the model more)."""
        return np.array([suggestion.uncertainty for suggestion in self.predict(texts, questions, answers)])

    # ----- saving and loading
    def to_bytes(self) -> bytes:
        """The saved folder as one zip (model.json and weights.npz), for keeping in a database."""
        with tempfile.TemporaryDirectory(prefix="heard-model-") as folder:
            self.save(Path(folder))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for name in ("model.json", "weights.npz"):
                    archive.write(Path(folder) / name, name)
            return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeModel:
        with (
            tempfile.TemporaryDirectory(prefix="heard-model-") as folder,
            zipfile.ZipFile(io.BytesIO(data)) as archive,
        ):
            for name in ("model.json", "weights.npz"):
                (Path(folder) / name).write_bytes(archive.read(name))
            return cls.load(Path(folder))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {
            "weights": self.weights,
            "intercepts": self.intercepts,
            "thresholds": self.thresholds,
            "slopes": self.slopes,
        }
        if self.sentiment_weights is not None and self.sentiment_intercepts is not None:
            arrays["sentiment_weights"] = self.sentiment_weights
            arrays["sentiment_intercepts"] = self.sentiment_intercepts
        if self.sentiment_question_weights is not None:
            arrays["sentiment_question_weights"] = self.sentiment_question_weights
        np.savez_compressed(folder / "weights.npz", **arrays)  # type: ignore[arg-type]
        description = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "themes": self.themes,
            "at_least_one": self.at_least_one,
            "at_least_one_floor": self.at_least_one_floor,
            "trained_at": self.trained_at,
            "training_seconds": self.training_seconds,
            "notes": self.notes,
            "quality": self.quality.as_dict(),
            "features": self.features.to_json(),
            "sentiment_questions": self.sentiment_questions,
        }
        (folder / "model.json").write_text(json.dumps(description), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> ThemeModel:
        described = folder / "model.json"
        if not described.is_file() or not (folder / "weights.npz").is_file():
            raise TrainingError(
                f"{folder} is not a theme model folder (it needs model.json and weights.npz)."
            )
        data = json.loads(described.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") not in READABLE_VERSIONS:
            raise TrainingError(f"{folder} holds a model this version of Heard cannot read.")
        with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
            loaded = {name: arrays[name] for name in arrays.files}
        return cls(
            themes=list(data["themes"]),
            features=Features.from_json(data["features"]),
            weights=loaded["weights"],
            intercepts=loaded["intercepts"],
            thresholds=loaded["thresholds"],
            slopes=loaded["slopes"],
            at_least_one=bool(data["at_least_one"]),
            at_least_one_floor=float(data.get("at_least_one_floor", 0.0)),
            sentiment_weights=loaded.get("sentiment_weights"),
            sentiment_intercepts=loaded.get("sentiment_intercepts"),
            quality=Quality.from_dict(data["quality"]),
            trained_at=data.get("trained_at", ""),
            training_seconds=float(data.get("training_seconds", 0.0)),
            notes=list(data.get("notes", [])),
            sentiment_questions=list(data.get("sentiment_questions", [])),
            sentiment_question_weights=loaded.get("sentiment_question_weights"),
        )


def _label_matrix(comments: Sequence[CodedComment], themes: list[str]) -> np.ndarray:
    column = {theme: index for index, theme in enumerate(themes)}
    labels = np.zeros((len(comments), len(themes)), dtype=np.int8)
    for row, comment in enumerate(comments):
        for theme in comment.themes:
            if theme in column:
                labels[row, column[theme]] = 1
    return labels


def _fit_sentiment(
    features: sparse.csr_matrix, sentiment: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    known = sentiment > 0
    if known.sum() < 10 or len(set(sentiment[known].tolist())) < 2:
        return None
    classifier = LinearSVC(C=SENTIMENT_C, max_iter=4000)
    classifier.fit(features[known], sentiment[known])
    weights = np.zeros((features.shape[1], len(SENTIMENTS)), dtype=np.float32)
    intercepts = np.full(len(SENTIMENTS), -10.0, dtype=np.float32)
    classes = [int(value) for value in classifier.classes_]
    coefficients = (
        classifier.coef_ if len(classes) > 2 else np.vstack([-classifier.coef_[0], classifier.coef_[0]])
    )
    offsets = (
        classifier.intercept_
        if len(classes) > 2
        else np.array([-classifier.intercept_[0], classifier.intercept_[0]])
    )
    for position, value in enumerate(classes):
        weights[:, value - 1] = coefficients[position]
        intercepts[value - 1] = offsets[position]
    return weights, intercepts


def train(
    comments: Sequence[CodedComment],
    *,
    progress: Progress | None = None,
    folds: int = HELD_BACK_FOLDS,
    seed: int = 2020,
) -> ThemeModel:
    """Trains theme and sentiment models, and measures them on coded comments each held back in turn."""
    started = time.perf_counter()
    report = progress or (lambda share, message: None)
    if len(comments) < 2 * folds:
        raise TrainingError(f"Code at least {2 * folds} comments before training; there are {len(comments)}.")
    counts: dict[str, int] = {}
    for comment in comments:
        for theme in set(comment.themes):
            counts[theme] = counts.get(theme, 0) + 1
    themes = sorted(theme for theme, count in counts.items() if count >= MIN_EXAMPLES)
    notes = [
        f"“{theme}” has {count} coded example{'s' if count != 1 else ''}: the model does not suggest it until it "
        f"has {MIN_EXAMPLES}."
        for theme, count in sorted(counts.items())
        if count < MIN_EXAMPLES
    ]
    sentiment = np.array([comment.sentiment or 0 for comment in comments], dtype=np.int64)
    if not themes and (sentiment > 0).sum() < 10:
        raise TrainingError("No theme has enough coded examples, and too few comments have a sentiment.")
    texts = [comment.text for comment in comments]
    questions = [comment.question for comment in comments]
    answers = [comment.answer for comment in comments]
    labels = _label_matrix(comments, themes)
    empty_share = float((labels.sum(axis=1) == 0).mean()) if themes else 1.0

    # Held back in turn: every coded comment is scored once by a model that never saw it.
    held_back_scores = np.zeros(labels.shape, dtype=np.float32)
    held_back_sentiment = np.zeros(len(comments), dtype=np.int64)
    # The vocabulary and word weights are learned from every comment's text once (they use no coding, so the
    # held-back comments' codes stay unseen); the classifiers are fitted afresh for each fold.
    report(0.0, "Reading the comments")
    features = Features.fit(texts, questions, answers)
    matrix, words = features.transform_parts(texts, questions, answers)
    matrix = matrix.astype(np.float64)
    # Only real questions with enough comments to learn from: a coding without questions trains exactly as before.
    known_questions = [
        question
        for question, count in Counter(_question_key(question) for question in questions).most_common()
        if question and count >= MIN_QUESTION_COMMENTS
    ][:SENTIMENT_QUESTIONS]
    for_sentiment = (
        sparse.hstack(
            [matrix, _by_question(words, questions, known_questions).astype(np.float64)], format="csr"
        )
        if known_questions
        else matrix
    )
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    steps = folds + 1
    averaged_weights = np.zeros((matrix.shape[1], len(themes)), dtype=np.float32)
    averaged_intercepts = np.zeros(len(themes), dtype=np.float32)
    every_fold_fitted = np.ones(len(themes), dtype=bool)
    for step, (seen, unseen) in enumerate(splitter.split(texts)):
        report((step + 0.1) / steps, f"Checking the model on held-back comments ({step + 1} of {folds})")
        weights, intercepts, fitted_here = _fit_linear(matrix[seen], labels[seen], THEME_C)
        every_fold_fitted &= fitted_here
        held_back_scores[unseen] = np.asarray(matrix[unseen] @ weights) + intercepts
        averaged_weights += weights / folds
        averaged_intercepts += intercepts / folds
        fitted = _fit_sentiment(for_sentiment[seen], sentiment[seen])
        if fitted is not None:
            raw = np.asarray(for_sentiment[unseen] @ fitted[0]) + fitted[1]
            held_back_sentiment[unseen] = raw.argmax(axis=1) + 1

    # Thresholds for the final model from all the held-back scores; for the quality report, each fold's
    # comments are judged with thresholds chosen on the other folds, so no comment grades its own threshold.
    thresholds = np.array(
        [_best_threshold(held_back_scores[:, i], labels[:, i]) for i in range(len(themes))], dtype=np.float32
    )
    slopes = np.array(
        [_calibration(held_back_scores[:, i], labels[:, i], thresholds[i])[0] for i in range(len(themes))],
        dtype=np.float32,
    )
    judged = np.zeros(labels.shape, dtype=bool)
    for _, unseen in splitter.split(texts):
        others = np.setdiff1d(np.arange(len(texts)), unseen)
        fold_thresholds = np.array(
            [_best_threshold(held_back_scores[others, i], labels[others, i]) for i in range(len(themes))]
        )
        judged[unseen] = held_back_scores[unseen] > fold_thresholds
    at_least_one = empty_share < 0.1
    floor = 0.0
    if at_least_one and themes:
        held_back_confidence = 1.0 / (1.0 + np.exp(-slopes * (held_back_scores - thresholds)))
        floor, judged = _at_least_one_floor(judged, held_back_confidence, labels)
    quality = _quality(themes, labels, judged, sentiment, held_back_sentiment, counts)

    report(folds / steps, "Training the model on every coded comment")
    # A common theme keeps the average of the held-back models: their scores chose its threshold, so the
    # threshold fits it (a model refitted on more comments scores on a larger scale), and the average steadies
    # it. A rare theme is refitted on every example, because each held-back model saw too few; so is a theme
    # some held-back model could not learn (its comments all had it), which would drag the average down.
    weights, intercepts = averaged_weights, averaged_intercepts
    refit = np.flatnonzero((labels.sum(axis=0) < AVERAGED_FROM) | ~every_fold_fitted)
    if len(refit):
        weights[:, refit], intercepts[refit], _ = _fit_linear(matrix, labels[:, refit], THEME_C)
    fitted = _fit_sentiment(for_sentiment, sentiment)
    width = matrix.shape[1]
    report(1.0, "Trained")
    return ThemeModel(
        themes=themes,
        features=features,
        weights=weights,
        intercepts=intercepts,
        thresholds=thresholds,
        slopes=slopes,
        at_least_one=at_least_one,
        at_least_one_floor=floor,
        sentiment_weights=fitted[0][:width] if fitted else None,
        sentiment_intercepts=fitted[1] if fitted else None,
        quality=quality,
        trained_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        training_seconds=round(time.perf_counter() - started, 2),
        notes=notes,
        sentiment_questions=known_questions if fitted else [],
        sentiment_question_weights=fitted[0][width:] if fitted and known_questions else None,
    )


def _at_least_one_floor(
    judged: np.ndarray, confidence: np.ndarray, labels: np.ndarray
) -> tuple[float, np.ndarray]:
    """Where the coders nearly always gave a theme, a comment the model gives none gets its likeliest theme, but
    only if the model is at least this sure of it: on held-back comments, the floor (from "always" up) that gives
    the best micro-F1 and macro-F1 together. A guess that is right one time in four costs more precision than it
    gains recall. Returns the floor and the held-back judgements with the guesses added."""
    empty = np.flatnonzero(~judged.any(axis=1))
    pick = np.argmax(confidence[empty], axis=1)
    sure = confidence[empty, pick]
    best: tuple[float, float, np.ndarray] | None = None
    for floor in AT_LEAST_ONE_FLOORS:
        trial = judged.copy()
        keep = sure > floor
        trial[empty[keep], pick[keep]] = True
        hits = (trial & (labels > 0)).sum(axis=0)
        total = trial.sum(axis=0) + labels.sum(axis=0)
        micro = 2 * hits.sum() / total.sum() if total.sum() else 0.0
        macro = float(np.mean(np.where(total > 0, 2 * hits / np.maximum(total, 1), 0.0)))
        if best is None or micro + macro > best[0] + 1e-9:
            best = (micro + macro, floor, trial)
    assert best is not None
    return best[1], best[2]


def _quality(
    themes: list[str],
    labels: np.ndarray,
    judged: np.ndarray,
    sentiment: np.ndarray,
    held_back_sentiment: np.ndarray,
    counts: dict[str, int],
) -> Quality:
    per_theme = []
    hits_total = suggested_total = actual_total = 0
    for index, theme in enumerate(themes):
        truth = labels[:, index].astype(bool)
        guess = judged[:, index]
        hits = int((truth & guess).sum())
        suggested, actual = int(guess.sum()), int(truth.sum())
        hits_total, suggested_total, actual_total = (
            hits_total + hits,
            suggested_total + suggested,
            actual_total + actual,
        )
        precision = hits / suggested if suggested else 0.0
        recall = hits / actual if actual else 0.0
        per_theme.append(
            ThemeQuality(
                theme=theme,
                examples=counts[theme],
                precision=round(precision, 3),
                recall=round(recall, 3),
                f1=round(_f1(precision, recall), 3),
            )
        )
    micro_precision = hits_total / suggested_total if suggested_total else 0.0
    micro_recall = hits_total / actual_total if actual_total else 0.0
    known = (sentiment > 0) & (held_back_sentiment > 0)
    accuracy = (
        float((_three_way(sentiment[known]) == _three_way(held_back_sentiment[known])).mean())
        if known.any()
        else None
    )
    return Quality(
        per_theme=per_theme,
        micro_f1=round(_f1(micro_precision, micro_recall), 3),
        macro_f1=round(sum(one.f1 for one in per_theme) / len(per_theme), 3) if per_theme else 0.0,
        sentiment_accuracy=round(accuracy, 3) if accuracy is not None else None,
        sentiment_examples=int(known.sum()),
        comments=len(labels),
    )
