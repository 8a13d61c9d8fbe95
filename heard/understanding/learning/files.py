"""``heard themes train`` and ``heard themes predict``: coded comments in, a model out; comments in, codes out.

CODED.csv has a ``text`` column, a ``themes`` column (theme names separated by ``; ``, empty where none
applies) and optionally ``sentiment`` (1 very positive … 5 very negative, or empty), ``question`` and the
Friends and Family Test answer given with the comment (a column named ``fft_answer`` or ``fft_score``: "Very
good" to "Don't know", or their codes 1 to 6). The output of ``predict`` is its input, the same rows in the same
order, with ``themes`` and ``sentiment`` added or replaced. Every problem in a file is reported by row and
column before anything is written; an FFT answer Heard does not recognise is read as none, and said so.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from heard.core.spreadsheets import safe_cell
from heard.listening.fft import fft_answer_parse
from heard.understanding.learning.engine import CodedComment, ThemeModel, TrainingError, train

BATCH_ROWS = 2_000
# Coding a file uses up to this many processes, one a core: reading character runs is most of the work, and it
# holds Python's lock, so threads would not help.
MAX_WORKERS = 4
THEME_SEPARATOR = "; "
MAX_ERRORS_SHOWN = 20
# The column with the FFT answer given with each comment: Heard's own name, then the FFT-QDC data's.
FFT_COLUMNS = ("fft_answer", "fft_score")


class FileProblem(Exception):
    """A problem with an input file, in words for the person who ran the command."""


@dataclass(frozen=True)
class PredictSummary:
    rows: int
    seconds: float
    note: str | None = None  # FFT answers not recognised, if any


def _open_rows(path: Path) -> tuple[list[str], Iterator[list[str]], object]:
    if not path.is_file():
        raise FileProblem(f"{path} does not exist.")
    handle = path.open(newline="", encoding="utf-8-sig")
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise FileProblem(f"{path} is empty: it needs a header row.") from None
    except UnicodeDecodeError:
        handle.close()
        raise FileProblem(f"{path} is not UTF-8 text: save it as 'CSV UTF-8' and try again.") from None
    return [name.strip() for name in header], reader, handle


def _column(header: list[str], name: str, path: Path, *, required: bool = True) -> int | None:
    lowered = [column.lower() for column in header]
    if name.lower() in lowered:
        return lowered.index(name.lower())
    if required:
        raise FileProblem(f"{path} has no '{name}' column (its columns are: {', '.join(header) or 'none'}).")
    return None


class FftAnswers:
    """Reads the optional FFT answer column, remembering answers it does not recognise so that they can be
    reported: such an answer is read as none rather than refusing the file (real returns carry codes, like 7,
    that no published FFT scale has)."""

    def __init__(self, header: list[str], path: Path) -> None:
        found = [_column(header, name, path, required=False) for name in FFT_COLUMNS]
        self.at = next((where for where in found if where is not None), None)
        self.name = header[self.at] if self.at is not None else ""
        self.unknown = 0
        self.first_unknown: tuple[int, str] | None = None

    def of(self, row: list[str], number: int) -> str:
        raw = row[self.at].strip() if self.at is not None and len(row) > self.at else ""
        if not raw:
            return ""
        answer = fft_answer_parse(raw)
        if answer is None:
            self.unknown += 1
            self.first_unknown = self.first_unknown or (number, raw[:20])
            return ""
        return answer

    def note(self) -> str | None:
        if self.first_unknown is None:  # every answer was recognised
            return None
        number, raw = self.first_unknown
        rows = "row has" if self.unknown == 1 else "rows have"
        return (
            f"{self.unknown:,} {rows} an FFT answer Heard does not recognise in '{self.name}' (the first is row "
            f"{number}: '{raw}'); they were read as having no answer. Heard reads Very good, Good, Neither good "
            "nor poor, Poor, Very poor, Don't know and their codes 1 to 6."
        )


def split_themes(cell: str) -> tuple[str, ...]:
    # "; " is the separator; a bare ";" is accepted too, and blanks and repeats are dropped.
    seen: dict[str, None] = {}
    for part in cell.split(";"):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name, None)
    return tuple(seen)


def read_coded(path: Path, notes: list[str] | None = None) -> list[CodedComment]:
    """The coded comments in a CSV file; FileProblem naming every bad row and field if any is wrong. What the
    reader should know but is not wrong (answers it did not recognise) is added to ``notes``."""
    header, reader, handle = _open_rows(path)
    try:
        text_at = _column(header, "text", path)
        themes_at = _column(header, "themes", path)
        sentiment_at = _column(header, "sentiment", path, required=False)
        question_at = _column(header, "question", path, required=False)
        fft = FftAnswers(header, path)
        assert text_at is not None and themes_at is not None
        comments: list[CodedComment] = []
        errors: list[str] = []
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                row = row + [""] * (len(header) - len(row))
            sentiment: int | None = None
            raw = row[sentiment_at].strip() if sentiment_at is not None else ""
            if raw:
                try:
                    sentiment = int(float(raw))
                except ValueError:
                    sentiment = 0
                if sentiment not in (1, 2, 3, 4, 5) or float(raw) != sentiment:
                    errors.append(f"row {number}, sentiment: '{raw[:20]}' is not a whole number from 1 to 5")
                    continue
            comments.append(
                CodedComment(
                    text=row[text_at],
                    themes=split_themes(row[themes_at]),
                    sentiment=sentiment,
                    question=row[question_at] if question_at is not None else "",
                    answer=fft.of(row, number),
                )
            )
    except UnicodeDecodeError:
        raise FileProblem(f"{path} is not UTF-8 text: save it as 'CSV UTF-8' and try again.") from None
    except csv.Error as problem:
        raise FileProblem(f"{path}: {problem}") from None
    finally:
        handle.close()  # type: ignore[attr-defined]
    if errors:
        shown = "\n  ".join(errors[:MAX_ERRORS_SHOWN])
        more = f"\n  … and {len(errors) - MAX_ERRORS_SHOWN} more" if len(errors) > MAX_ERRORS_SHOWN else ""
        raise FileProblem(f"{path} has {len(errors)} problem(s); nothing was trained:\n  {shown}{more}")
    note = fft.note()
    if note and notes is not None:
        notes.append(note)
    return comments


def train_file(
    source: Path,
    destination: Path,
    progress: Callable[[float, str], None] | None = None,
    notes: list[str] | None = None,
) -> ThemeModel:
    comments = read_coded(source, notes)
    try:
        model = train(comments, progress=progress)
    except TrainingError as problem:
        raise FileProblem(str(problem)) from None
    model.save(destination)
    return model


Coded = list[tuple[str, int | None]]  # each comment's themes (joined) and sentiment

# The model a coding process uses: set before the processes are forked, so they share it without copying it.
_model_in_use: ThemeModel | None = None


def _code(model: ThemeModel, texts: Sequence[str], asked: Sequence[str], answers: Sequence[str]) -> Coded:
    return [
        (THEME_SEPARATOR.join(theme for theme, _ in suggestion.themes), suggestion.sentiment)
        for suggestion in model.predict(texts, asked, answers)
    ]


def _code_in_worker(texts: Sequence[str], asked: Sequence[str], answers: Sequence[str]) -> Coded:
    assert _model_in_use is not None
    return _code(_model_in_use, texts, asked, answers)


@contextmanager
def _coding(model: ThemeModel) -> Iterator[tuple[int, Callable[..., Callable[[], Coded]]]]:
    """How many batches may be in hand at once, and a function that starts coding one batch and gives back a
    function that waits for its codes. On one core, or where processes cannot be forked, batches are coded here
    as they come."""
    global _model_in_use
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():

        def at_once(*batch: Sequence[str]) -> Callable[[], Coded]:
            done = _code(model, *batch)
            return lambda: done

        yield 1, at_once
        return
    _model_in_use = model
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start)
    try:
        yield 2 * workers, lambda *batch: pool.apply_async(_code_in_worker, batch).get
        # Done: the workers finish and leave of themselves. (Pool's own "with" ends them with a signal, which a
        # process that had set its own signal handlers before forking, such as a task worker, may not obey.)
        pool.close()
        pool.join()
    finally:
        pool.terminate()
        _model_in_use = None


def _worker_start() -> None:
    """A forked worker answers signals as a plain process does, whatever handlers the process it was forked from
    had set: so that stopping it, on an error, stops it."""
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_DFL)


def predict_file(
    model_folder: Path, source: Path, destination: Path, progress: Callable[[int], None] | None = None
) -> PredictSummary:
    """Writes ``source`` with themes and sentiment added, through a temporary file renamed into place."""
    started = time.perf_counter()
    if source.resolve() == destination.resolve():
        raise FileProblem("--out must be a different file from the input.")
    try:
        model = ThemeModel.load(model_folder)
    except TrainingError as problem:
        raise FileProblem(str(problem)) from None
    header, reader, handle = _open_rows(source)
    rows = 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".heard-", suffix=".csv", dir=destination.parent)
    try:
        text_at = _column(header, "text", source)
        question_at = _column(header, "question", source, required=False)
        fft = FftAnswers(header, source)
        assert text_at is not None
        themes_at = _column(header, "themes", source, required=False)
        sentiment_at = _column(header, "sentiment", source, required=False)
        out_header = list(header)
        if themes_at is None:
            themes_at = len(out_header)
            out_header.append("themes")
        if sentiment_at is None:
            sentiment_at = len(out_header)
            out_header.append("sentiment")
        with (
            os.fdopen(descriptor, "w", newline="", encoding="utf-8") as output,
            _coding(model) as (most, start),
        ):
            writer = csv.writer(output)
            writer.writerow(out_header)
            batch: list[list[str]] = []
            read = 0  # rows read so far, for naming a row in the note on FFT answers
            # Batches being coded, oldest first, so that rows are written in the order they were read.
            in_hand: deque[tuple[list[list[str]], Callable[[], Coded]]] = deque()

            def send() -> None:
                nonlocal read
                texts = [row[text_at] if len(row) > text_at else "" for row in batch]
                asked = [
                    row[question_at] if question_at is not None and len(row) > question_at else ""
                    for row in batch
                ]
                answers = [fft.of(row, read + offset) for offset, row in enumerate(batch, start=2)]
                read += len(batch)
                in_hand.append((list(batch), start(texts, asked, answers)))
                batch.clear()

            def write_oldest() -> None:
                nonlocal rows
                done, codes = in_hand.popleft()
                for row, (themes, sentiment) in zip(done, codes(), strict=True):
                    padded = row + [""] * (len(out_header) - len(row))
                    padded[themes_at] = safe_cell(themes)
                    padded[sentiment_at] = "" if sentiment is None else str(sentiment)
                    writer.writerow(padded)
                rows += len(done)
                if progress is not None:
                    progress(rows)

            for row in reader:
                batch.append(row)
                if len(batch) >= BATCH_ROWS:
                    send()
                    if len(in_hand) >= most:
                        write_oldest()
            if batch:
                send()
            while in_hand:
                write_oldest()
        os.replace(temporary, destination)
    except UnicodeDecodeError:
        raise FileProblem(f"{source} is not UTF-8 text: save it as 'CSV UTF-8' and try again.") from None
    except csv.Error as problem:
        raise FileProblem(f"{source}: {problem}") from None
    finally:
        handle.close()  # type: ignore[attr-defined]
        if os.path.exists(temporary):
            os.unlink(temporary)
    return PredictSummary(rows=rows, seconds=time.perf_counter() - started, note=fft.note())


def main(argv: list[str]) -> int:
    """``heard themes train|predict``: the exit status."""
    parser = argparse.ArgumentParser(prog="heard themes", description="Themes and sentiment in files.")
    add_themes_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        run_themes(options, lambda message: print(message, file=sys.stderr, flush=True))
    except FileProblem as problem:
        print(f"heard themes: error: {problem}", file=sys.stderr)
        return 1
    return 0


def add_themes_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    training = actions.add_parser(
        "train",
        help="train a theme and sentiment model from coded comments",
        description=(
            "Train from CODED.csv (columns: text, themes separated by '; ', optional sentiment 1-5, question "
            "and fft_answer) and save the model in MODEL_DIR. Prints how well it did on comments held back "
            "from it."
        ),
    )
    training.add_argument("coded", type=Path, metavar="CODED.csv")
    training.add_argument("--out", type=Path, required=True, metavar="MODEL_DIR")
    training.add_argument("--quiet", action="store_true", help="print nothing on success")
    predicting = actions.add_parser(
        "predict",
        help="add themes and sentiment to a CSV file",
        description=(
            "Copy INPUT.csv (columns: text, optional question and fft_answer) with themes and sentiment columns "
            "added (or replaced); rows keep their order."
        ),
    )
    predicting.add_argument("model", type=Path, metavar="MODEL_DIR")
    predicting.add_argument("input", type=Path, metavar="INPUT.csv")
    predicting.add_argument("--out", type=Path, required=True, metavar="OUTPUT.csv")
    predicting.add_argument("--quiet", action="store_true", help="print nothing on success")


def run_themes(options: dict[str, object], report: Callable[[str], None]) -> None:
    quiet = bool(options.get("quiet"))
    say = (lambda message: None) if quiet else report
    if options["action"] == "train":
        read_notes: list[str] = []
        model = train_file(
            Path(str(options["coded"])),
            Path(str(options["out"])),
            progress=lambda share, message: say(f"heard themes train: {share:4.0%} {message}"),
            notes=read_notes,
        )
        for note in read_notes:
            say(note)
        quality = model.quality
        say(
            f"Trained on {quality.comments:,} coded comments in {model.training_seconds:.1f} s: "
            f"{len(model.themes)} themes, saved in {options['out']}"
        )
        say(
            f"On held-back comments: micro-F1 {quality.micro_f1:.2f}, macro-F1 {quality.macro_f1:.2f}"
            + (
                f", sentiment right {quality.sentiment_accuracy:.0%} of the time (positive, mixed, negative)"
                if quality.sentiment_accuracy is not None
                else ""
            )
        )
        if not quiet:
            say(f"{'theme':<55} {'examples':>8} {'precision':>9} {'recall':>6} {'F1':>5}")
            for one in sorted(quality.per_theme, key=lambda item: -item.examples):
                say(
                    f"{one.theme[:55]:<55} {one.examples:>8} {one.precision:>9.2f} {one.recall:>6.2f} {one.f1:>5.2f}"
                )
            for note in model.notes:
                say(note)
        return
    summary = predict_file(
        Path(str(options["model"])),
        Path(str(options["input"])),
        Path(str(options["out"])),
        progress=lambda rows: say(f"heard themes predict: {rows:,} rows so far"),
    )
    if summary.note:
        say(summary.note)
    say(f"Coded {summary.rows:,} rows in {summary.seconds:.2f} s: {options['out']}")
