"""A cell someone typed must never run as a formula when the export is opened in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from heard.core.spreadsheets import csv_text, safe_cell


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example","Click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        '\uff1dHYPERLINK("x")',  # full-width equals sign
        "\uff0bcmd",  # full-width plus
        "\uff0d1",  # full-width minus
        "\uff20SUM(A1)",  # full-width at sign
    ],
    ids=[
        "equals",
        "plus",
        "minus",
        "at",
        "tab",
        "carriage-return",
        "newline",
        "fw-equals",
        "fw-plus",
        "fw-minus",
        "fw-at",
    ],
)
def test_a_cell_that_would_start_a_formula_is_opened_as_text(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Same-day urgent care", "Same-day urgent care"),
        ("A&E = long waits", "A&E = long waits"),  # a formula character later in the text is harmless
        ("", ""),
        (None, ""),
        (42, "42"),
        (3.5, "3.5"),
        ("2026-03-31T09:00:00+01:00", "2026-03-31T09:00:00+01:00"),
    ],
)
def test_ordinary_text_and_numbers_pass_through_unchanged(value, shown):
    assert safe_cell(value) == shown


def test_negative_numbers_are_kept_readable_but_cannot_run():
    assert safe_cell(-5) == "'-5"


def test_csv_text_protects_every_cell_including_the_header():
    text = csv_text(["=title", "stage"], [['=HYPERLINK("x")', "design"], ["Plain", "+monitor"]])

    rows = list(csv.reader(io.StringIO(text)))

    assert rows == [["'=title", "stage"], ['\'=HYPERLINK("x")', "design"], ["Plain", "'+monitor"]]
