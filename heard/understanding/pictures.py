"""The dashboard's charts as PNG pictures, for slides and board papers: the same figures as the SVG charts.

Drawn with Pillow and its built-in scalable font, so nothing depends on the fonts a server happens to have.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from heard.understanding.charts import PALETTE, _runs, label_every, note_lines, share_peak

TEXT = "#212b32"
GRID = "#d8dde0"
SCALE = 2  # drawn at twice the size, so the picture stays sharp in a document


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size * SCALE)


def _with_note(image: Image.Image, note: str) -> Image.Image:
    """The picture with a note under it (the filters, the small-number rule), so that it says what it counts
    wherever it is pasted."""
    lines = note_lines(note)
    if not lines:
        return image
    noted = Image.new("RGB", (image.width, image.height + (len(lines) * 18 + 10) * SCALE), "white")
    noted.paste(image, (0, 0))
    draw = ImageDraw.Draw(noted)
    for number, line in enumerate(lines):
        draw.text((10 * SCALE, image.height + number * 18 * SCALE), line, fill=TEXT, font=_font(12))
    return noted


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def bar_png(
    title: str,
    labels: Sequence[str],
    values: Sequence[int],
    width: int = 720,
    shown: Sequence[str] | None = None,
    note: str = "",
) -> bytes:
    label_width, bar_height, gap, top = 300, 22, 8, 44
    height = top + 10 + len(labels) * (bar_height + gap)
    image = Image.new("RGB", (width * SCALE, max(height, 80) * SCALE), "white")
    draw = ImageDraw.Draw(image)
    font, heading = _font(13), _font(15)
    draw.text((10 * SCALE, 10 * SCALE), title, fill=TEXT, font=heading)
    biggest = max(values, default=0) or 1
    room = width - label_width - 70
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * (bar_height + gap)
        short = label if len(label) <= 40 else label[:39] + "…"
        draw.text(((label_width - 8) * SCALE, (y + 4) * SCALE), short, fill=TEXT, font=font, anchor="ra")
        length = max(1, round(room * value / biggest)) if value else 0
        if length:
            draw.rectangle(
                [label_width * SCALE, y * SCALE, (label_width + length) * SCALE, (y + bar_height) * SCALE],
                fill=PALETTE[0],
            )
        text = shown[index] if shown is not None else f"{value:,}"
        draw.text(((label_width + length + 6) * SCALE, (y + 4) * SCALE), text, fill=TEXT, font=font)
    return _png(_with_note(image, note))


def line_png(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    width: int = 720,
    note: str = "",
) -> bytes:
    left, right, top, plot_height = 60, 50, 44, 220
    height = top + plot_height + 40 + len(series) * 22
    image = Image.new("RGB", (width * SCALE, height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    font, heading = _font(13), _font(15)
    draw.text((10 * SCALE, 10 * SCALE), title, fill=TEXT, font=heading)
    peak = share_peak(series)
    plot_width = width - left - right
    step = plot_width / max(1, len(x_labels) - 1)
    for tick in range(6):
        y = top + plot_height - plot_height * tick / 5
        draw.line([left * SCALE, y * SCALE, (width - right) * SCALE, y * SCALE], fill=GRID, width=SCALE)
        draw.text(
            ((left - 6) * SCALE, (y - 7) * SCALE), f"{peak * tick / 5:.0%}", fill=TEXT, font=font, anchor="ra"
        )
    every = label_every(x_labels, plot_width)
    for index, label in enumerate(x_labels):
        if index % every == 0:
            x = left + index * step
            draw.text((x * SCALE, (top + plot_height + 8) * SCALE), label, fill=TEXT, font=font, anchor="ma")
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        for run in _runs(values):
            points = [
                ((left + index * step) * SCALE, (top + plot_height - plot_height * value / peak) * SCALE)
                for index, value in run
            ]
            if len(points) > 1:
                draw.line(points, fill=colour, width=3 * SCALE)
            for x, y in points:  # markers tell the lines apart where colour cannot
                draw.rectangle([x - 3 * SCALE, y - 3 * SCALE, x + 3 * SCALE, y + 3 * SCALE], fill=colour)
        y = top + plot_height + 40 + number * 22
        draw.line(
            [left * SCALE, (y - 5) * SCALE, (left + 30) * SCALE, (y - 5) * SCALE],
            fill=colour,
            width=3 * SCALE,
        )
        draw.text(((left + 38) * SCALE, (y - 12) * SCALE), name, fill=TEXT, font=font)
    return _png(_with_note(image, note))
