"""Charts drawn on the server as SVG: no JavaScript, the same picture on the page and in the download.

Every chart is shown beside a table of its figures; the SVG names that table in its title so a screen-reader user
knows where the numbers are.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from xml.sax.saxutils import escape

# NHS.UK colours: blue, dark blue, aqua green, warm yellow, purple, dark pink.
PALETTE = ["#005eb8", "#003087", "#00a499", "#ffb81c", "#330072", "#7c2855"]
FONT = 'font-family="Frutiger W01, Arial, sans-serif" font-size="14"'
NOTE_FONT = 'font-family="Frutiger W01, Arial, sans-serif" font-size="12"'
NOTE_WIDTH = 100  # letters a line of the note under a chart


def note_lines(note: str) -> list[str]:
    """The note under a downloaded chart (its filters, the small-number rule), in lines that fit its width."""
    return textwrap.wrap(note, NOTE_WIDTH)


def _svg(width: int, height: int, title: str, body: list[str], note: str = "") -> str:
    lines = note_lines(note)
    body = body + [
        f'<text x="10" y="{height + 16 + number * 18}" {NOTE_FONT} fill="#212b32">{escape(line)}</text>'
        for number, line in enumerate(lines)
    ]
    height += len(lines) * 18 + (10 if lines else 0)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    width: int = 720,
    shown: Sequence[str] | None = None,
    note: str = "",
) -> str:
    """Horizontal bars, longest first as given, each labelled with its value (or with ``shown``, when given)."""
    label_width, bar_height, gap, top = 300, 22, 8, 10
    height = top * 2 + len(labels) * (bar_height + gap)
    biggest = max(values, default=0) or 1
    room = width - label_width - 70
    body = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * (bar_height + gap)
        length = max(1, round(room * value / biggest)) if value else 0
        short = label if len(label) <= 40 else label[:39] + "…"
        figure = shown[index] if shown is not None else f"{value:,}"
        body.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" {FONT} fill="#212b32">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + length + 6}" y="{y + 16}" {FONT} fill="#212b32">{escape(figure)}</text>'
        )
    return _svg(width, max(height, 40), title, body, note)


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    width: int = 720,
    note: str = "",
) -> str:
    """Lines of shares (0–1) over months, with a key; dashed lines tell the series apart without colour.

    A share of None (hidden by the small-number rule) breaks the line there.
    """
    left, right, top, plot_height = 50, 50, 20, 220
    key_rows = len(series)
    height = top + plot_height + 40 + key_rows * 22
    peak = share_peak(series)
    plot_width = width - left - right
    step = plot_width / max(1, len(x_labels) - 1)
    body = []
    for tick in range(0, 6):
        share = peak * tick / 5
        y = top + plot_height - plot_height * tick / 5
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde0"/>'
            f'<text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end" {FONT} fill="#4c6272">{share:.0%}</text>'
        )
    every = label_every(x_labels, plot_width)
    for index, label in enumerate(x_labels):
        if index % every == 0:
            x = left + index * step
            body.append(
                f'<text x="{x:.1f}" y="{top + plot_height + 20}" text-anchor="middle" {FONT} fill="#4c6272">'
                f"{escape(label)}</text>"
            )
    dashes = ["", "6 3", "2 3", "8 3 2 3", "12 4", "1 2"]
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        dash = f' stroke-dasharray="{dashes[number % len(dashes)]}"' if dashes[number % len(dashes)] else ""
        for run in _runs(values):
            points = " ".join(
                f"{left + index * step:.1f},{top + plot_height - plot_height * value / peak:.1f}"
                for index, value in run
            )
            body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3"{dash}/>')
        y = top + plot_height + 40 + number * 22
        body.append(
            f'<line x1="{left}" x2="{left + 30}" y1="{y - 5}" y2="{y - 5}" stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{left + 38}" y="{y}" {FONT} fill="#212b32">{escape(name)}</text>'
        )
    return _svg(width, height, title, body, note)


def label_every(labels: Sequence[str], plot_width: float) -> int:
    """Label every nth point of an axis: as many labels as fit side by side (about 8 pixels a letter, and a gap),
    evenly spread, so that "Oct 2025" and "Nov 2025" never run into each other."""
    widest = max((len(label) for label in labels), default=0) * 8 + 16
    step = plot_width / max(1, len(labels) - 1)
    return max(1, math.ceil(len(labels) * widest / (plot_width + step)))


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The unbroken stretches of a series: a hidden value (None) ends one."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


def share_peak(series: Sequence[tuple[str, Sequence[float | None]]]) -> float:
    """The top of a share axis: the next tenth above the highest share, at most 100%."""
    highest = (
        max((max((v for v in values if v is not None), default=0) for _, values in series), default=0) or 1
    )
    return min(1.0, (int(highest * 10) + 1) / 10)
