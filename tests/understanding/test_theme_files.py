"""``heard themes train`` and ``heard themes predict``, as an analyst who works in files would use them."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from heard.understanding.learning.engine import CodedComment, ThemeModel, TrainingError, train
from heard.understanding.learning.files import FileProblem, predict_file, read_coded, split_themes, train_file

HEARD = Path(sys.executable).parent / "heard"


def heard_themes(*arguments: object) -> subprocess.CompletedProcess[str]:
    """``heard themes ...`` as an analyst runs it, in a process of its own."""
    return subprocess.run([str(HEARD), "themes", *map(str, arguments)], capture_output=True, text=True)


# Invented comments: each theme has its own words, mixed with words every comment shares.
THEME_WORDS = {
    "Waiting": ["waited hours", "long wait", "kept waiting", "delay before being seen"],
    "Staff attitude": ["rude receptionist", "kind nurse", "friendly staff", "caring doctor"],
    "Parking": ["car park full", "parking charges", "nowhere to park", "parking spaces"],
    "Food": ["cold dinner", "tasty meals", "food was lovely", "breakfast choice"],
}
FILLER = ["on the ward", "at the clinic", "this time", "overall", "during my visit", "last week"]


def coded_comments(count: int, seed: int = 7) -> list[CodedComment]:
    rng = random.Random(seed)
    comments = []
    names = list(THEME_WORDS)
    for index in range(count):
        themes = rng.sample(names, 2 if index % 5 == 0 else 1)
        words = [rng.choice(THEME_WORDS[theme]) for theme in themes]
        text = f"{' and '.join(words)} {rng.choice(FILLER)}".capitalize()
        sentiment = 1 if any(word in text.lower() for word in ("kind", "friendly", "tasty", "lovely")) else 5
        comments.append(CodedComment(text=text, themes=tuple(themes), sentiment=sentiment, question="Why?"))
    return comments


def write_coded(path: Path, comments: list[CodedComment], extra: list[list[str]] | None = None) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "question", "text", "themes", "sentiment"])
        for number, comment in enumerate(comments):
            writer.writerow(
                [f"c{number}", comment.question, comment.text, "; ".join(comment.themes), comment.sentiment]
            )
        for row in extra or []:
            writer.writerow(row)


def test_a_model_learns_the_coders_themes_and_reports_its_quality_per_theme() -> None:
    model = train(coded_comments(240))

    assert model.themes == sorted(THEME_WORDS)
    by_theme = {one.theme: one for one in model.quality.per_theme}
    assert set(by_theme) == set(THEME_WORDS)
    for one in by_theme.values():
        assert one.examples > 40
        assert one.f1 > 0.9, one  # these invented themes have words of their own
    assert model.quality.sentiment_accuracy is not None and model.quality.sentiment_accuracy > 0.9

    [suggestion] = model.predict(["There was nowhere to park and I waited hours"], ["Why?"])
    assert {theme for theme, _ in suggestion.themes} == {"Parking", "Waiting"}
    assert all(0.5 < confidence <= 1.0 for _, confidence in suggestion.themes)


def test_themes_with_too_few_examples_are_named_not_suggested() -> None:
    comments = [*coded_comments(120), CodedComment(text="The chaplain visited", themes=("Faith",))]

    model = train(comments)

    assert "Faith" not in model.themes
    assert any("Faith" in note for note in model.notes)


def test_train_then_predict_keeps_every_row_in_order_and_adds_themes_and_sentiment(tmp_path: Path) -> None:
    coded = tmp_path / "coded.csv"
    write_coded(coded, coded_comments(200))
    source = tmp_path / "new.csv"
    source.write_text(
        "id,text,notes\n"
        "1,The food was lovely,first\n"
        '2,"Rude receptionist, and a long wait",second\n'
        "3,,empty text\n"
        "4,=SUM(A1),a formula-looking comment\n",
        encoding="utf-8",
    )

    trained = heard_themes("train", coded, "--out", tmp_path / "model")
    assert trained.returncode == 0, trained.stderr
    assert "micro-F1" in trained.stderr and "Parking" in trained.stderr
    predicted = heard_themes("predict", tmp_path / "model", source, "--out", tmp_path / "out.csv")
    assert predicted.returncode == 0, predicted.stderr

    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == ["1", "2", "3", "4"]
    assert [row["notes"] for row in rows] == ["first", "second", "empty text", "a formula-looking comment"]
    assert rows[0]["themes"] == "Food" and rows[0]["sentiment"] == "1"
    assert set(split_themes(rows[1]["themes"])) == {"Staff attitude", "Waiting"}
    assert rows[1]["sentiment"] == "5"
    assert rows[3]["text"] == "=SUM(A1)"  # the input's own columns are untouched


def test_predict_replaces_existing_theme_and_sentiment_columns(tmp_path: Path) -> None:
    model_folder = tmp_path / "model"
    train(coded_comments(160)).save(model_folder)
    source = tmp_path / "in.csv"
    source.write_text("themes,text,sentiment\nold theme,Parking charges are too high,3\n", encoding="utf-8")

    predict_file(model_folder, source, tmp_path / "out.csv")

    header, row = list(csv.reader((tmp_path / "out.csv").open(encoding="utf-8")))
    assert header == ["themes", "text", "sentiment"]
    assert row == ["Parking", "Parking charges are too high", "5"]


def test_a_bad_sentiment_is_named_by_row_and_field_and_nothing_is_written(tmp_path: Path) -> None:
    coded = tmp_path / "coded.csv"
    write_coded(
        coded, coded_comments(40), extra=[["x", "Why?", "Fine", "Waiting", "7"], ["y", "", "Ok", "", "good"]]
    )

    with pytest.raises(FileProblem) as problem:
        train_file(coded, tmp_path / "model")

    message = str(problem.value)
    assert "row 42, sentiment: '7' is not a whole number from 1 to 5" in message
    assert "row 43, sentiment: 'good'" in message
    assert not (tmp_path / "model").exists()


def test_a_file_without_the_needed_columns_says_which(tmp_path: Path) -> None:
    coded = tmp_path / "coded.csv"
    coded.write_text("comment,codes\nhello,Waiting\n", encoding="utf-8")

    done = heard_themes("train", coded, "--out", tmp_path / "m")

    assert done.returncode == 1
    assert "has no 'text' column (its columns are: comment, codes)" in done.stderr


def test_too_few_coded_comments_is_a_clear_message(tmp_path: Path) -> None:
    coded = tmp_path / "coded.csv"
    write_coded(coded, coded_comments(3))

    with pytest.raises(FileProblem, match="Code at least 8 comments before training; there are 3"):
        train_file(coded, tmp_path / "model")


def test_a_saved_model_is_plain_json_and_arrays_and_gives_the_same_answers(tmp_path: Path) -> None:
    model = train(coded_comments(160))
    model.save(tmp_path / "model")

    description = json.loads((tmp_path / "model" / "model.json").read_text(encoding="utf-8"))
    assert description["format"] == "heard-theme-model" and description["themes"] == sorted(THEME_WORDS)
    with np.load(tmp_path / "model" / "weights.npz", allow_pickle=False) as arrays:
        assert set(arrays.files) >= {"weights", "thresholds", "slopes"}
    loaded = ThemeModel.load(tmp_path / "model")
    texts = ["Kind nurse but a long wait", "Cold dinner again"]
    assert loaded.predict(texts) == model.predict(texts)


def test_reading_coded_themes_accepts_bare_semicolons_and_drops_repeats(tmp_path: Path) -> None:
    coded = tmp_path / "coded.csv"
    coded.write_text("text,themes\nGood,Waiting;Parking; Waiting ;\n", encoding="utf-8")

    [comment] = read_coded(coded)

    assert comment.themes == ("Waiting", "Parking")
    assert comment.sentiment is None


def test_uncertainty_ranks_ambiguous_comments_first() -> None:
    model = train(coded_comments(200))

    scores = model.uncertainty(["Parking charges", "the something else entirely"])

    assert scores[1] > scores[0]


def test_sentiment_reads_the_same_words_by_the_question_they_answer(tmp_path: Path) -> None:
    """ "Nothing" answering "What was good?" is a complaint, and praise answering "What could we do better?";
    "everything" the other way round. Words and question each alone cannot tell these apart; together they do."""
    comments = coded_comments(160)
    good, better = "What was good?", "What could we do better?"
    for number in range(30):
        for word, after_good, after_better in (("Nothing", 5, 1), ("Everything", 1, 5)):
            comments.append(CodedComment(text=f"{word} {number}", sentiment=after_good, question=good))
            comments.append(CodedComment(text=f"{word} {number}", sentiment=after_better, question=better))
    model = train(comments)
    model.save(tmp_path / "model")
    loaded = ThemeModel.load(tmp_path / "model")

    for one in (model, loaded):
        answers = one.predict(
            ["Nothing", "Nothing", "Everything", "Everything"], [good, better, good, better]
        )
        assert [answer.sentiment for answer in answers] == [5, 1, 1, 5]
    assert len(model.sentiment_questions) == 3  # the two questions, and "Why?"

    # Comments without questions train as they always did: no copies of the word features.
    plain = train(
        [CodedComment(text=one.text, themes=one.themes, sentiment=one.sentiment) for one in comments]
    )
    assert plain.sentiment_questions == [] and plain.sentiment_question_weights is None

    # A model saved before these features (no question weights) still loads and codes.
    description = json.loads((tmp_path / "model" / "model.json").read_text(encoding="utf-8"))
    del description["sentiment_questions"]
    (tmp_path / "model" / "model.json").write_text(json.dumps(description), encoding="utf-8")
    with np.load(tmp_path / "model" / "weights.npz", allow_pickle=False) as arrays:
        older = {name: arrays[name] for name in arrays.files if name != "sentiment_question_weights"}
    np.savez_compressed(tmp_path / "model" / "weights.npz", **older)
    assert ThemeModel.load(tmp_path / "model").predict(["Cold dinner again"])[0].sentiment in (1, 2, 3, 4, 5)


def fft_comments() -> list[CodedComment]:
    """Short answers whose words do not say how the person felt; the FFT answer given with them does."""
    comments = coded_comments(160)
    for number in range(40):
        for answer, theme, sentiment in (("very_good", "Praise", 1), ("very_poor", "Complaint", 5)):
            comments.append(
                CodedComment(
                    text=f"No comment {number}",
                    themes=(theme,),
                    sentiment=sentiment,
                    question="Why?",
                    answer=answer,
                )
            )
    return comments


def test_themes_and_sentiment_read_the_fft_answer_given_with_the_comment(tmp_path: Path) -> None:
    model = train(fft_comments())
    model.save(tmp_path / "model")
    loaded = ThemeModel.load(tmp_path / "model")

    for one in (model, loaded):
        praise, complaint = one.predict(
            ["No comment", "No comment"], ["Why?", "Why?"], ["very_good", "very_poor"]
        )
        assert [theme for theme, _ in praise.themes] == ["Praise"] and praise.sentiment == 1
        assert [theme for theme, _ in complaint.themes] == ["Complaint"] and complaint.sentiment == 5
    by_theme = {one.theme: one for one in model.quality.per_theme}
    assert by_theme["Praise"].f1 > 0.9 and by_theme["Complaint"].f1 > 0.9

    # An answer the model never met reads as "some answer": the words decide, as they would without one.
    [unmet] = model.predict(["Cold dinner again"], ["Why?"], ["dont_know"])
    assert [theme for theme, _ in unmet.themes] == ["Food"] and unmet.sentiment == 5

    # Trained without the answers, a model cannot tell the two apart; answers given to it later change nothing.
    blind = train([CodedComment(one.text, one.themes, one.sentiment, one.question) for one in fft_comments()])
    blind_quality = {one.theme: one.f1 for one in blind.quality.per_theme}
    assert blind_quality["Praise"] < 0.8 and blind_quality["Complaint"] < 0.8
    texts = ["No comment", "Kind nurse but a long wait", "Cold dinner again"]
    given, not_given = (
        blind.predict(texts, None, ["very_good", "very_poor", "dont_know"]),
        blind.predict(texts),
    )
    assert [(one.themes, one.sentiment) for one in given] == [
        (one.themes, one.sentiment) for one in not_given
    ]


def test_a_model_saved_before_fft_answers_were_read_still_loads_and_codes(tmp_path: Path) -> None:
    model = train(coded_comments(160))
    model.save(tmp_path / "model")
    # What such a model looked like: no answers vectoriser, and no weights for its columns.
    description = json.loads((tmp_path / "model" / "model.json").read_text(encoding="utf-8"))
    description["version"] = 1
    extra = len(description["features"].pop("answers")["idf"])
    (tmp_path / "model" / "model.json").write_text(json.dumps(description), encoding="utf-8")
    with np.load(tmp_path / "model" / "weights.npz", allow_pickle=False) as arrays:
        older = {name: arrays[name] for name in arrays.files}
    for name in ("weights", "sentiment_weights"):
        older[name] = older[name][:-extra]
    np.savez_compressed(tmp_path / "model" / "weights.npz", **older)

    texts = ["Kind nurse but a long wait", "Cold dinner again"]
    old = ThemeModel.load(tmp_path / "model")

    assert old.features.answers is None
    # It codes as before, and answers given to it change nothing: it has no columns for them.
    coded = old.predict(texts, None, ["very_good", ""])
    assert coded == old.predict(texts)
    assert {theme for theme, _ in coded[1].themes} == {"Food"} and coded[1].sentiment == 5

    # A model from a later Heard is refused in words.
    description["version"] = 99
    (tmp_path / "model" / "model.json").write_text(json.dumps(description), encoding="utf-8")
    with pytest.raises(TrainingError, match="holds a model this version of Heard cannot read"):
        ThemeModel.load(tmp_path / "model")


def test_files_give_the_fft_answer_and_answers_heard_does_not_know_are_named(tmp_path: Path) -> None:
    coded = tmp_path / "coded.csv"
    with coded.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "text", "themes", "sentiment", "fft_score"])
        for comment in fft_comments():
            code = {"very_good": "1", "very_poor": "Very poor", "": ""}[comment.answer]
            writer.writerow(
                [comment.question, comment.text, "; ".join(comment.themes), comment.sentiment, code]
            )
        writer.writerow(["Why?", "Parking charges", "Parking", "5", "7"])
    source = tmp_path / "new.csv"
    source.write_text("text,FFT_answer\nNo comment,Very good\nNo comment,5\nNo comment,9\n", encoding="utf-8")

    trained = heard_themes("train", coded, "--out", tmp_path / "model")
    predicted = heard_themes("predict", tmp_path / "model", source, "--out", tmp_path / "out.csv")

    assert trained.returncode == 0, trained.stderr
    assert "1 row has an FFT answer Heard does not recognise in 'fft_score' (the first is row 242: '7')" in (
        trained.stderr
    )
    assert predicted.returncode == 0, predicted.stderr
    assert "in 'FFT_answer' (the first is row 4: '9')" in predicted.stderr
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["themes"], row["sentiment"]) for row in rows[:2]] == [("Praise", "1"), ("Complaint", "5")]
    assert read_coded(coded)[-1].answer == ""  # the unknown code, read as no answer


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_of_many_batches_is_coded_in_order_by_one_process_or_several(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    from heard.understanding.learning import files

    monkeypatch.setattr(files, "BATCH_ROWS", 7)  # 100 rows: 15 batches, more than the processes hold at once
    monkeypatch.setattr(files, "MAX_WORKERS", workers)
    model = train(fft_comments())
    model.save(tmp_path / "model")
    comments = [*coded_comments(60, seed=11), *fft_comments()[-40:]]
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "question", "text", "fft_answer"])
        for number, comment in enumerate(comments):
            writer.writerow(
                [number, comment.question, comment.text, "6½" if number == 95 else comment.answer]
            )

    summary = predict_file(tmp_path / "model", source, tmp_path / "out.csv")

    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = model.predict(
        [one.text for one in comments],
        [one.question for one in comments],
        ["" if number == 95 else one.answer for number, one in enumerate(comments)],
    )
    assert summary.rows == 100 and [row["id"] for row in rows] == [str(number) for number in range(100)]
    assert [(row["themes"], row["sentiment"]) for row in rows] == [
        ("; ".join(theme for theme, _ in one.themes), str(one.sentiment)) for one in expected
    ]
    assert summary.note is not None and "(the first is row 97: '6½')" in summary.note


def test_a_common_theme_on_nearly_every_comment_is_still_suggested() -> None:
    """A held-back model whose comments all had the theme learns nothing about it: the final model must not
    average that in. The few comments without it are put where training holds them back together."""
    from sklearn.model_selection import KFold

    from heard.understanding.learning.engine import HELD_BACK_FOLDS

    comments = [
        CodedComment(
            text=one.text, themes=(*one.themes, "General"), sentiment=one.sentiment, question=one.question
        )
        for one in coded_comments(240, seed=442)
    ]
    _, held_back_together = next(
        KFold(n_splits=HELD_BACK_FOLDS, shuffle=True, random_state=2020).split(comments)
    )
    for number in held_back_together[:4]:
        comments[number] = CodedComment(text=f"Nothing to say {number}", themes=(), question="Why?")

    model = train(comments)

    suggested = model.predict([one.text for one in comments], [one.question for one in comments])
    assert sum("General" in dict(one.themes) for one in suggested) >= 220


def test_where_coders_always_give_a_theme_the_model_guesses_one_only_when_fairly_sure(tmp_path: Path) -> None:
    """The coders gave every comment a theme, but some comments say nothing a theme can be told from (coded at
    random). The model's likeliest guess for those is right one time in four: it leaves them without a theme
    rather than guess, while a comment it can read still gets its theme."""
    rng = random.Random(11)
    comments = coded_comments(240, seed=3) + [
        CodedComment(text=f"Thanks {rng.choice(FILLER)} {number}", themes=(rng.choice(list(THEME_WORDS)),))
        for number in range(120)
    ]

    model = train(comments)

    assert model.at_least_one and model.at_least_one_floor > 0
    vague, clear = model.predict(["Thanks overall", "Parking charges at the clinic"])
    assert vague.themes == ()
    assert {theme for theme, _ in clear.themes} == {"Parking"}
    # A model saved before the floor was kept guesses for every comment, as it always did.
    model.save(tmp_path / "model")
    description = json.loads((tmp_path / "model" / "model.json").read_text(encoding="utf-8"))
    del description["at_least_one_floor"]
    (tmp_path / "model" / "model.json").write_text(json.dumps(description), encoding="utf-8")
    older = ThemeModel.load(tmp_path / "model")
    assert older.at_least_one_floor == 0.0
    assert len(older.predict(["Thanks overall"])[0].themes) == 1


def test_character_runs_found_word_by_word_are_exactly_the_vectorisers(monkeypatch) -> None:
    """Coding looks up each distinct word's character runs once; the matrix must be the one scikit-learn makes,
    whatever the spacing, case, accents or repeats, and whether or not a word is remembered."""
    from heard.understanding.learning import engine

    comments = coded_comments(200)
    features = engine.Features.fit([one.text for one in comments], [one.question for one in comments])
    texts = [
        "Kind nurse but a long wait",
        "  KIND   nurse\tkind\nnurse  ",
        "ÉCOLE Straße İstanbul naïve café",
        "",
        "a",
        "Ward 23, 20mg, A&E!!! ???",
        "parking parking parking charges",
    ]
    for remembered in (100_000, 3):
        monkeypatch.setattr(engine, "WORDS_REMEMBERED", remembered)
        features._word_runs.clear()
        for _ in range(2):  # the second time from what was remembered
            ours = features._characters(texts)
            theirs = features.characters.transform(texts)
            assert ours.shape == theirs.shape
            assert abs(ours - theirs).max() == 0.0
        assert len(features._word_runs) <= remembered


def test_coding_on_several_cores_finishes_in_a_process_that_ignores_termination(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that set its own signal handlers before coding (a task worker does) must still see its coding
    processes finish and leave: they are asked to, not signalled."""
    import signal
    import threading

    from heard.understanding.learning import files

    monkeypatch.setattr(files, "BATCH_ROWS", 7)
    monkeypatch.setattr(files, "MAX_WORKERS", 2)
    monkeypatch.setattr(files.os, "cpu_count", lambda: 2)
    pools: list[object] = []
    fork = files.multiprocessing.get_context("fork")

    class Recorded:
        def Pool(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            pools.append(fork.Pool(*args, **kwargs))
            return pools[-1]

    monkeypatch.setattr(files.multiprocessing, "get_context", lambda method: Recorded())
    model = train(coded_comments(80))
    model.save(tmp_path / "model")
    write_coded(tmp_path / "in.csv", coded_comments(40, seed=5))
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        done: list[int] = []

        def code() -> None:
            done.append(predict_file(tmp_path / "model", tmp_path / "in.csv", tmp_path / "out.csv").rows)

        coding = threading.Thread(target=code, daemon=True)
        coding.start()
        coding.join(timeout=120)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert done == [40]
    # They finished of themselves: none was ended by a signal (a negative exit code).
    assert [worker.exitcode for worker in pools[0]._pool] == [0, 0]  # type: ignore[attr-defined]
