"""Person names: titles, cues, the name lists, lower case, and the words that only look like names.
All the people here are invented."""

from __future__ import annotations

import pytest

from heard.privacy.redaction import find_identifiers, redact


def names_in(text: str) -> list[str]:
    return [found.value for found in find_identifiers(text) if found.kind == "NAME"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr Okonkwo explained everything.", "Dr [NAME] explained everything."),
        ("Mrs Featherstonehaugh was kind.", "Mrs [NAME] was kind."),
        ("Nurse Adeyemi stayed late.", "Nurse [NAME] stayed late."),
        ("Sister Kowalczyk ran the ward well.", "Sister [NAME] ran the ward well."),
        ("Prof. Lindqvist saw me.", "Prof. [NAME] saw me."),
        ("Dr J. Whitcombe rang back.", "Dr [NAME] rang back."),
        ("I saw Mr Young, who listened.", "I saw Mr [NAME], who listened."),
    ],
)
def test_surnames_after_titles_are_redacted_even_when_they_are_everyday_words(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("My name is Tamsin Oduya.", "My name is [NAME]."),
        ("my name is zephyrine", "my name is [NAME]"),
        ("Please ask for Bartholomew on reception.", "Please ask for [NAME] on reception."),
        ("Special thanks to Priya and Lachlan.", "Special thanks to [NAME] and [NAME]."),
        ("My husband Declan Fairweather was there.", "My husband [NAME] was there."),
        ("I am writing for my mum, Gwendolyn Ashby.", "I am writing for my mum, [NAME]."),
        ("Signed, Ravinder Sandhu", "Signed, [NAME]"),
        ("Our son called Hamish was scared.", "Our son called [NAME] was scared."),
    ],
)
def test_names_after_cue_words_are_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("thanks to olivia and siobhan on the night shift", "thanks to [NAME] and [NAME] on the night shift"),
        ("my husband declan fairweather was there", "my husband [NAME] was there"),
        ("nurse adeyemi was lovely", "nurse [NAME] was lovely"),
        ("dr patel explained it all", "dr [NAME] explained it all"),
        ("siobhan on reception was brilliant", "[NAME] on reception was brilliant"),
        ("my mum, sue clarke, was looked after", "my mum, [NAME], was looked after"),
    ],
)
def test_lower_case_names_are_caught(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Bronwen on the front desk was patient with me.", "[NAME] on the front desk was patient with me."),
        ("The physio, Kieran, got me walking.", "The physio, [NAME], got me walking."),
        ("Everyone was kind, especially Aoife Brennan.", "Everyone was kind, especially [NAME]."),
        ("Grace Whitfield explained my results.", "[NAME] explained my results."),
    ],
)
def test_names_without_title_or_cue_are_found_from_the_name_lists(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I will hope for the best, and may the staff mark my words.",
        "The rose garden gave me hope; it was a grace to sit there.",
        "Will the ward be open? May I visit?",
        "My sister will visit on Monday.",
        "I was seen at St James's and then Leeds General Infirmary.",
        "The James Cook University Hospital team were great.",
        "The TIA clinic at the GP surgery in Wakefield was quick.",
        "The nurse was lovely and the doctor listened.",
        "Thank you so much to all the staff in A&E.",
    ],
)
def test_everyday_words_places_and_hospitals_are_not_names(text):
    assert redact(text) == text


def test_possessive_keeps_its_apostrophe_s():
    assert redact("It was Bronwen's idea.") == "It was [NAME]'s idea."


def test_a_first_name_with_surname_is_one_placeholder():
    assert names_in("Signed, Ravinder Sandhu") == ["Ravinder Sandhu"]
