"""The PNG charts people download for slides and board papers carry the figures they were given."""

from __future__ import annotations

from heard.understanding.pictures import bar_png

THEMES = ["Waiting times", "Staff attitude", "Parking"]


def test_bar_picture_writes_the_figures_given_beside_the_bars() -> None:
    low = bar_png("Themes", THEMES, [30, 20, 10], shown=["30", "20", "10"])
    hidden = bar_png("Themes", THEMES, [30, 20, 10], shown=["30", "20", "fewer than 10"])
    assert low != hidden


def test_bar_picture_without_shown_figures_writes_the_counts() -> None:
    picture = bar_png("Themes", ["A", "B", "C"], [3, 2, 1])
    assert picture.startswith(b"\x89PNG")
