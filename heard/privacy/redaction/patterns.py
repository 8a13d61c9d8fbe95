"""Identifiers with a fixed shape: e-mail addresses, postcodes, National Insurance numbers, dates of birth and
street addresses. Each finder yields spans; the engine decides between overlapping ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from heard.privacy.redaction.spans import Span

EMAIL = "EMAIL"
POSTCODE = "POSTCODE"
NI_NUMBER = "NI_NUMBER"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
ADDRESS = "ADDRESS"

# --- e-mail ---------------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def find_emails(text: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(text):
        yield Span(match.start(), match.end(), EMAIL)


# --- postcodes ------------------------------------------------------------------------------------------------

# Royal Mail's formats A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA, and GIR 0AA. The letters that
# never appear in each position are left out, which is what keeps ordinary words from looking like postcodes.
_POSTCODE = re.compile(
    r"(?<![\w])(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?) ?\d[ABD-HJLNP-UW-Z]{2})"
    r"(?![\w])",
    re.IGNORECASE,
)
# "m1 5th", "w2 2pm": the shape of a postcode in lower case, but an ordinal or a time.
_NOT_INWARD = {"st", "nd", "rd", "th", "am", "pm"}


def find_postcodes(text: str) -> Iterator[Span]:
    for match in _POSTCODE.finditer(text):
        value = match.group()
        if not value.isupper() and value[-2:].lower() in _NOT_INWARD:
            continue
        yield Span(match.start(), match.end(), POSTCODE)


# --- National Insurance numbers -------------------------------------------------------------------------------

# HMRC: the first letter is not D, F, I, Q, U or V; the second not D, F, I, O, Q, U or V; the suffix is A-D.
_NI_NUMBER = re.compile(
    r"(?<![\w])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ \-]?(\d{2})[ \-]?(\d{2})[ \-]?(\d{2})(?:[ \-]?([A-D]))?"
    r"(?![\w])",
    re.IGNORECASE,
)
_NI_NEVER_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def find_ni_numbers(text: str) -> Iterator[Span]:
    for match in _NI_NUMBER.finditer(text):
        prefix = match.group(1)
        if prefix.upper() in _NI_NEVER_ISSUED:
            continue
        # Without its suffix letter the shape is weaker: insist on capitals, as on a payslip.
        if match.group(5) is None and not prefix.isupper():
            continue
        yield Span(match.start(), match.end(), NI_NUMBER)


# --- dates of birth -------------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:(?:19|20)\d{2}|'\d{2})"
# Every way of writing a whole date: 06/06/1947, 6-6-47, 6.6.1947, 1947-06-06, 6 June 1947, 6th of June, 1947,
# June 6th 1947, 06-Jun-47.
_FULL_DATE = (
    r"(?:(?P<d1>\d{1,2})\s?(?P<s1>[/\-.])\s?(?P<m1>\d{1,2})\s?(?P=s1)\s?(?P<y1>\d{4}|\d{2})"
    r"|(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})"
    rf"|{_DAY}(?:\s+of)?[\s\-.,/]*{_MONTH}\.?,?[\s\-.,/]*(?P<y3>(?:19|20)\d{{2}}|'?\d{{2}})"
    rf"|{_MONTH}\.?\s+{_DAY},?\s+(?P<y4>(?:19|20)\d{{2}}|'\d{{2}})"
    r")"
)
_PARTIAL_DATE = (
    rf"(?:{_DAY}(?:\s+of)?\s+{_MONTH}|{_MONTH}\s+{_DAY}|{_MONTH},?\s+{_YEAR}|(?:19|20)\d{{2}}"
    r"|\d{1,2}[/\-.]\d{1,2}(?![/\-.\d]))"
)
_FULL_DATE_RE = re.compile(rf"(?<![\w/\-.]){_FULL_DATE}(?![\w/]|[.\-]\d)", re.IGNORECASE)
# Every whole date has a year of two or four digits: texts without one are passed over quickly.
_YEAR_HINT = re.compile(r"\d\d(?!\d)")
_BIRTH_HINT = re.compile(r"born|birth|d\.?\s?o\.?\s?b", re.IGNORECASE)
# After a cue ("born", "DOB", "date of birth") a partial date is a birth date too.
_BIRTH_CUE = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s?date|birthday|born)", re.IGNORECASE
)
_AFTER_CUE = re.compile(
    r"(?:\s|[:\-\u2013,=(]|\b(?:is|was|on|the|in|of|me|my|his|her|their|as|at|be|being)\b)*"
    rf"(?P<date>{_FULL_DATE}|{_PARTIAL_DATE})(?![\w/])",
    re.IGNORECASE,
)
# A whole date this many years back or more is taken for a date of birth even without a cue (docs/adr/0011).
BIRTH_DATE_MINIMUM_AGE_YEARS = 10


def _full_year(match: re.Match[str]) -> int | None:
    for group in ("y1", "y2", "y3", "y4"):
        value = match.group(group)
        if value:
            digits = value.lstrip("'")
            if len(digits) == 4:
                return int(digits)
            two = int(digits)
            this_year = date.today().year % 100  # noqa: DTZ011 - only the century matters
            return 2000 + two if two <= this_year else 1900 + two
    return None


def _numeric_date_is_plausible(match: re.Match[str]) -> bool:
    if match.group("d1") is None:
        return True
    first, second = int(match.group("d1")), int(match.group("m1"))
    # Day first as in the UK; a month-first date still has one part of 12 or less.
    return 1 <= first <= 31 and 1 <= second <= 31 and min(first, second) <= 12


def find_dates_of_birth(text: str) -> Iterator[Span]:
    found: list[tuple[int, int]] = []
    if _BIRTH_HINT.search(text):
        for cue in _BIRTH_CUE.finditer(text):
            match = _AFTER_CUE.match(text, cue.end())
            if match and match.group("date"):
                found.append((match.start("date"), match.end("date")))
    if not _YEAR_HINT.search(text):
        yield from (Span(start, end, DATE_OF_BIRTH) for start, end in found)
        return
    cutoff = date.today().year - BIRTH_DATE_MINIMUM_AGE_YEARS  # noqa: DTZ011 - a year is enough
    for match in _FULL_DATE_RE.finditer(text):
        year = _full_year(match)
        if year is not None and year <= cutoff and _numeric_date_is_plausible(match):
            found.append((match.start(), match.end()))
    for start, end in found:
        yield Span(start, end, DATE_OF_BIRTH)


# --- street addresses -----------------------------------------------------------------------------------------

# Suffixes of British street names; the ones that are also everyday words are left to the capitalised form.
_STREET_SUFFIXES = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Way|Crescent|Cres|Grove|Terrace|Terr|Place|Pl|Court|Ct"
    "|Gardens|Gdns|Walk|Rise|Row|Mews|Square|Sq|Hill|Green|Parade|View|Vale|Park|Fold|Croft|Mount|Bank|Gate"
    "|Garth|Chase|Approach|Boulevard|Broadway|Crest|Dale|Fields|Grange|Heights|Lea|Meadow|Meadows|Side|Wharf"
    "|Yard|Wynd|Brow|Parkway|Promenade|Quay|Embankment|Esplanade|Hollow|Villas|Cottages|Buildings|Avenue"
    "|Circus|Glade|Glen|Holme|Ridge|Turn|Wood|Woods|End|Moor|Common|Field|Court|Passage|Precinct|Link|Spur"
)
_LOWER_STREET_SUFFIXES = (
    "road|rd|street|lane|avenue|ave|drive|crescent|terrace|gardens|mews|grove|close|parade|mount|croft|fold"
)
_HOUSE_NUMBER = r"\d{1,4}[A-Za-z]?(?:\s?[-\u2013/]\s?\d{1,4}[A-Za-z]?)?"
_CAP_WORD = r"(?:[A-Z][A-Za-z'\u2019]*(?:-[A-Z][A-Za-z'\u2019]*)?|St\.?)"
_CAP_STREET = rf"(?:{_CAP_WORD}\s+){{1,4}}(?:{_STREET_SUFFIXES})\b\.?"
_FLAT = r"(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt\.?|[Uu]nit)\s+\d{1,4}[A-Za-z]?\b"
# Starting with the digit lets the regular expression engine skip quickly to digits; what comes before the
# number ("£12 ...", "3/4 ...", "ward12 ...") is checked afterwards.
# The words after the number are matched loosely and the street suffix looked up in a set afterwards, which is
# several times quicker than an alternation of ninety suffixes tried after every word.
_NUMBERED_ADDRESS = re.compile(
    rf"{_HOUSE_NUMBER},?[ \t]+(?P<words>[A-Za-z][\w'\u2019.-]*(?:[ \t]+[A-Za-z][\w'\u2019.-]*){{1,4}})"
)
_SUFFIXES = frozenset(_STREET_SUFFIXES.split("|"))
_LOWER_SUFFIXES = frozenset(_LOWER_STREET_SUFFIXES.split("|"))
_NOT_BEFORE_HOUSE_NUMBER = frozenset("/.:£$_")
_FLAT_RE = re.compile(_FLAT)
_FLAT_HINT = re.compile(r"flat|apartment|apt|unit", re.IGNORECASE)
_HOUSE_NAME = re.compile(rf"\b{_CAP_WORD}\s+(?:Cottage|House|Farm|Lodge|Barn|Bungalow),\s+{_CAP_STREET}")
_HOUSE_NAME_HINT = re.compile(r"Cottage|House|Farm|Lodge|Barn|Bungalow")
# A street without a house number is still an address after a cue like "I live on".
_ADDRESS_CUE_HINT = re.compile(r"live|living|move|address|send", re.IGNORECASE)
_ADDRESS_CUE = re.compile(
    r"\b(?i:live[sd]?|living|moved|move|address(?:\s+is)?|send\s+(?:it|them|this|letters?|post)\s+to)"
    rf"(?i:\s+(?:on|at|in|to|is))?:?\s+(?P<street>{_CAP_STREET})"
)
# Words that cannot sit between a number and a lower-case street suffix ("10 minutes down the road").
_NOT_STREET_WORDS = frozenset(
    "the a an of to in on at by for from up down along across round around past into onto over with and or "
    "my our your his her their this that these those other same next last first busy main old new back end "
    "minute minutes min mins hour hours hrs day days week weeks month months year years mile miles yard yards "
    "metre metres meter meters time times people patients cars car buses bus stops stop houses doors".split()
)


def _street_end(words: str) -> int | None:
    """Where a street name that starts ``words`` ends ("Orchard Close", "mill lane"), or None."""
    position = 0
    end = None
    capitalised: bool | None = None
    for count, word in enumerate(words.split()):
        position = words.index(word, position) + len(word)
        bare = word.rstrip(".")
        if capitalised is None:
            capitalised = bare[:1].isupper()
        if capitalised:
            if not (bare[:1].isupper() or bare == "St"):
                break
            if count >= 1 and bare in _SUFFIXES:
                end = position - (len(word) - len(bare))
        else:
            if not bare.islower() or bare in _NOT_STREET_WORDS:
                break
            if count >= 1 and bare in _LOWER_SUFFIXES:
                end = position - (len(word) - len(bare))
                break
            if count >= 3:
                break
    return end


def find_addresses(text: str) -> Iterator[Span]:
    for match in _NUMBERED_ADDRESS.finditer(text):
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in _NOT_BEFORE_HOUSE_NUMBER):
            continue
        end = _street_end(match.group("words"))
        if end is not None:
            yield Span(start, match.start("words") + end, ADDRESS)
    if _FLAT_HINT.search(text):
        for match in _FLAT_RE.finditer(text):
            yield Span(match.start(), match.end(), ADDRESS)
    if _HOUSE_NAME_HINT.search(text):
        for match in _HOUSE_NAME.finditer(text):
            yield Span(match.start(), match.end(), ADDRESS)
    if _ADDRESS_CUE_HINT.search(text):
        for match in _ADDRESS_CUE.finditer(text):
            yield Span(match.start("street"), match.end("street"), ADDRESS)
