"""The recognisers for identifiers with a fixed shape. Every identifier here is invented: NHS numbers in the 999
test range, telephone numbers in Ofcom's ranges for drama, postcodes and names made up for the test."""

from __future__ import annotations

import pytest

from heard.privacy.redaction import find_identifiers, nhs_number_is_valid, redact


def kinds(text: str) -> list[tuple[str, str]]:
    return [(found.kind, found.value) for found in find_identifiers(text)]


# --- NHS numbers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["9990000018", "9990000026", "9434765919"])
def test_nhs_number_checksum_accepts_valid_numbers(digits):
    assert nhs_number_is_valid(digits)


@pytest.mark.parametrize("digits", ["9990000017", "9990000000", "999000001", "99900000188", "999000001X"])
def test_nhs_number_checksum_rejects_wrong_check_digit_remainder_ten_and_wrong_length(digits):
    # 999000000x can never be valid: its check digit would have to be 10.
    assert not nhs_number_is_valid(digits)


@pytest.mark.parametrize(
    "written",
    ["9990000018", "999 000 0018", "999-000-0018", "999 000 00 18", "99 90 00 00 18", "999.000.0018"],
)
def test_nhs_number_is_redacted_however_spaced(written):
    assert (
        redact(f"My NHS number is {written}, please check it.")
        == "My NHS number is [NHS_NUMBER], please check it."
    )


def test_ten_digit_number_failing_the_checksum_is_not_an_nhs_number():
    assert redact("Order reference 9990000017 was lost.") == "Order reference 9990000017 was lost."


# --- telephone numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "+44 7700 900123",
        "+447700900123",
        "0044 7700 900123",
        "+44 (0)7700 900123",
        "0113 496 0123",
        "(0113) 496 0123",
        "0113-496-0123",
        "0113.496.0123",
        "+44 113 496 0123",
        "020 7946 0123",
        "(020) 7946 0123",
        "0808 157 0123",
        "0800 123 456",
        "01632 960123",
    ],
)
def test_uk_phone_numbers_are_redacted_in_every_shape(written):
    assert redact(f"Ring me on {written} after six.") == "Ring me on [PHONE] after six."


def test_two_phone_numbers_side_by_side_are_both_found():
    assert redact("Call 07700 900456 or 0113 496 0789.") == "Call [PHONE] or [PHONE]."


@pytest.mark.parametrize(
    "text", ["I rang 111 and then 999.", "Waited 10:30 to 14:15 on ward 23.", "She took 20mg twice a day."]
)
def test_short_numbers_times_and_doses_are_not_phone_numbers(text):
    assert redact(text) == text


# --- e-mail ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["jo.bloggs@example.com", "Jo_Bloggs+nhs@example.co.uk", "o'hara.k@mail.example.org"]
)
def test_email_addresses_are_redacted_without_the_full_stop_after_them(address):
    assert redact(f"Write to {address}.") == "Write to [EMAIL]."


# --- postcodes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode",
    [
        "LS1 4AP",
        "ls1 4ap",
        "LS14AP",
        "M1 1AE",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "W1A 0AX",
        "EC1A 1BB",
        "GIR 0AA",
    ],
)
def test_postcodes_of_every_format_and_case_are_redacted(postcode):
    assert redact(f"I live in {postcode} now.") == "I live in [POSTCODE] now."


@pytest.mark.parametrize(
    "text", ["Junction on the M1 5th exit.", "Seen at w2 2pm.", "Vitamin B12 was low.", "QV1 1AA"]
)
def test_ordinals_times_and_impossible_letters_are_not_postcodes(text):
    assert "[POSTCODE]" not in redact(text)


# --- National Insurance numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["AB 12 34 56 C", "AB123456C", "ab 123456 c", "JG-10-20-30-D", "AB 12 34 56"]
)
def test_ni_numbers_are_redacted_spaced_or_not(written):
    assert redact(f"NI number {written} for the form.") == "NI number [NI_NUMBER] for the form."


@pytest.mark.parametrize("written", ["GB 12 34 56 A", "DA 12 34 56 A", "AO 12 34 56 A", "QQ 12 34 56 C"])
def test_ni_numbers_with_prefixes_hmrc_never_issues_are_left(written):
    assert "[NI_NUMBER]" not in redact(f"Code {written} here.")


# --- dates of birth --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "DOB 06/06/1947",
        "D.O.B. 6.6.47",
        "dob: 6-6-1947",
        "Date of birth is 6 June 1947",
        "date of birth 6th of June, 1947",
        "born on June 6th 1947",
        "born 1947-06-06",
        "Born in March 1947",
        "my birthday is 6 June",
    ],
)
def test_dates_of_birth_after_a_cue_are_redacted_in_every_written_form(text):
    redacted = redact(text)
    assert "[DATE_OF_BIRTH]" in redacted
    assert "1947" not in redacted and "June" not in redacted


def test_a_whole_date_long_ago_is_taken_for_a_date_of_birth_even_without_a_cue():
    assert redact("Mum (12/03/1938) was seen quickly.") == "Mum ([DATE_OF_BIRTH]) was seen quickly."


@pytest.mark.parametrize(
    "text",
    ["Seen on 12/03/2025 at 10:30.", "Appointment on Monday 3 March.", "It took six weeks and 3 hours."],
)
def test_recent_dates_weekdays_times_and_durations_survive(text):
    assert redact(text) == text


# --- addresses -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "14 Orchard Close",
        "7a Mill Lane",
        "221 Acacia Avenue",
        "3 Long Row",
        "12-14 Station Road",
        "9 St Mary's Mews",
        "40 Kings Parade",
        "15 mill lane",
        "Flat 3",
    ],
)
def test_street_addresses_are_redacted(address):
    assert redact(f"Send letters to {address}, please.") == "Send letters to [ADDRESS], please."


def test_flat_and_house_number_and_postcode_are_all_redacted():
    redacted = redact("Flat 2, 18 Orchard Grove, Leeds LS6 9ZZ")
    assert redacted == "[ADDRESS], [ADDRESS], Leeds [POSTCODE]"


def test_a_street_without_a_number_after_i_live_on_is_redacted():
    assert redact("I live on Orchard Grove near the park.") == "I live on [ADDRESS] near the park."


@pytest.mark.parametrize(
    "text",
    [
        "It is 10 minutes down the road.",
        "Parking was 3 streets away.",
        "We waited 2 hours in the car park.",
        "Ward 23 at Leeds General Infirmary was clean.",
    ],
)
def test_distances_and_durations_near_street_words_are_not_addresses(text):
    assert redact(text) == text


# --- what must survive -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Seen in A&E at Leeds General Infirmary, then ward 23 at St James's.",
        "They gave me 20mg of sertraline at 10:30 and again at 2pm.",
        "I rang 111 and waited 3 hours, six weeks after my operation.",
        "The Care Quality Commission should visit Harrogate District Hospital.",
        "Covid-19 meant my GP could only phone.",
    ],
)
def test_plain_words_around_identifiers_survive(text):
    assert redact(text) == text


def test_find_identifiers_reports_kind_and_position_for_each_identifier():
    text = "Email jo@example.com or ring 07700 900321."
    found = find_identifiers(text)
    assert [(item.kind, item.value) for item in found] == [
        ("EMAIL", "jo@example.com"),
        ("PHONE", "07700 900321"),
    ]
    assert all(text[item.start : item.end] == item.value for item in found)
