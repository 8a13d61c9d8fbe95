"""Coding comments by hand: typed codes read, one coding per person and comment, agreement between coders."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from heard.core.models import User
from heard.listening.models import FeedbackItem
from heard.understanding.comments import WHOLE, answer_keys
from heard.understanding.locks import suggestions_lock
from heard.understanding.models import Codebook, Coding, CodingOrigin, Suggestion, SuggestionStatus, Theme
from heard.understanding.selectors import read_codings
from heard.understanding.services.assignments import assignments_refresh

_SENTIMENT = re.compile(r"^s([1-5])$")


@dataclass
class TypedCodes:
    themes: list[Theme] = field(default_factory=list)
    sentiment: int | None = None
    second_look: bool = False
    problems: list[str] = field(default_factory=list)


def codes_read(typed: str, themes: Iterable[Theme]) -> TypedCodes:
    """Reads what a coder typed: theme numbers, ``s1``…``s5`` for sentiment, ``?`` for a second look.

    "3 12 s4 ?" is themes 3 and 12, negative, needs a second look. Commas and semicolons work as well as spaces.
    """
    by_code = {theme.code: theme for theme in themes if not theme.retired}
    result = TypedCodes()
    for word in typed.lower().replace(",", " ").replace(";", " ").split():
        if word == "?":
            result.second_look = True
        elif match := _SENTIMENT.match(word):
            result.sentiment = int(match.group(1))
        elif word.isdigit() and int(word) in by_code:
            theme = by_code[int(word)]
            if theme not in result.themes:
                result.themes.append(theme)
        else:
            result.problems.append(
                f"‘{word}’ is not a theme number, s1 to s5 or ?"
                if not word.isdigit()
                else f"There is no theme {word}"
            )
    return result


@transaction.atomic
def coding_save(
    *,
    coder: User,
    codebook: Codebook,
    item: FeedbackItem,
    themes: Iterable[Theme],
    sentiment: int | None,
    second_look: bool = False,
    note: str = "",
    origin: str = CodingOrigin.CODED,
    part: int = 0,
) -> Coding:
    """Records (or replaces) this coder's coding of the comment. A suggestion for it is closed."""
    if item.organisation_id != codebook.organisation_id:
        raise ValueError("The comment and the codebook belong to different organisations.")
    if part != WHOLE and (item.pk, part) not in answer_keys([item.pk]):
        raise ValueError("That response has no answer of its own to that question to code.")
    # Shared with other coders; a suggestion writer waits for this coding, and then sees it (services/suggesting).
    suggestions_lock(codebook.pk, shared=True)
    coding, _ = Coding.objects.update_or_create(
        codebook=codebook,
        item=item,
        part=part,
        coder=coder,
        defaults={
            "organisation": codebook.organisation,
            "sentiment": sentiment,
            "second_look": second_look,
            "note": note[:500],
            "origin": origin,
            "codebook_version": codebook.version,
            "coded_at": timezone.now(),
        },
    )
    coding.themes.set([theme for theme in themes if theme.codebook_id == codebook.pk])
    status = SuggestionStatus.ACCEPTED if origin == CodingOrigin.ACCEPTED else SuggestionStatus.CORRECTED
    Suggestion.objects.filter(codebook=codebook, item=item, part=part, status=SuggestionStatus.OPEN).update(
        status=status
    )
    assignments_refresh(codebook=codebook, item_ids=[item.pk])
    return coding


@dataclass(frozen=True)
class ThemeAgreement:
    theme: Theme
    comments: int  # comments coded by two people
    both: int  # both gave the theme
    either: int  # at least one gave it
    kappa: (
        float | None
    )  # Cohen's kappa; None where it cannot be worked out (neither coder ever used the theme)


def cohen_kappa(first: list[bool], second: list[bool]) -> float | None:
    """Cohen's kappa for two coders' yes/no answers on the same comments."""
    total = len(first)
    if total == 0:
        return None
    agree = sum(a == b for a, b in zip(first, second, strict=True)) / total
    yes_first, yes_second = sum(first) / total, sum(second) / total
    expected = yes_first * yes_second + (1 - yes_first) * (1 - yes_second)
    if expected == 1:
        return None if not any(first) and not any(second) else 1.0
    return (agree - expected) / (1 - expected)


def agreement(*, codebook: Codebook) -> tuple[int, list[ThemeAgreement]]:
    """Per theme, how far two coders agree on the comments both coded (the first two coders of each). Sure
    suggestions accepted together are the model's word, not a coder's, so they are not compared."""
    read = read_codings(codebook)
    # Only the comments someone else coded too: the sample is small beside everything one coder has coded.
    someone_else = read.filter(item=OuterRef("item"), part=OuterRef("part")).exclude(coder=OuterRef("coder"))
    pairs: dict[tuple[int, int], list[Coding]] = {}
    for coding in (
        read.filter(Exists(someone_else))
        .prefetch_related("themes")
        .order_by("item_id", "part", "coded_at", "id")
    ):
        pairs.setdefault((coding.item_id, coding.part), []).append(coding)
    double = [codings[:2] for codings in pairs.values() if len(codings) >= 2]
    results = []
    for theme in codebook.themes.select_related("category").order_by("code"):
        first = [any(t.pk == theme.pk for t in one.themes.all()) for one, _ in double]
        second = [any(t.pk == theme.pk for t in two.themes.all()) for _, two in double]
        results.append(
            ThemeAgreement(
                theme=theme,
                comments=len(double),
                both=sum(a and b for a, b in zip(first, second, strict=True)),
                either=sum(a or b for a, b in zip(first, second, strict=True)),
                kappa=cohen_kappa(first, second),
            )
        )
    return len(double), results


def suggestion_accept(*, coder: User, suggestion: Suggestion) -> Coding:
    """The analyst agrees with the model: its themes and sentiment become their coding, marked as accepted."""
    theme_ids = [entry["theme"] for entry in suggestion.themes]
    themes = list(Theme.objects.filter(codebook=suggestion.codebook, pk__in=theme_ids, retired=False))
    return coding_save(
        coder=coder,
        codebook=suggestion.codebook,
        item=suggestion.item,
        themes=themes,
        sentiment=suggestion.sentiment,
        origin=CodingOrigin.ACCEPTED,
        part=suggestion.part,
    )


@transaction.atomic
def suggestions_accept_confident(
    *, coder: User, codebook: Codebook, at_least: float, limit: int = 500
) -> int:
    """Accepts up to ``limit`` open suggestions whose every theme, and sentiment, has at least this confidence.
    Nobody reads each one, so the codings are marked as accepted in bulk: the dashboards count them as the
    model's, and training leaves them out.

    The same as accepting each in turn, done in a few statements whatever the number: the codings are written
    together and the dashboards' counts refreshed once.
    """
    suggestions_lock(codebook.pk, shared=True)
    # Locked while they are accepted, and skipped by anyone else accepting at the same moment (a second press
    # of the button, a colleague), who takes the rest instead of failing on the same codings.
    chosen = list(
        Suggestion.objects.select_for_update(skip_locked=True)
        .filter(codebook=codebook, status=SuggestionStatus.OPEN, confidence__gte=at_least)
        .filter(Q(sentiment__isnull=True) | Q(sentiment_confidence__gte=at_least))
        .exclude(themes=[])
        .order_by("-confidence", "item_id")[:limit]
    )
    # A suggestion for an answer the response no longer has on its own (its question since made equality
    # monitoring, say) cannot be accepted: it stays open for the next training to replace.
    apart = [suggestion.item_id for suggestion in chosen if suggestion.part != WHOLE]
    if apart:
        answers = answer_keys(apart)
        chosen = [one for one in chosen if one.part == WHOLE or (one.item_id, one.part) in answers]
    if not chosen:
        return 0
    live = set(codebook.themes.filter(retired=False).values_list("pk", flat=True))
    item_ids = [suggestion.item_id for suggestion in chosen]
    existing = {
        (coding.item_id, coding.part): coding
        for coding in Coding.objects.filter(codebook=codebook, coder=coder, item_id__in=item_ids)
    }
    now = timezone.now()
    fresh: list[Coding] = []
    replaced: list[Coding] = []
    for suggestion in chosen:
        coding = existing.get((suggestion.item_id, suggestion.part)) or Coding(
            codebook=codebook, item_id=suggestion.item_id, part=suggestion.part, coder=coder
        )
        coding.organisation = codebook.organisation
        coding.sentiment = suggestion.sentiment
        coding.second_look = False
        coding.note = ""
        coding.origin = CodingOrigin.ACCEPTED_IN_BULK
        coding.codebook_version = codebook.version
        coding.coded_at = now
        (replaced if coding.pk else fresh).append(coding)
    fields = ["organisation", "sentiment", "second_look", "note", "origin", "codebook_version", "coded_at"]
    Coding.objects.bulk_update(replaced, fields, batch_size=500)
    Coding.objects.bulk_create(fresh, batch_size=500)
    if any(coding.pk is None for coding in fresh):  # a database that does not return new keys
        fresh = list(Coding.objects.filter(codebook=codebook, coder=coder, item_id__in=item_ids))
    codings = {(coding.item_id, coding.part): coding for coding in [*replaced, *fresh]}
    through = Coding.themes.through
    through.objects.filter(coding_id__in=[coding.pk for coding in replaced]).delete()
    through.objects.bulk_create(
        [
            through(coding_id=codings[(suggestion.item_id, suggestion.part)].pk, theme_id=theme)
            for suggestion in chosen
            for theme in dict.fromkeys(entry["theme"] for entry in suggestion.themes)
            if theme in live
        ],
        batch_size=2_000,
    )
    Suggestion.objects.filter(pk__in=[suggestion.pk for suggestion in chosen]).update(
        status=SuggestionStatus.ACCEPTED
    )
    assignments_refresh(codebook=codebook, item_ids=item_ids)
    return len(chosen)
