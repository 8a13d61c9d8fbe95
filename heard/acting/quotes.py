"""Quotes: short passages of depersonalised comments, chosen by one editor and checked by a second before any
page or report may show them. Withdrawing one takes it off everything at once, because every page and report
reads only approved quotes (``quotes_public``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from heard.acting.models import Decision, Quote, QuoteStatus
from heard.core.audit import audit_record
from heard.core.events import event_publish
from heard.core.models import Membership, User
from heard.listening.models import FeedbackItem
from heard.privacy.redaction import find_identifiers
from heard.projects.models import Project

LONGEST = 600
# An editor may cut a comment ("…" or "...") and put a word of their own in square brackets ("[the nurse]");
# everything else must be the comment's own words.
_CUTS = re.compile(r"\s*(?:…|\.\.\.|\[[^\]]{1,60}\])\s*")
_PLACEHOLDER = re.compile(r"\[(NAME|NHS_NUMBER|PHONE|EMAIL|POSTCODE|ADDRESS|DATE_OF_BIRTH|NI_NUMBER)\]")
# A word in any alphabet: "Siân", "Zoë" and "Okonkwo-Baptiste" as well as "Kelly".
_WORD = re.compile(r"[^\W\d_][^\W\d_'’]*(?:['’-][^\W\d_]+)*")
_NAME_PARTS = re.compile(r"[\s'’-]+")


def _squash(text: str) -> str:
    return " ".join(text.split())


def quote_wording_problem(comment: str, quote: str) -> str:
    """Why ``quote`` is not a fair quotation of ``comment``, or "" when it is."""
    quote = _squash(quote)
    if not quote:
        return "Enter the words to quote"
    if len(quote) > LONGEST:
        return f"A quote must be {LONGEST} characters or fewer"
    whole = _squash(comment)
    position = 0
    for piece in _CUTS.split(quote):
        if not piece:
            continue
        found = whole.find(piece, position)
        if found < 0:
            where = "in the comment" if piece not in whole else "in the comment in this order"
            return (
                "A quote must use the comment's own words, in their order. Mark a cut with … and a word of your "
                f"own with [square brackets]. These words are not {where}: “{piece[:80]}”"
            )
        position = found + len(piece)
    return ""


@dataclass(frozen=True)
class CheckFinding:
    kind: str
    value: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


def staff_names(organisation_id: int) -> set[str]:
    """First names and surnames of the organisation's members, for the check that no staff name remains."""
    names: set[str] = set()
    for first, last in Membership.objects.filter(organisation_id=organisation_id).values_list(
        "user__first_name", "user__last_name"
    ):
        for name in (first, last):
            for part in _NAME_PARTS.split(name or ""):
                if len(part) >= 2:
                    names.add(part.casefold())
    return names


def _everyday_word(word: str) -> bool:
    """Whether a name is also an everyday English word ("hope", "will", "may"), from redaction's word list."""
    from heard.privacy.redaction.lexicon import MINIMUM_WORD_COUNT, lexicon

    return lexicon().count(word) >= MINIMUM_WORD_COUNT


def quote_check(
    quote_text: str, *, organisation_id: int, known: set[str] | None = None
) -> list[CheckFinding]:
    """What the second check finds: identifiers redaction would remove, placeholders it left, staff names.
    ``known`` is ``staff_names(organisation_id)``, for a caller checking several texts at once."""
    findings = [
        CheckFinding(kind=identifier.kind.replace("_", " ").lower(), value=identifier.value)
        for identifier in find_identifiers(quote_text)
    ]
    findings += [
        CheckFinding(kind="removed identifier", value=match.group(0))
        for match in _PLACEHOLDER.finditer(quote_text)
    ]
    known = staff_names(organisation_id) if known is None else known
    for match in _WORD.finditer(quote_text):
        for word in {match.group(0), *_NAME_PARTS.split(match.group(0))}:
            folded = word.casefold()
            if folded not in known:
                continue
            # A name that is also an everyday word counts only when capitalised: a member called Hope or Will
            # must not stop every quote with "hope" in it. Other names count however they are written.
            if word[0].isupper() or not _everyday_word(folded):
                findings.append(CheckFinding(kind="staff name", value=word))
                break
    return findings


def _public_changed(quote: Quote) -> None:
    event_publish("acting.public_changed", organisation_id=quote.organisation_id)


@transaction.atomic
def quote_choose(
    *, actor: User, project: Project, item: FeedbackItem, text: str, decision: Decision | None = None
) -> Quote:
    if item.organisation_id != project.organisation_id:
        raise ValidationError("That comment could not be found")
    if decision is not None and decision.project_id != project.pk:
        raise ValidationError({"decision": "Choose a decision of this project"})
    problem = quote_wording_problem(item.text, text)
    if problem:
        raise ValidationError({"text": problem})
    quote = Quote.objects.create(
        organisation=project.organisation,
        project=project,
        item=item,
        decision=decision,
        text=_squash(text),
        chosen_by=actor,
    )
    audit_record(
        actor=actor,
        action="quote.chosen",
        organisation=project.organisation,
        target=quote,
        detail={"project": project.slug, "comment": item.pk},
    )
    return quote


@transaction.atomic
def quote_approve(*, actor: User, quote: Quote) -> Quote:
    """The second check: another person, and nothing found that could identify anyone."""
    if quote.status != QuoteStatus.WAITING:
        raise ValidationError("Only a quote waiting for its second check can be approved")
    if quote.chosen_by_id == actor.pk:
        raise ValidationError("Someone other than the person who chose a quote must check it")
    findings = quote_check(quote.text, organisation_id=quote.organisation_id)
    if findings:
        raise ValidationError(
            "This quote may still identify someone: " + "; ".join(str(finding) for finding in findings)
        )
    quote.status = QuoteStatus.APPROVED
    quote.checked_by = actor
    quote.checked_at = timezone.now()
    quote.save(update_fields=["status", "checked_by", "checked_at"])
    audit_record(actor=actor, action="quote.approved", organisation=quote.organisation, target=quote)
    _public_changed(quote)
    return quote


@transaction.atomic
def quote_withdraw(*, actor: User, quote: Quote, reason: str) -> Quote:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the quote is being withdrawn"})
    if quote.status == QuoteStatus.WITHDRAWN:
        return quote
    quote.status = QuoteStatus.WITHDRAWN
    quote.withdrawn_by = actor
    quote.withdrawn_at = timezone.now()
    quote.withdrawn_reason = reason.strip()[:500]
    quote.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
    audit_record(
        actor=actor,
        action="quote.withdrawn",
        organisation=quote.organisation,
        target=quote,
        reason=quote.withdrawn_reason,
    )
    _public_changed(quote)
    return quote


def quotes_public(*, project: Project) -> QuerySet[Quote]:
    """The only quotes any page, feed or report may show: approved, not withdrawn, decision not removed."""
    return (
        Quote.objects.filter(project=project, status=QuoteStatus.APPROVED)
        .exclude(decision__removed_at__isnull=False)
        .order_by("checked_at", "pk")
    )
