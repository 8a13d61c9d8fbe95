"""What is coded: comments, which are feedback items or, for a survey response that answered two or more open
questions, each of its answers on its own (ADR 0022).

A comment is named by its item and its *part*: 0 for the whole item, otherwise the id of the open question whose
answer it is. One rule, used by the coding page, training, suggestions, the counts and agreement alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from heard.listening.models import Answer, FeedbackItem, QuestionKind

WHOLE = 0


def may_come_apart(prefix: str = "") -> Q:
    """Items that can come apart: survey responses without a single question of their own (one that answered
    one open question carries it). ``prefix`` reaches the item from another model, as in "item__"."""
    return Q(**{f"{prefix}survey__isnull": False, f"{prefix}question": ""})


def _open_answers() -> QuerySet[Answer]:
    """Answers to open questions, equality monitoring aside, with something written."""
    return Answer.objects.filter(
        question__kind=QuestionKind.FREE_TEXT, question__is_equality_monitoring=False
    ).exclude(text="")


def open_answers_count(item: str = "pk") -> Subquery:
    """How many open questions the item in the outer query answered (``item``: the outer field with its id)."""
    return Subquery(
        _open_answers()
        .filter(item_id=OuterRef(item))
        .values("item_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


@dataclass(frozen=True)
class Comment:
    item_id: int
    part: int
    text: str
    question: str
    # The Friends and Family Test answer given with it (the item's, for each answer of a response), or "".
    answer: str = ""

    @property
    def key(self) -> tuple[int, int]:
        return (self.item_id, self.part)


def answers_apart(item_ids: Iterable[int]) -> dict[int, list[Comment]]:
    """The items among these that answered two or more open questions, each with its answers as comments, in
    the order the survey asks them."""
    ids = list(item_ids)
    if not ids:
        return {}
    found: dict[int, list[Comment]] = defaultdict(list)
    for item_id, question_id, question, text, answer in (
        _open_answers()
        .filter(item_id__in=ids)
        .order_by("item_id", "question__section__position", "question__position", "question_id")
        .values_list("item_id", "question_id", "question__text", "text", "item__fft_answer")
    ):
        if text.strip():
            found[item_id].append(Comment(item_id, question_id, text, question, answer))
    return {item_id: comments for item_id, comments in found.items() if len(comments) >= 2}


def answer_keys(item_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(item, part) of every answer among these items that is a comment of its own."""
    return {comment.key for comments in answers_apart(item_ids).values() for comment in comments}


def comments_of(items: Sequence[FeedbackItem]) -> list[Comment]:
    """The comments these items make, in order. Only a survey response without a single question of its own can
    have answers apart (one that answered one open question carries that question)."""
    apart = answers_apart(item.pk for item in items if item.survey_id and not item.question)
    comments: list[Comment] = []
    for item in items:
        comments.extend(
            apart.get(item.pk) or [Comment(item.pk, WHOLE, item.text, item.question, item.fft_answer)]
        )
    return comments


def comment_of(item: FeedbackItem, part: int) -> Comment | None:
    """One comment of an item, or None where the item has no such part. The whole of a response that comes
    apart is its first answer: that is where coding it starts."""
    comments = comments_of([item])
    return next(
        (comment for comment in comments if comment.part == part), comments[0] if part == WHOLE else None
    )
