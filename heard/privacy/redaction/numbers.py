"""Identifiers made of digits: NHS numbers and UK telephone numbers, found together in one pass.

A run of digits broken by spaces, hyphens, dots or brackets is read once and then split into the identifiers it
holds, because people write two numbers side by side ("07700 900123 or 0113 496 0123") and the same digits can
be either (a ten-digit number is an NHS number when its check digit is right, and a telephone number when it
starts with 0 and has the shape of one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from heard.privacy.redaction.spans import Span

NHS_NUMBER = "NHS_NUMBER"
PHONE = "PHONE"

# A run: an optional +, then digits separated by at most two of space, hyphen, dot, slash-free punctuation and
# brackets. It must not touch letters or further digits on either side ("ward 23" and "20mg" never start one).
_RUN = re.compile(r"(?<![\w+/:])(?:\+|\(\s?\+?)?\d(?:[ \-.()\u00a0\u2013]{0,3}\d)+\)?(?![\w/:])")
_GROUP = re.compile(r"\d+")

_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def nhs_number_is_valid(digits: str) -> bool:
    """True when ten digits carry a correct NHS check digit (modulus 11; a remainder giving 10 is invalid)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits, _NHS_WEIGHTS, strict=False))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def uk_phone_national(digits: str) -> str | None:
    """The national form (0 and 9 or 10 digits) of a UK number written with any prefix, or None."""
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) in (11, 12, 13):
        digits = "0" + digits[2:]
    # "+44 (0)113 ..." leaves a doubled zero.
    if digits.startswith("00") and len(digits) in (11, 12):
        digits = digits[1:]
    if not digits.startswith("0") or len(digits) not in (10, 11):
        return None
    second = digits[1]
    if second in "1235789" and len(digits) == 11:
        return digits
    # Ten-digit forms: some small-exchange landlines (01xxx xxxx), 0800 and 0500 freephone, 08xx numbers.
    if len(digits) == 10 and (digits.startswith(("01", "0800", "0500", "08"))):
        return digits
    return None


def _classify(digits: str, has_plus: bool) -> str | None:
    if has_plus:
        return PHONE if uk_phone_national(digits) else None
    if digits.startswith("0") and uk_phone_national(digits):
        return PHONE
    if len(digits) == 10 and nhs_number_is_valid(digits):
        return NHS_NUMBER
    if digits.startswith(("44", "0044")) and uk_phone_national(digits):
        return PHONE
    return None


def find_numbers(text: str) -> Iterator[Span]:
    """NHS numbers and UK telephone numbers in ``text``."""
    for run in _RUN.finditer(text):
        raw = run.group()
        digit_count = sum(ch.isdigit() for ch in raw)
        if digit_count < 9:
            continue
        base = run.start()
        groups = [(m.start(), m.end()) for m in _GROUP.finditer(raw)]
        index = 0
        while index < len(groups):
            found = None
            # The longest sequence of consecutive groups, starting here, that is an identifier.
            digits = ""
            for stop in range(index, len(groups)):
                digits += raw[groups[stop][0] : groups[stop][1]]
                if len(digits) > 15:
                    break
                start = groups[index][0]
                has_plus = index == 0 and raw.lstrip("( ").startswith("+")
                kind = _classify(digits, has_plus)
                if kind is not None:
                    found = (stop, kind)
            if found is None:
                index += 1
                continue
            stop, kind = found
            start = groups[index][0]
            if index == 0:
                start = 0  # keep the leading + or bracket with the number
            end = groups[stop][1]
            if raw[end:].startswith(")") and raw[start:end].count("(") > raw[start:end].count(")"):
                end += 1
            yield Span(base + start, base + end, kind)
            index = stop + 1
