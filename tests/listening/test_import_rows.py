"""Reading files and checking rows: encodings, delimiters, column guesses, dates and plain messages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from heard.listening.importing.mapping import MappingChoice, columns_fit, columns_guess
from heard.listening.importing.reading import delimiter_sniff, text_decode
from heard.listening.importing.rows import RowChecker, date_parse

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("value", "date_format", "expected"),
    [
        ("31/03/2026", "DD/MM/YYYY", datetime(2026, 3, 31, tzinfo=LONDON)),
        ("31/03/2026 14:30", "DD/MM/YYYY HH:MM", datetime(2026, 3, 31, 14, 30, tzinfo=LONDON)),
        ("2026-03-31", "YYYY-MM-DD", datetime(2026, 3, 31, tzinfo=LONDON)),
        ("03/31/2026", "MM/DD/YYYY", datetime(2026, 3, 31, tzinfo=LONDON)),
        ("04/03/2026", "auto", datetime(2026, 3, 4, tzinfo=LONDON)),  # the UK reading: 4 March
        ("2026-03-31T09:00:00Z", "auto", datetime(2026, 3, 31, 9, tzinfo=ZoneInfo("UTC"))),
        ("31.03.26", "auto", datetime(2026, 3, 31, tzinfo=LONDON)),
    ],
)
def test_dates_are_read_as_the_file_writes_them(value, date_format, expected):
    assert date_parse(value, date_format, LONDON) == expected


@pytest.mark.parametrize(
    ("value", "date_format", "message"),
    [
        ("31/02/2026", "DD/MM/YYYY", "'31/02/2026' is not a real date"),
        ("13/13/2026", "auto", "'13/13/2026' is not a real date"),
        ("next week", "DD/MM/YYYY", "'next week' is not a date like 31/03/2026"),
        ("31/03/2026", "DD/MM/YYYY HH:MM", "'31/03/2026' has no time: write it like 31/03/2026 14:30"),
    ],
)
def test_a_wrong_date_gets_a_plain_message(value, date_format, message):
    assert date_parse(value, date_format, LONDON) == message


def test_obvious_column_names_are_guessed_and_a_date_of_birth_is_not_a_received_date():
    header = [
        "Response ID",
        "Date of birth",
        "Submitted",
        "Ward name",
        "FFT score",
        "Patient comment",
        "Extra",
    ]
    assert columns_guess(header) == {
        "external_id": "Response ID",
        "received_at": "Submitted",
        "service": "Ward name",
        "fft_answer": "FFT score",
        "text": "Patient comment",
    }


def test_a_saved_mapping_keeps_only_the_columns_this_file_has():
    saved = {"text": "Comment", "service": "Ward", "received_at": "Date"}
    assert columns_fit(saved, ["Comment", "Date", "Unit"]) == {"text": "Comment", "received_at": "Date"}


def test_encodings_and_delimiters_are_recognised():
    assert text_decode("\ufeffID,Comment".encode()) == "ID,Comment"
    assert text_decode("Caf\u00e9 \u2013 ok".encode("cp1252")) == "Caf\u00e9 \u2013 ok"
    assert text_decode("ID\tComment".encode("utf-16")) == "ID\tComment"
    assert delimiter_sniff('ID;"Comment, with comma";Date\n1;x;y') == ";"
    assert delimiter_sniff("ID\tComment\n") == "\t"
    assert delimiter_sniff("Comment\nfine\n") == ","


def test_a_row_with_several_problems_names_each_field():
    checker = RowChecker(
        header=["Date", "Rating", "Comment", "How"],
        choice=MappingChoice(
            columns={"received_at": "Date", "fft_answer": "Rating", "text": "Comment", "channel": "How"}
        ),
        projects=[],
    )
    incoming, problems = checker.check(9, ["01/01/2099", "Meh", "Hello", "Pigeon"])
    assert incoming is None
    assert [(problem.row, problem.field) for problem in problems] == [(9, "Rating"), (9, "Date"), (9, "How")]
    assert problems[1].message == "'01/01/2099' is in the future"
    good, none = checker.check(10, ["01/03/2026", "", "Fine", "phone"])
    assert none == [] and good is not None
    assert good.channel == "telephone" and good.fft_answer == ""
