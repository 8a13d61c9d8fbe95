"""Person names, found without a trained model: gazetteers, capital letters, titles and cue words.

A word is taken for a name on the strength of what is around it, from strongest to weakest:

1. a title before it ("Dr Patel", "nurse begum", "Sister Khan");
2. a cue before it ("my name is", "called", "ask for", "thanks to", "my husband", "my mum, ...");
3. being in the name lists and rare as an English word ("Siobhan", "kowalski"), or capitalised in the middle
   of a sentence and in the name lists ("Grace" but not "grace"), or next to another name ("Oluwaseun Campbell");

and it is not taken when it is part of a place or an organisation ("St James's", "Leeds General Infirmary",
"James Cook University Hospital") or a word of the NHS ("Ward", "Sister" as a job). How common a word is in
English decides between "will" the verb and "Will" the man: see ``lexicon``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate

from heard.privacy.redaction.lexicon import Lexicon, lexicon
from heard.privacy.redaction.spans import Span

NAME = "NAME"

# Counts per ~100 million subtitle words (pyspellchecker's English list). A lower-case word this common is an
# everyday word ("grace", "mark", "hope"); a capitalised one this common needs more than a capital letter.
EVERYDAY_LOWER = 10_000
EVERYDAY_CAPITALISED = 30_000
# Rare enough that a capitalised word at the start of a sentence, or after a cue, is more likely a name.
RARE_WORD = 1_500
# Words like "will", "young", "white": after "nurse" or "sister" they are not taken for surnames.
VERY_COMMON = 100_000
# Not an English word at all (below the list's floor): a lower-case word in the name lists is a name.
UNKNOWN_WORD = 100

# A word: letters, with ' and - inside ("O'Hara", "Smith-Jones", "didn't"). Split on it, words included.
_WORD = re.compile(r"([^\W\d_]+(?:['\u2019\-][^\W\d_]+)*)")
_SHOUTED_WORD = re.compile(r"(?<![^\W\d_])[A-Z][A-Z]+(?![^\W\d_])")
_CAPITALISED_WORD = re.compile(r"(?<![^\W\d_'\u2019-])[A-Z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n\r;:\"()\[\]*\u2022])[\W\d_]*[A-Z]")
_SENTENCE_BREAK = re.compile(r"[.!?\n\r;:\"()\[\]*\u2022]")
_POSSESSIVE_ENDINGS = frozenset({"'s", "'S", "\u2019s", "\u2019S"})

TITLES = frozenset(
    "dr doctor mr mrs ms miss mx nurse sister prof professor matron sr dame sir rev reverend".split()
)
# Titles that are also ordinary words when lower case: after these, a lower-case word must be a listed name.
_TITLES_THAT_ARE_WORDS = frozenset("doctor nurse sister matron miss".split())

_FAMILY = (
    "husband wife partner son daughter mum mummy mom mother dad daddy father brother sister grandson "
    "granddaughter grandma grandmother grandad granddad grandpa grandfather nan nana nanna gran granny aunt "
    "auntie aunty uncle nephew niece cousin fiance fiancee stepson stepdaughter stepmum stepmother stepdad "
    "stepfather boyfriend girlfriend friend neighbour carer baby child boy girl twin twins".split()
)
# Token sequences after which the next words are a name. Strong cues accept a lower-case listed name; weak ones
# want a capital letter, because "thank you so much" and "I am happy" follow them as often as names do.
_STRONG_CUES: tuple[tuple[str, ...], ...] = (
    ("my", "name", "is"),
    ("name", "is"),
    ("names", "are"),
    ("name's",),
    ("called",),
    ("named",),
    ("call", "me"),
    ("ask", "for"),
    ("asked", "for"),
    ("thanks", "to"),
    ("thank", "you", "to"),
    ("thankyou", "to"),
    ("thanks", "go", "to"),
    ("signed",),
    ("regards",),
    ("sincerely",),
    *((word,) for word in _FAMILY),
)
_WEAK_CUES: tuple[tuple[str, ...], ...] = (
    ("thank", "you"),
    ("thanks",),
    ("thankyou",),
    ("spoke", "to"),
    ("speak", "to"),
    ("spoke", "with"),
    ("speak", "with"),
    ("spoken", "to"),
    ("seen", "by"),
    ("saw",),
    ("see",),
    ("met",),
    ("i", "am"),
    ("i'm",),
    ("this", "is"),
    ("from",),
    ("by",),
    ("with",),
    ("and",),
    ("especially",),
    ("including",),
)

# The cues that say a name comes next, rather than a person who has one.
_NAMING_CUES = frozenset(
    {
        ("my", "name", "is"),
        ("name", "is"),
        ("names", "are"),
        ("name's",),
        ("called",),
        ("named",),
        ("call", "me"),
    }
    | {("signed",), ("regards",), ("sincerely",), ("ask", "for"), ("asked", "for")}
)


def _index_cues() -> dict[str, list[tuple[tuple[str, ...], bool]]]:
    # Looked up by their first word; longer and strong cues first, so "thank you to" wins over "thank you".
    index: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for cues, strong in ((_STRONG_CUES, True), (_WEAK_CUES, False)):
        for cue in cues:
            index.setdefault(cue[0], []).append((cue, strong))
    for entries in index.values():
        entries.sort(key=lambda entry: (-len(entry[0]), not entry[1]))
    return index


_CUES_BY_FIRST_WORD = _index_cues()

# Words that are never names here, whatever the lists say: the language of the NHS, days, months, and the small
# words of English.
_NOT_NAMES = frozenset(
    """
    ward wards bay bays bed unit team teams staff nurse nurses doctor doctors hospital hospitals clinic clinics
    surgery surgeries department dept reception receptionist receptionists service services care centre center
    practice trust nhs gp gps ambulance paramedic paramedics pharmacy pharmacist physio physiotherapist theatre
    consultant consultants manager matron sister sisters porter porters midwife midwives health mental general
    royal infirmary university college school road street lane avenue council commission covid coronavirus
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december christmas easter god jesus christ lord english british welsh scottish
    irish muslim christian jewish hindu sikh asian african polish indian chinese caribbean
    mum dad mother father husband wife son daughter brother baby family friend friends
    a an the and or but if of to in on at by for from up with as is was were be been am are it its this that
    these those there here he she they we you i me my mine our your his her their them us him who whom which what
    when where why how all any each every some no not only very just so too also much many more most other
    such own same than then once again still even ever never always really quite well good great nice kind
    lovely excellent brilliant fantastic amazing wonderful thanks thank please yes ok okay dear hi hello
    """.split()
) | frozenset(_FAMILY)
# Places a capitalised word names rather than a person (towns and cities across the UK, the nations, regions).
_PLACES = frozenset(
    """
    leeds bradford wakefield harrogate huddersfield halifax york sheffield rotherham doncaster barnsley hull
    scarborough whitby ripon selby pontefract castleford dewsbury batley keighley ilkley otley skipton wetherby
    pudsey morley garforth rothwell horsforth guiseley yeadon shipley bingley darlington middlesbrough durham
    sunderland newcastle gateshead carlisle lancaster preston blackpool blackburn burnley bolton wigan bury
    rochdale oldham stockport manchester salford liverpool chester crewe warrington stoke derby nottingham
    leicester lincoln grimsby scunthorpe boston northampton coventry birmingham wolverhampton walsall dudley
    worcester hereford gloucester cheltenham bristol bath exeter plymouth truro taunton swindon oxford reading
    cambridge norwich ipswich colchester chelmsford southend luton bedford watford london croydon brighton
    portsmouth southampton bournemouth salisbury winchester guildford maidstone canterbury dover folkestone
    hastings eastbourne crawley slough milton keynes peterborough kendal penrith barrow cardiff swansea newport
    wrexham bangor glasgow edinburgh aberdeen dundee inverness stirling perth belfast derry lisburn newry
    england scotland wales ireland britain uk europe yorkshire lancashire cumbria durham northumberland
    cheshire derbyshire nottinghamshire lincolnshire humber teesside tyneside merseyside midlands kent essex
    surrey sussex devon cornwall dorset somerset wiltshire hampshire norfolk suffolk
    mansfield chesterfield worksop retford newark grantham skegness louth spalding stamford loughborough
    hinckley kettering corby wellingborough daventry rugby nuneaton tamworth lichfield stafford shrewsbury
    telford kidderminster redditch bromsgrove solihull stockton hartlepool redcar consett hexham morpeth blyth
    ashington cramlington jarrow seaham peterlee spennymoor aycliffe auckland shields northallerton thirsk
    malton pickering bridlington beverley goole driffield knaresborough tadcaster todmorden brighouse
    holmfirth mirfield ossett normanton hemsworth featherstone knottingley goole scunthorpe cleethorpes
    trent tyne tees aire wharfe humber severn thames mersey
    """.split()
)
# A capitalised word followed by one of these belongs to the name of a place or an organisation.
_INSTITUTION_WORDS = frozenset(
    """
    hospital hospitals infirmary general royal centre center clinic surgery practice unit ward trust hospice
    medical health healthcare university college school academy station park team service services council
    commission foundation group ltd limited pharmacy building road street lane avenue memorial institute
    church chapel mosque temple library stadium airport
    """.split()
)
# Nouns that make the word before them the name of a place, whatever its case.
_PLACE_NOUNS = frozenset(
    "ward wards road street lane avenue lodge hospital infirmary centre surgery unit".split()
)
_SAINTS = frozenset({"st", "saint", "st."})
_PLACE_PREPOSITIONS = frozenset("in at near from to into towards via around outside inside".split())


@dataclass(slots=True)
class _Token:
    start: int
    end: int  # without a possessive 's
    raw: str
    lower: str
    capitalised: bool
    sentence_start: bool
    gap: str  # the text between the previous token and this one


class _Tokens:
    """The words of a text, each built into a ``_Token`` only when a rule looks at it.

    Most words of a comment are passed over after one set lookup of their lower-case form, so the cost of a
    comment is mostly one ``re.split``; building every token up front cost twice the whole engine.
    """

    __slots__ = ("_built", "_parts", "_positions", "lowers", "words")

    def __init__(self, text: str) -> None:
        # [gap, word, gap, word, ..., gap]: the gap before word i is parts[2i], the word parts[2i + 1].
        self._parts = _WORD.split(text)
        self._positions = list(accumulate(map(len, self._parts)))
        self.words: list[str] = self._parts[1::2]
        lowers = [word.lower() for word in self.words]
        if "'" in text or "\u2019" in text:
            for index, lower in enumerate(lowers):
                if "'" in lower or "\u2019" in lower:
                    lower = lower.replace("\u2019", "'")
                    lowers[index] = lower[:-2] if lower.endswith("'s") and len(lower) > 2 else lower
        self.lowers = lowers
        self._built: list[_Token | None] = [None] * len(self.words)

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, index: int) -> _Token:
        token = self._built[index]
        if token is None:
            raw = self.words[index]
            start = self._positions[2 * index]
            end = self._positions[2 * index + 1]
            if raw[-2:] in _POSSESSIVE_ENDINGS and len(raw) > 2:
                raw = raw[:-2]
                end -= 2
            gap = self._parts[2 * index]
            if index == 0:
                sentence_start = True
            elif gap == " ":
                sentence_start = False
            else:
                sentence_start = _SENTENCE_BREAK.search(gap) is not None
            token = _Token(start, end, raw, self.lowers[index], raw[0].isupper(), sentence_start, gap)
            self._built[index] = token
        return token


def _case_is_informative(text: str, word_count: int) -> bool:
    """False for text typed all in capitals or all in lower case (only sentence starts capitalised)."""
    if not word_count:
        return False
    if len(_SHOUTED_WORD.findall(text)) * 2 > word_count:
        return False
    return len(_CAPITALISED_WORD.findall(text)) > len(_SENTENCE_START.findall(text))


class NameFinder:
    """Finds person names; built once (the lists are large) and used for every comment."""

    def __init__(self, words: Lexicon) -> None:
        self.first_names = words.first_names
        self.surnames = words.surnames
        self.counts = words.word_counts
        # The words at which something can start: anything else is passed over at the cost of one lookup.
        self.starters = self.first_names | self.surnames | TITLES | frozenset(_CUES_BY_FIRST_WORD)

    # --- what a single word looks like --------------------------------------------------------------------

    def _listed(self, lower: str) -> bool:
        if lower in self.first_names or lower in self.surnames:
            return True
        if "-" in lower:  # double-barrelled: "Smith-Jones", "Jean-Paul"
            parts = lower.split("-")
            return all(part in self.first_names or part in self.surnames for part in parts)
        return False

    def _count(self, lower: str) -> int:
        return self.counts.get(lower, 0)

    def _never(self, token: _Token) -> bool:
        return token.lower in _NOT_NAMES or token.lower in _PLACES or len(token.lower) < 2

    def _name_after_cue(
        self, token: _Token, *, strong: bool, case_informative: bool, naming: bool = False
    ) -> bool:
        if self._never(token):
            return False
        if case_informative and token.capitalised:
            # A weak cue ("with", "from") is followed by shops and medicines as often as by people.
            count = self._count(token.lower)
            if self._listed(token.lower):
                return count < (VERY_COMMON if strong else EVERYDAY_CAPITALISED)
            return strong and count < RARE_WORD
        if not strong and case_informative:
            return False
        if self._listed(token.lower):
            # After "my husband" or "thanks to", even "sue" and "grace" are people.
            return self._count(token.lower) < (EVERYDAY_CAPITALISED if strong else EVERYDAY_LOWER)
        # A word that is in no list and no dictionary, after "my name is" or "signed": a name the lists lack.
        # After "my husband" too when the writer uses no capitals at all; where they do, a lower-case word there
        # is a misspelling ("comin") rather than a name.
        unknown = len(token.lower) >= 3 and self._count(token.lower) < UNKNOWN_WORD
        return unknown and (naming or (strong and not case_informative))

    def _name_after_title(self, token: _Token, title: _Token, *, case_informative: bool) -> bool:
        if token.lower in _NOT_NAMES and not token.capitalised:
            return False
        if token.lower in {"a", "an", "the", "and", "or", "was", "is", "who", "said", "on", "at", "in", "to"}:
            return False
        if len(token.raw) < 2:
            return False
        if case_informative and token.capitalised:
            # "Dr Young" yes; "a dr. However, ..." no: a capitalised everyday word may start a sentence.
            return self._listed(token.lower) or self._count(token.lower) < EVERYDAY_CAPITALISED
        if token.lower in _NOT_NAMES:
            return False
        count = self._count(token.lower)
        if title.lower in _TITLES_THAT_ARE_WORDS:
            # "nurse brown" is a person, "sister will" is not: only the commonest words are ruled out.
            return self._listed(token.lower) and count < VERY_COMMON
        return (self._listed(token.lower) and count < VERY_COMMON * 10) or (
            len(token.lower) >= 3 and count < UNKNOWN_WORD
        )

    def _surname_after_name(self, token: _Token, *, case_informative: bool) -> bool:
        if token.lower in _NOT_NAMES or len(token.lower) < 2 or token.sentence_start:
            return False
        # Right after a first name, "Preston" and "Lincoln" are surnames; "Auckland" (in no list) is a place.
        if token.lower in _PLACES and token.lower not in self.surnames:
            return False
        if case_informative and token.capitalised:
            return self._listed(token.lower) or self._count(token.lower) < RARE_WORD
        if case_informative and not token.capitalised:
            return False
        # Right after a first name, "hall" and "brown" are surnames, and so is a word in no dictionary.
        count = self._count(token.lower)
        return (self._listed(token.lower) and count < VERY_COMMON) or (
            len(token.lower) >= 3 and count < UNKNOWN_WORD
        )

    def _name_on_its_own(self, token: _Token, *, case_informative: bool) -> bool:
        if self._never(token) or not self._listed(token.lower):
            return False
        count = self._count(token.lower)
        if case_informative and token.capitalised:
            if token.sentence_start:
                return count < RARE_WORD
            return count < EVERYDAY_CAPITALISED
        return count < UNKNOWN_WORD and len(token.lower) >= 3

    def _first_and_surname(self, first: _Token, second: _Token) -> bool:
        if second.gap != " " or first.capitalised != second.capitalised:
            return False
        if first.lower not in self.first_names or self._never(first) or self._never(second):
            return False
        if self._count(first.lower) >= EVERYDAY_CAPITALISED:
            return False
        second_count = self._count(second.lower)
        if second.lower in self.surnames:
            return second_count < RARE_WORD
        # "Grace Whitfield": a capitalised word in no dictionary after a first name.
        return second.capitalised and len(second.lower) >= 3 and second_count < UNKNOWN_WORD

    # --- the text --------------------------------------------------------------------------------------------

    def find(self, text: str) -> Iterator[Span]:
        tokens = _Tokens(text)
        if not len(tokens):
            return
        starters = self.starters
        lowers = tokens.lowers
        if not any(lower in starters for lower in lowers) and "-" not in text:
            return
        case_informative = _case_is_informative(text, len(tokens))
        is_name = [False] * len(tokens)
        protection: dict[int, bool] = {}

        def protected(index: int) -> bool:
            known = protection.get(index)
            if known is None:
                known = protection[index] = self._protected(tokens, index, case_informative)
            return known

        def joined(index: int) -> bool:
            # Words of one name sit together: only spaces (or a hyphen) between them.
            gap = tokens[index].gap
            return gap.strip() == "" and "\n" not in gap

        def take_run(index: int, first_ok: bool) -> int:
            """Mark tokens[index] (already judged) and the surnames after it; the index after the run."""
            if not first_ok or protected(index):
                return index
            is_name[index] = True
            index += 1
            taken = 1
            while index < len(tokens) and taken < 4 and joined(index) and not protected(index):
                if not self._surname_after_name(tokens[index], case_informative=case_informative):
                    break
                is_name[index] = True
                index += 1
                taken += 1
            return index

        index = 0
        while index < len(tokens):
            lower = lowers[index]
            if lower not in starters and "-" not in lower:
                index += 1
                continue
            token = tokens[index]
            # 1. titles
            if token.lower in TITLES and index + 1 < len(tokens):
                title = token
                after = index + 1
                # "Dr. J. Smith": skip initials.
                while (
                    after + 1 < len(tokens)
                    and len(tokens[after].raw) == 1
                    and tokens[after].raw.isupper()
                    and tokens[after].gap.strip() in {"", "."}
                    and tokens[after + 1].gap.strip() in {"", "."}
                    and (tokens[after].raw not in "IA" or tokens[after + 1].gap.strip() == ".")
                ):
                    is_name[after] = True
                    after += 1
                candidate = tokens[after]
                if (
                    candidate.gap.strip() in {"", "."}
                    and not protected(after)
                    and self._name_after_title(candidate, title, case_informative=case_informative)
                ):
                    index = take_run(after, True)
                    continue
            # 2. cues
            cue = self._cue_at(lowers, index)
            if cue is not None:
                length, strong = cue
                after = index + length
                if after < len(tokens) and tokens[after].gap.strip() in {"", ",", ":", "-", ",-"}:
                    candidate = tokens[after]
                    naming = tuple(lowers[index:after]) in _NAMING_CUES
                    if self._name_after_cue(
                        candidate, strong=strong, case_informative=case_informative, naming=naming
                    ):
                        index = take_run(after, True)
                        index = self._coordinated(tokens, index, is_name, protected, case_informative)
                        continue
            # 3. a first name and a surname together: "grace singh", "Grace Singh."
            if (
                not is_name[index]
                and index + 1 < len(tokens)
                and self._first_and_surname(token, tokens[index + 1])
                and not protected(index)
                and not protected(index + 1)
            ):
                is_name[index] = True
                index = take_run(index + 1, True)
                index = self._coordinated(tokens, index, is_name, protected, case_informative)
                continue
            # 4. on its own
            if not is_name[index] and self._name_on_its_own(token, case_informative=case_informative):
                if not protected(index) and not self._place_context(tokens, index):
                    run_end = take_run(index, True)
                    index = self._coordinated(tokens, run_end, is_name, protected, case_informative)
                    continue
            index += 1

        self._unknown_neighbours(tokens, is_name, protected, case_informative)
        for index, flagged in enumerate(is_name):
            if flagged:
                token = tokens[index]
                yield Span(token.start, token.end, NAME)

    def _cue_at(self, lowers: list[str], index: int) -> tuple[int, bool] | None:
        for cue, strong in _CUES_BY_FIRST_WORD.get(lowers[index], ()):
            if len(cue) == 1 or tuple(lowers[index : index + len(cue)]) == cue:
                return len(cue), strong
        return None

    def _coordinated(
        self,
        tokens: _Tokens,
        index: int,
        is_name: list[bool],
        protected: Callable[[int], bool],
        case_informative: bool,
    ) -> int:
        """After a name, "and Siobhan", ", Dave and Olivia": more names in the same list."""
        while index < len(tokens):
            token = tokens[index]
            gap = token.gap.strip()
            if token.lower in {"and", "&"} or gap in {",", "&"}:
                after = index + 1 if token.lower in {"and", "&"} else index
                if after >= len(tokens) or protected(after):
                    return index
                candidate = tokens[after]
                if candidate.gap.strip() not in {"", ","} and after != index:
                    return index
                if not self._name_after_cue(
                    candidate, strong=True, case_informative=case_informative
                ) and not (self._name_on_its_own(candidate, case_informative=case_informative)):
                    return index
                is_name[after] = True
                index = after + 1
                while (
                    index < len(tokens)
                    and tokens[index].gap.strip() == ""
                    and not protected(index)
                    and self._surname_after_name(tokens[index], case_informative=case_informative)
                ):
                    is_name[index] = True
                    index += 1
                continue
            return index
        return index

    def _unknown_neighbours(
        self, tokens: _Tokens, is_name: list[bool], protected: Callable[[int], bool], case_informative: bool
    ) -> None:
        """A capitalised word that is no English word, right before a found name, is a first name the lists lack."""
        if not case_informative:
            return
        for index in range(len(tokens) - 2, -1, -1):
            if is_name[index] or not is_name[index + 1]:
                continue
            token = tokens[index]
            if (
                not is_name[index]
                and is_name[index + 1]
                and tokens[index + 1].gap.strip() == ""
                and token.capitalised
                and not protected(index)
                and not self._never(token)
                and token.lower not in TITLES
                and self._count(token.lower) < UNKNOWN_WORD
            ):
                is_name[index] = True

    def _place_context(self, tokens: _Tokens, index: int) -> bool:
        """A surname-only word after "in", "at", "from" names a place ("went to Wakefield")."""
        token = tokens[index]
        if token.lower in self.first_names or index == 0:
            return False
        return tokens[index - 1].lower in _PLACE_PREPOSITIONS

    def _protected(self, tokens: _Tokens, index: int, case_informative: bool) -> bool:
        """Whether a word is inside the name of a place or organisation ("St James's", "Alford ward", "Leeds
        General Infirmary", "Bishop Auckland"), or an initialism ("TIA", "PALS")."""
        token = tokens[index]
        if case_informative and 1 < len(token.raw) <= 4 and token.raw.isupper():
            return True
        if index > 0 and tokens.lowers[index - 1] in _SAINTS and token.capitalised:
            return True
        if index + 1 >= len(tokens):
            return False
        following = tokens[index + 1]
        if following.gap == " ":
            if (
                following.lower in _PLACE_NOUNS
                and token.lower not in TITLES
                and token.lower not in _NOT_NAMES
            ):
                return True
            if following.lower in _PLACES and token.capitalised and token.lower not in self.first_names:
                return True
        # Walk forward over joined capitalised words to an institution word, at most four words on.
        if not token.capitalised or not self._may_be_in_place_name(token):
            return False
        for ahead in range(index + 1, min(index + 5, len(tokens))):
            word = tokens[ahead]
            if not word.capitalised or word.gap.strip() != "" or word.sentence_start:
                return False
            if word.lower in _INSTITUTION_WORDS:
                return True
            if not self._may_be_in_place_name(word):
                return False
        return False

    def _may_be_in_place_name(self, token: _Token) -> bool:
        # "Mentioned Leeds General Infirmary": an everyday word that is no name ends the place name.
        lower = token.lower
        if lower in TITLES:
            return False
        return lower in _INSTITUTION_WORDS or self._listed(lower) or self._count(lower) < EVERYDAY_CAPITALISED


_finder: NameFinder | None = None


def name_finder(*, refresh: bool = False) -> NameFinder:
    """The process's finder, built on first use (``refresh`` builds it again, for benchmarks)."""
    global _finder  # one per process: the word lists are large
    if _finder is None or refresh:
        _finder = NameFinder(lexicon())
    return _finder


def find_names(text: str) -> Iterator[Span]:
    return name_finder().find(text)
