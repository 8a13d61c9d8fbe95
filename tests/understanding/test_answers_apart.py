"""A survey response that answered two open questions is coded answer by answer, and counted by question."""

from __future__ import annotations

import re

import pytest

from heard.listening.models import FeedbackItem
from heard.listening.services import surveys
from heard.listening.services.responses import survey_response_receive
from heard.understanding.comments import WHOLE, comments_of
from heard.understanding.dashboards import DashboardFilters, dashboard
from heard.understanding.learning.engine import CodedComment, train
from heard.understanding.models import CodedItem, Coding, Suggestion, ThemeModelRun, TrainingStatus
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import coding_save
from heard.understanding.services.suggesting import suggestions_make
from heard.understanding.services.training import training_data
from tests.factories import FeedbackItemFactory
from tests.listening.survey_helpers import urgent_care_survey

pytestmark = pytest.mark.django_db

WHY = "Tell us why"
CALL = "How was your call to NHS 111?"


@pytest.fixture
def responses(leeds):  # type: ignore[no-untyped-def]
    survey = urgent_care_survey(organisation=leeds)
    questions = surveys.survey_questions(survey)
    key = {question.key: question for question in questions}
    both = survey_response_receive(
        actor=None,
        survey=survey,
        questions=questions,
        answers={
            "why": "The wait was far too long",
            "used_111": "yes",
            "call_111": "The call handler was kind",
        },
        channel="online",
    )
    one = survey_response_receive(
        actor=None,
        survey=survey,
        questions=questions,
        answers={"why": "Quick and friendly"},
        channel="online",
    )
    plain = FeedbackItemFactory(organisation=leeds, text="Parking was impossible")
    return {"both": both, "one": one, "plain": plain, "why": key["why"], "call": key["call_111"]}


def test_only_a_response_to_two_open_questions_comes_apart(responses) -> None:  # type: ignore[no-untyped-def]
    items = list(
        FeedbackItem.objects.filter(
            pk__in=[r.pk for r in (responses["both"], responses["one"], responses["plain"])]
        ).order_by("pk")
    )
    comments = comments_of(items)

    assert [(comment.item_id, comment.part, comment.question) for comment in comments] == [
        (responses["both"].pk, responses["why"].pk, WHY),
        (responses["both"].pk, responses["call"].pk, CALL),
        (responses["one"].pk, WHOLE, WHY),
        (responses["plain"].pk, WHOLE, ""),
    ]
    assert comments[1].text == "The call handler was kind"


def test_an_analyst_codes_each_answer_and_the_dashboard_counts_them_by_question(
    responses, leeds, bob, signed_in
) -> None:  # type: ignore[no-untyped-def]
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    staff = codebook.themes.get(name="Staff manner and attitude")
    client = signed_in(bob)

    shown = []
    for _ in range(4):
        page = client.get(f"/themes/{codebook.pk}/code/?order=sample").content.decode()
        text = re.search(r'<p class="heard-comment" id="comment">([^<]*)</p>', page).group(1)
        asked = re.search(r"<strong>In answer to:</strong> ([^<]*)</p>", page)
        shown.append((text, asked.group(1) if asked else ""))
        code = waiting.code if "wait" in text or "Parking" in text else staff.code
        assert (
            client.post(f"/themes/{codebook.pk}/code/?order=sample", {"codes": f"{code} s3"}).status_code
            == 302
        )

    assert sorted(shown) == sorted(
        [
            ("The wait was far too long", WHY),
            ("The call handler was kind", CALL),
            ("Quick and friendly", WHY),
            ("Parking was impossible", ""),
        ]
    )
    assert (
        "There is nothing left to code"
        in client.get(f"/themes/{codebook.pk}/code/?order=sample").content.decode()
    )
    assert Coding.objects.filter(codebook=codebook, item=responses["both"]).count() == 2

    board = dashboard(codebook=codebook, filters=DashboardFilters())
    assert board.comments == 4  # three feedback items, one of them two answers
    table = {
        theme.name: dict(zip(board.questions, counts, strict=True)) for theme, counts in board.by_question
    }
    assert table[waiting.name] == {WHY: 1, CALL: 0, "": 1}
    assert table[staff.name] == {WHY: 1, CALL: 1, "": 0}
    assert board.pairs == []  # waiting in one answer and staff in the other are not a pair

    # Training learns from each answer with its own question.
    coded = {(comment.text, comment.question) for comment in training_data(codebook=codebook)}
    assert ("The call handler was kind", CALL) in coded and ("The wait was far too long", WHY) in coded


def test_a_response_coded_whole_counts_whole_until_its_answers_are_coded(responses, leeds, bob) -> None:  # type: ignore[no-untyped-def]
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    staff = codebook.themes.get(name="Staff manner and attitude")
    both = responses["both"]

    coding_save(
        coder=bob, codebook=codebook, item=both, themes=[waiting, staff], sentiment=3
    )  # whole, as before
    assert list(CodedItem.objects.filter(item=both).values_list("part", "question", "theme_count")) == [
        (WHOLE, "", 2)
    ]

    coding_save(
        coder=bob, codebook=codebook, item=both, part=responses["call"].pk, themes=[staff], sentiment=1
    )
    assert list(CodedItem.objects.filter(item=both).values_list("part", "question")) == [
        (responses["call"].pk, CALL)
    ]


def test_suggestions_are_made_for_each_answer(responses, leeds) -> None:  # type: ignore[no-untyped-def]
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    staff = codebook.themes.get(name="Staff manner and attitude")
    examples = [
        CodedComment(text=f"A long wait of {n} hours", themes=(str(waiting.pk),), sentiment=5)
        for n in range(20)
    ] + [
        CodedComment(text=f"Kind and friendly staff member {n}", themes=(str(staff.pk),), sentiment=1)
        for n in range(20)
    ]
    run = ThemeModelRun.objects.create(organisation=leeds, codebook=codebook, status=TrainingStatus.DONE)

    suggestions_make(run=run, model=train(examples))

    made = set(Suggestion.objects.filter(codebook=codebook).values_list("item_id", "part"))
    both = responses["both"].pk
    assert {(both, responses["why"].pk), (both, responses["call"].pk)} <= made
    assert (both, WHOLE) not in made and (responses["one"].pk, WHOLE) in made


def test_a_number_by_question_opens_the_responses_behind_it(responses, leeds, bob, signed_in) -> None:  # type: ignore[no-untyped-def]
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    staff = codebook.themes.get(name="Staff manner and attitude")
    both = responses["both"]
    coding_save(
        coder=bob, codebook=codebook, item=both, part=responses["call"].pk, themes=[staff], sentiment=1
    )

    page = signed_in(bob).get(f"/themes/{codebook.pk}/comments/", {"theme": staff.pk, "question": CALL})

    assert "1 comment." in page.content.decode()  # the response, though it has no single question of its own
    assert "is listed here once, but the dashboard counts each of its answers" in page.content.decode()


def test_after_an_upgrade_a_response_coded_whole_leaves_no_queue_stuck(responses, leeds, bob, alice) -> None:  # type: ignore[no-untyped-def]
    from heard.understanding.selectors import next_to_code

    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    both = responses["both"]
    run = ThemeModelRun.objects.create(organisation=leeds, codebook=codebook, status=TrainingStatus.DONE)
    # As left by the version before: the whole response coded by Bob, and the model's whole-response suggestion.
    coding_save(coder=bob, codebook=codebook, item=both, themes=[waiting], sentiment=4)
    Suggestion.objects.create(organisation=leeds, codebook=codebook, run=run, item=both, uncertainty=0.99)

    for order in ("uncertain", "agreement", "sample"):
        found = next_to_code(codebook=codebook, coder=alice, order=order, skipped=[])
        assert found is None or found[1] != WHOLE or found[0].pk != both.pk, order

    # Once one of its answers is coded, the other answer is offered, and both answers count.
    coding_save(
        coder=bob, codebook=codebook, item=both, part=responses["why"].pk, themes=[waiting], sentiment=5
    )
    offered = []
    for _ in range(3):
        found = next_to_code(codebook=codebook, coder=bob, order="sample", skipped=[])
        if found is None:
            break
        offered.append((found[0].pk, found[1]))
        coding_save(coder=bob, codebook=codebook, item=found[0], part=found[1], themes=[waiting], sentiment=3)
    assert (both.pk, responses["call"].pk) in offered
    assert set(CodedItem.objects.filter(item=both).values_list("part", flat=True)) == {
        responses["why"].pk,
        responses["call"].pk,
    }


def test_themes_by_who_said_them_count_a_person_once(responses, leeds, bob) -> None:  # type: ignore[no-untyped-def]
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    staff = codebook.themes.get(name="Staff manner and attitude")
    both = responses["both"]
    for part in (responses["why"].pk, responses["call"].pk):
        coding_save(coder=bob, codebook=codebook, item=both, part=part, themes=[staff], sentiment=1)
    surveys.equality_block_add(actor=None, survey=both.survey)
    age = next(q for q in surveys.survey_questions(both.survey) if q.key == "age_band")
    from heard.listening.models import Answer

    Answer.objects.create(item=both, question=age, choices=[age.choices[3]["value"]])

    board = dashboard(codebook=codebook, filters=DashboardFilters(), group_by="age_band")

    assert [sum(counts) for theme, counts in board.by_group if theme == staff] == [1]


def test_a_coding_names_an_answer_the_response_has(responses, leeds, bob) -> None:  # type: ignore[no-untyped-def]
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    staff = codebook.themes.get(name="Staff manner and attitude")

    # "one" answered a single open question, so it is coded whole; "plain" came from no survey at all.
    for item, part in ((responses["one"], responses["call"].pk), (responses["plain"], responses["why"].pk)):
        with pytest.raises(ValueError, match="no answer of its own to that question"):
            coding_save(coder=bob, codebook=codebook, item=item, part=part, themes=[staff], sentiment=1)
    assert not Coding.objects.filter(codebook=codebook).exists()


def test_each_answer_carries_the_fft_answer_of_its_response_into_training(leeds, bob) -> None:  # type: ignore[no-untyped-def]
    survey = urgent_care_survey(organisation=leeds)
    questions = surveys.survey_questions(survey)
    fft = next(question.key for question in questions if question.kind == "fft")
    answers = {
        fft: "poor",
        "why": "Nobody called back",
        "used_111": "yes",
        "call_111": "The call was rushed",
    }
    apart = survey_response_receive(
        actor=None, survey=survey, questions=questions, answers=answers, channel="online"
    )
    whole = survey_response_receive(
        actor=None, survey=survey, questions=questions, answers=answers, channel="online"
    )
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    staff = codebook.themes.get(name="Staff manner and attitude")

    assert [(one.part != WHOLE, one.answer) for one in comments_of([apart])] == [
        (True, "poor"),
        (True, "poor"),
    ]
    for comment in comments_of([apart]):
        coding_save(coder=bob, codebook=codebook, item=apart, part=comment.part, themes=[staff], sentiment=4)
    coding_save(
        coder=bob, codebook=codebook, item=whole, themes=[staff], sentiment=4
    )  # whole, as before ADR 0022

    coded = training_data(codebook=codebook)
    assert sorted(one.text for one in coded) == sorted(
        ["Nobody called back", "The call was rushed", "Nobody called back\n\nThe call was rushed"]
    )
    assert {one.answer for one in coded} == {"poor"}


def test_a_suggestion_for_an_answer_the_response_does_not_have_is_not_accepted(  # type: ignore[no-untyped-def]
    responses, leeds, bob, signed_in
) -> None:
    from heard.understanding.services.coding import suggestions_accept_confident

    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    staff = codebook.themes.get(name="Staff manner and attitude")
    run = ThemeModelRun.objects.create(organisation=leeds, codebook=codebook, status=TrainingStatus.DONE)
    made = {
        name: Suggestion.objects.create(
            organisation=leeds,
            codebook=codebook,
            run=run,
            item=responses[item],
            part=part,
            themes=[{"theme": staff.pk, "confidence": 0.95}],
            sentiment=2,
            sentiment_confidence=0.95,
            confidence=0.95,
        )
        for name, item, part in (
            ("stale", "one", responses["call"].pk),  # "one" answered a single question: it has no parts
            ("good", "both", responses["call"].pk),
        )
    }

    page = signed_in(bob).post(f"/themes/{codebook.pk}/suggestions/{made['stale'].pk}/accept/", follow=True)
    assert "is for an answer the response no longer has on its own" in page.content.decode()
    assert suggestions_accept_confident(coder=bob, codebook=codebook, at_least=0.9) == 1
    assert list(Coding.objects.filter(codebook=codebook).values_list("item_id", "part")) == [
        (responses["both"].pk, responses["call"].pk)
    ]
