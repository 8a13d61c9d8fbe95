"""An analyst codes a sample, trains a model, reads its quality, and accepts or corrects what it suggests."""

from __future__ import annotations

import html
import random
import re

import pytest

from heard.core.models import AuditEntry, Role
from heard.listening.models import FeedbackItem
from heard.understanding.learning.engine import ThemeModel
from heard.understanding.models import (
    Codebook,
    Coding,
    CodingOrigin,
    Suggestion,
    SuggestionStatus,
    ThemeModelRun,
    TrainingStatus,
)
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import (
    agreement,
    codes_read,
    coding_save,
    cohen_kappa,
    suggestions_accept_confident,
)
from heard.understanding.services.training import training_data, training_run
from heard.understanding.starter import STARTER
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# Invented comments whose words say which starter theme they belong to.
PHRASES = {
    "Waiting and timeliness": ["waited four hours", "a long wait to be seen", "the delay was awful"],
    "Staff manner and attitude": ["the nurse was so kind", "a rude receptionist", "friendly caring staff"],
    "Travel and transport": ["the bus does not stop near", "patient transport came late", "the taxi home"],
    "Food and drink": ["the dinner was cold", "lovely tasty meals", "no choice of breakfast"],
}


def comments(organisation, count: int, seed: int = 3):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    source = FeedbackSourceFactory(organisation=organisation)
    made = []
    for number in range(count):
        theme = list(PHRASES)[number % len(PHRASES)]
        text = f"{rng.choice(PHRASES[theme])} on my visit number {number}".capitalize()
        made.append((FeedbackItemFactory(organisation=organisation, source=source, text=text), theme))
    return made


def code_of(codebook: Codebook, name: str) -> int:
    return codebook.themes.get(name=name).code


def test_the_starter_codebook_has_the_fft_qdc_structure_and_a_first_version(leeds) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)

    assert codebook.categories.count() == len(STARTER) == 10
    assert codebook.themes.count() == sum(len(themes) for _, themes in STARTER) == 32
    assert sorted(codebook.themes.values_list("code", flat=True)) == list(range(1, 33))
    assert codebook.versions.get().number == 1


def test_editing_a_theme_makes_a_new_version_and_old_coding_stays_readable(leeds, bob, signed_in) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    [(item, _)] = comments(leeds, 1)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    coding_save(coder=bob, codebook=codebook, item=item, themes=[waiting], sentiment=4)
    client = signed_in(bob)

    client.post(
        f"/themes/{codebook.pk}/themes/{waiting.pk}/edit/",
        {"name": "Waiting times", "category": "Access to services", "description": "Waits and delays"},
    )
    client.post(f"/themes/{codebook.pk}/themes/{waiting.pk}/retire/", {"retire": "yes"})

    codebook.refresh_from_db()
    assert codebook.version == 3
    versions = {version.number: version for version in codebook.versions.all()}
    assert "Renamed ‘Waiting and timeliness’ to ‘Waiting times’" in versions[2].change
    first_names = {theme["name"] for theme in versions[1].themes}
    assert "Waiting and timeliness" in first_names
    coding = Coding.objects.get(item=item)
    assert coding.codebook_version == 1
    assert [theme.name for theme in coding.themes.all()] == ["Waiting times"]  # retired, not deleted
    page = client.get(f"/themes/{codebook.pk}/").content.decode()
    assert "Retired" in page and "Version 3" in page


def test_typed_codes_are_read_and_mistakes_named(leeds) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    themes = list(codebook.themes.all())

    typed = codes_read("3, 12 s4 ?", themes)
    assert [theme.code for theme in typed.themes] == [3, 12]
    assert typed.sentiment == 4 and typed.second_look and not typed.problems
    assert codes_read("99 x", themes).problems == [
        "There is no theme 99",
        "‘x’ is not a theme number, s1 to s5 or ?",
    ]


def test_an_analyst_codes_trains_reviews_and_corrects(leeds, bob, signed_in) -> None:
    client = signed_in(bob)
    response = client.post("/themes/", {"name": "Patient experience", "start": "starter"})
    codebook = Codebook.objects.get(organisation=leeds)
    assert response.status_code == 302
    made = comments(leeds, 120)

    # Code a sample with typed codes, as fast as Enter allows: each save moves to the next comment.
    page = client.get(f"/themes/{codebook.pk}/code/?order=sample")
    assert page.status_code == 200 and 'autofocus="autofocus"' in page.content.decode()
    theme_of = {item.pk: theme for item, theme in made}
    for _ in range(60):
        shown = client.get(f"/themes/{codebook.pk}/code/?order=sample").content.decode()
        item_id = int(re.search(r"<h2>Feedback (\d+)</h2>", shown).group(1))
        theme = theme_of[item_id]
        sentiment = "s2" if theme == "Staff manner and attitude" else "s4"
        saved = client.post(
            f"/themes/{codebook.pk}/code/?order=sample", {"codes": f"{code_of(codebook, theme)} {sentiment}"}
        )
        assert saved.status_code == 302
    assert Coding.objects.filter(codebook=codebook, coder=bob).count() == 60

    # Train: queued for a worker, with a progress bar and a link to look again (no timed reload: WCAG 2.2.1).
    trained = client.post(f"/themes/{codebook.pk}/train/")
    run = ThemeModelRun.objects.get(codebook=codebook)
    assert trained.url == f"/themes/{codebook.pk}/models/{run.pk}/"
    waiting = client.get(trained.url).content.decode()
    assert "<progress" in waiting and "Refresh now" in waiting
    assert client.post(f"/themes/{codebook.pk}/train/").url == trained.url  # a second press changes nothing
    run = training_run(run_id=run.pk)  # what the worker does with the queued task
    assert run.status == TrainingStatus.DONE, run.failure
    assert run.comments == 60 and run.suggested == 60
    report = client.get(trained.url).content.decode()
    assert "Quality by theme, on held-back comments" in report
    assert "No coded examples yet, so the model cannot suggest them:" in report and "‘Cleanliness’" in report
    for theme in PHRASES:
        assert theme in report
    by_theme = {one["theme"]: one for one in run.quality["per_theme"]}
    assert all(by_theme[theme]["f1"] > 0.8 for theme in PHRASES)
    assert AuditEntry.objects.filter(action="themes.training_finished").exists()

    # Every uncoded comment now has a suggestion, mostly right.
    suggestions = Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.OPEN)
    right = sum(
        {entry["theme"] for entry in one.themes} == {codebook.themes.get(name=theme_of[one.item_id]).pk}
        for one in suggestions
    )
    assert right >= 0.9 * suggestions.count()
    listing = client.get(f"/themes/{codebook.pk}/suggestions/").content.decode()
    assert "60 suggestions wait for review" in listing

    # Accept one; correct another on the coding page, where the suggestion is typed in already.
    first, second = list(suggestions.order_by("item_id")[:2])
    client.post(f"/themes/{codebook.pk}/suggestions/{first.pk}/accept/")
    assert Coding.objects.get(item=first.item).origin == CodingOrigin.ACCEPTED
    correcting = client.get(f"/themes/{codebook.pk}/code/?item={second.item_id}").content.decode()
    assert "The model suggests:" in correcting
    client.post(f"/themes/{codebook.pk}/code/?item={second.item_id}", {"codes": "1 s3"})
    corrected = Coding.objects.get(item=second.item)
    assert corrected.origin == CodingOrigin.CORRECTED
    assert [theme.code for theme in corrected.themes.all()] == [1]
    assert Suggestion.objects.get(pk=second.pk).status == SuggestionStatus.CORRECTED

    # Accept the sure ones in bulk; then "code next" offers what the model is least sure of.
    client.post(f"/themes/{codebook.pk}/suggestions/accept/", {"at_least": "0.8"})
    assert Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.ACCEPTED).count() > 10
    next_page = client.get(f"/themes/{codebook.pk}/code/")
    assert next_page.status_code == 200


def test_the_model_reads_the_fft_answer_each_comment_came_with(leeds, bob, signed_in) -> None:
    """ "No comment" beside "Very good" and beside "Very poor" are coded differently; the model learns that from
    the items' FFT answers and suggests accordingly."""
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    praise = codebook.themes.get(name="Staff manner and attitude")
    complaint = codebook.themes.get(name="Waiting and timeliness")
    source = FeedbackSourceFactory(organisation=leeds)
    for number in range(30):
        for answer, theme, sentiment in (("very_good", praise, 1), ("very_poor", complaint, 5)):
            item = FeedbackItemFactory(
                organisation=leeds, source=source, text=f"No comment {number}", fft_answer=answer
            )
            coding_save(coder=bob, codebook=codebook, item=item, themes=[theme], sentiment=sentiment)
    happy = FeedbackItemFactory(organisation=leeds, source=source, text="No comment", fft_answer="very_good")
    unhappy = FeedbackItemFactory(
        organisation=leeds, source=source, text="No comment", fft_answer="very_poor"
    )

    client = signed_in(bob)
    trained = client.post(f"/themes/{codebook.pk}/train/")
    run = training_run(run_id=ThemeModelRun.objects.get(codebook=codebook).pk)

    assert trained.status_code == 302 and run.status == TrainingStatus.DONE, run.failure
    assert "the Friends and Family Test answer given with it" in client.get(trained.url).content.decode()
    # The model kept with the run loads again and codes as it did (its quality report is the engine's own).
    kept = ThemeModel.from_bytes(bytes(run.model_file))
    assert [one.sentiment for one in kept.predict(["No comment"] * 2, None, ["very_good", "very_poor"])] == [
        1,
        5,
    ]
    assert {one["theme"] for one in run.quality["per_theme"]} == {praise.name, complaint.name}
    for item, theme, sentiment in ((happy, praise, 1), (unhappy, complaint, 5)):
        suggestion = Suggestion.objects.get(codebook=codebook, item=item)
        assert [entry["theme"] for entry in suggestion.themes] == [theme.pk]
        assert suggestion.sentiment == sentiment


def test_training_needs_enough_coding(leeds, bob, signed_in) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    client = signed_in(bob)

    response = client.post(f"/themes/{codebook.pk}/train/", follow=True)

    assert "Code at least 20 comments before training; 0 so far." in response.content.decode()
    assert not ThemeModelRun.objects.exists()


def test_a_second_coder_is_offered_a_colleagues_comments_and_agreement_is_measured(
    leeds, bob, signed_in
) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    dana = UserFactory(username="dana")
    MembershipFactory(user=dana, organisation=leeds, role=Role.ANALYST)
    made = comments(leeds, 12)
    staff = codebook.themes.get(name="Staff manner and attitude")
    waiting = codebook.themes.get(name="Waiting and timeliness")
    for item, theme in made:
        coding_save(
            coder=bob, codebook=codebook, item=item, themes=[codebook.themes.get(name=theme)], sentiment=3
        )
    client = signed_in(dana)

    offered = client.get(f"/themes/{codebook.pk}/code/?order=agreement").content.decode()
    offered_id = int(re.search(r"<h2>Feedback (\d+)</h2>", offered).group(1))
    assert offered_id in {item.pk for item, _ in made}
    for item, theme in made:
        # Dana agrees on everything except one staff comment, which she codes as waiting.
        chosen = codebook.themes.get(name=theme)
        if item.pk == made[1][0].pk:
            chosen = waiting
        coding_save(coder=dana, codebook=codebook, item=item, themes=[chosen], sentiment=3)
    for item, _ in comments(leeds, 3):  # coded by Bob alone: nothing to compare
        coding_save(coder=bob, codebook=codebook, item=item, themes=[waiting], sentiment=3)

    page = client.get(f"/themes/{codebook.pk}/agreement/").content.decode()
    assert "12 comments have been coded by two people" in page
    assert "Too few to judge" in page and "-0.00" not in page
    assert made[1][1] == staff.name
    assert "Food and drink" in page


def test_cohens_kappa_matches_the_textbook_example() -> None:
    # 50 items: both yes 20, first only 5, second only 10, both no 15 -> kappa 0.4.
    first = [True] * 20 + [True] * 5 + [False] * 10 + [False] * 15
    second = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15

    assert cohen_kappa(first, second) == pytest.approx(0.4)
    assert cohen_kappa([False, False], [False, False]) is None


def test_saving_codes_the_comment_shown_even_when_a_colleague_coded_it_first(leeds, bob, signed_in) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    dana = UserFactory(username="dana")
    MembershipFactory(user=dana, organisation=leeds, role=Role.ANALYST)
    comments(leeds, 5)
    client = signed_in(bob)
    shown = client.get(f"/themes/{codebook.pk}/code/?order=sample").content.decode()
    item_id = int(re.search(r"<h2>Feedback (\d+)</h2>", shown).group(1))
    action = html.unescape(re.search(r'<form method="post" action="([^"]*)"', shown).group(1))
    # Dana, on the same page a moment earlier, saves first: the sample's "next" moves on.
    coding_save(
        coder=dana, codebook=codebook, item=FeedbackItem.objects.get(pk=item_id), themes=[], sentiment=3
    )

    saved = client.post(f"/themes/{codebook.pk}/code/{action}", {"codes": "1 s2"})

    assert saved.status_code == 302 and saved.url == f"/themes/{codebook.pk}/code/?order=sample"
    assert Coding.objects.get(coder=bob).item_id == item_id  # the comment Bob read, not the next one


def test_coding_a_comment_again_shows_the_coding_in_the_codes_box_and_saving_replaces_it(
    leeds, bob, signed_in
) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    [(item, _)] = comments(leeds, 1)
    first, second, third = list(codebook.themes.order_by("code")[:3])
    coding_save(
        coder=bob,
        codebook=codebook,
        item=item,
        themes=[first, second],
        sentiment=4,
        second_look=True,
        note="Hm",
    )
    client = signed_in(bob)

    page = client.get(f"/themes/{codebook.pk}/code/?item={item.pk}").content.decode()

    assert f'value="{first.code} {second.code} s4 ?"' in page
    assert " checked" not in page.split("Or choose with the boxes")[1].split("Sentiment")[0]
    client.post(f"/themes/{codebook.pk}/code/?item={item.pk}", {"codes": f"{third.code} s3", "note": "Hm"})
    coding = Coding.objects.get(coder=bob, item=item)
    assert list(coding.themes.all()) == [third] and coding.sentiment == 3 and not coding.second_look


def test_a_comment_marked_for_a_second_look_waits_in_its_own_queue_with_the_note(
    leeds, bob, signed_in
) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    dana = UserFactory(username="dana")
    MembershipFactory(user=dana, organisation=leeds, role=Role.ANALYST)
    (unsure, _), (plain, _) = comments(leeds, 2)
    coding_save(
        coder=bob,
        codebook=codebook,
        item=unsure,
        themes=[],
        sentiment=3,
        second_look=True,
        note="Staff or wait?",
    )
    coding_save(coder=bob, codebook=codebook, item=plain, themes=[], sentiment=3)
    client = signed_in(dana)

    page = client.get(f"/themes/{codebook.pk}/").content.decode()
    assert f'href="/themes/{codebook.pk}/code/?order=second_look">1 marked for a second look</a>' in page
    queue = client.get(f"/themes/{codebook.pk}/code/?order=second_look").content.decode()
    assert f"<h2>Feedback {unsure.pk}</h2>" in queue
    assert "Marked for a second look</strong> by" in queue and "“Staff or wait?”" in queue

    client.post(f"/themes/{codebook.pk}/code/?item={unsure.pk}&part=0&order=second_look", {"codes": "1 s4"})

    assert (
        "nothing left to code in this order"
        in client.get(f"/themes/{codebook.pk}/code/?order=second_look").content.decode()
    )
    assert "marked for a second look" not in client.get(f"/themes/{codebook.pk}/").content.decode()


def test_reviewing_suggestions_keeps_the_analysts_place_and_says_what_the_model_thinks(
    leeds, bob, signed_in
) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    run = ThemeModelRun.objects.create(organisation=leeds, codebook=codebook, status=TrainingStatus.DONE)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    food = codebook.themes.get(name="Food and drink")
    made = [item for item, _ in comments(leeds, 30)]
    for item in made:
        Suggestion.objects.create(
            organisation=leeds,
            codebook=codebook,
            run=run,
            item=item,
            themes=[{"theme": waiting.pk, "confidence": 0.81}, {"theme": food.pk, "confidence": 0.18}],
            sentiment=4,
            sentiment_confidence=0.66,
            confidence=0.18,
        )
    Suggestion.objects.filter(item=made[0]).update(themes=[])
    client = signed_in(bob)

    listing = client.get(f"/themes/{codebook.pk}/suggestions/?page=2").content.decode()
    assert "No theme" in client.get(f"/themes/{codebook.pk}/suggestions/").content.decode()
    on_page_two = Suggestion.objects.order_by("confidence", "item_id")[25]
    accepted = client.post(f"/themes/{codebook.pk}/suggestions/{on_page_two.pk}/accept/", {"page": "2"})
    assert accepted.url == f"/themes/{codebook.pk}/suggestions/?page=2"  # not back to page 1
    assert "&amp;back=suggestions&amp;page=2" in listing  # "Correct" remembers the page too

    correcting = client.get(f"/themes/{codebook.pk}/code/?item={made[1].pk}&part=0&back=suggestions&page=2")
    page = correcting.content.decode()
    assert (
        f"{waiting.code}. Waiting and timeliness (81% sure), {food.code}. Food and drink (18% sure)" in page
    )
    assert "sentiment s4, negative (66% sure)" in page
    assert f'value="{waiting.code} s4"' in page  # the 18% guess is not typed in for Enter to save
    action = html.unescape(re.search(r'<form method="post" action="([^"]*)"', page).group(1))
    # A page that is not a number cannot smuggle another comment into the form's address.
    smuggled = client.get(
        f"/themes/{codebook.pk}/code/?item={made[1].pk}&part=0&back=suggestions&page=1%26item%3D{made[2].pk}"
    ).content.decode()
    assert f"item={made[2].pk}" not in re.search(r'<form method="post" action="([^"]*)"', smuggled).group(1)
    saved = client.post(f"/themes/{codebook.pk}/code/{action}", {"codes": f"{food.code}; s2"})
    assert saved.url == f"/themes/{codebook.pk}/suggestions/?page=2"  # back to the list, where they were
    assert [theme.name for theme in Coding.objects.get(item=made[1]).themes.all()] == ["Food and drink"]


def test_a_comments_page_shows_its_themes_and_a_projects_page_leads_to_its_dashboard(
    leeds, bob, signed_in, project_factory
) -> None:
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    project = project_factory(organisation=leeds)
    (coded, _), (waiting_for, _) = comments(leeds, 2)
    FeedbackItem.objects.filter(pk=coded.pk).update(project=project)
    staff = codebook.themes.get(name="Staff manner and attitude")
    coding_save(coder=bob, codebook=codebook, item=coded, themes=[staff], sentiment=1)
    client = signed_in(bob)

    page = client.get(f"/feedback/{coded.pk}/").content.decode()
    assert "Staff manner and attitude; very positive (coded by a person)" in page
    assert f"/themes/{codebook.pk}/code/?item={coded.pk}&amp;part=0" in page
    assert "Not coded yet" in client.get(f"/feedback/{waiting_for.pk}/").content.decode()
    about = client.get(f"/projects/{project.slug}/").content.decode()
    assert f"/themes/{codebook.pk}/dashboard/?project={project.slug}" in about
    assert f"/themes/who-answered/?project={project.slug}" in about


def test_another_organisations_coder_cannot_code_our_comments(leeds, wakefield, carol, signed_in) -> None:
    ours = codebook_create(actor=None, organisation=leeds, name="Ours", starter=True)
    [(item, _)] = comments(leeds, 1)
    theirs = codebook_create(actor=None, organisation=wakefield, name="Theirs", starter=True)
    client = signed_in(carol)

    assert client.get(f"/themes/{ours.pk}/code/").status_code == 404
    assert client.get(f"/themes/{theirs.pk}/code/?item={item.pk}").status_code == 404
    with pytest.raises(ValueError):
        coding_save(coder=carol, codebook=theirs, item=item, themes=[], sentiment=None)


def test_accepting_the_sure_suggestions_in_bulk_codes_them_as_the_models_and_costs_a_few_queries(
    leeds, bob, signed_in, django_assert_max_num_queries
) -> None:
    from heard.understanding.models import CodedItem, ThemeAssignment

    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    run = ThemeModelRun.objects.create(
        organisation=leeds,
        codebook=codebook,
        status=TrainingStatus.DONE,
        quality={"per_theme": [], "micro_f1": 0.8, "macro_f1": 0.6, "sentiment_accuracy": 0.85},
    )
    waiting = codebook.themes.get(name="Waiting and timeliness")
    food = codebook.themes.get(name="Food and drink")
    retired = codebook.themes.get(name="Travel and transport")
    retired.retired = True
    retired.save()
    made = [item for item, _ in comments(leeds, 250)]
    for number, item in enumerate(made):
        sure = number < 200
        Suggestion.objects.create(
            sentiment_confidence=0.4
            if number >= 240
            else 0.85,  # the last ten: sure of themes, not of feeling
            organisation=leeds,
            codebook=codebook,
            run=run,
            item=item,
            themes=[
                {"theme": waiting.pk, "confidence": 0.95 if sure or number >= 240 else 0.6},
                {"theme": food.pk if number % 2 else retired.pk, "confidence": 0.9 if sure else 0.55},
            ],
            sentiment=4,
            confidence=0.9 if sure or number >= 240 else 0.55,
        )
    # Bob had already coded one of the sure comments differently: his coding is replaced, not doubled.
    coding_save(coder=bob, codebook=codebook, item=made[0], themes=[food], sentiment=1, note="first go")
    Suggestion.objects.filter(item=made[0]).update(status=SuggestionStatus.OPEN)

    client = signed_in(bob)
    with django_assert_max_num_queries(50):  # accepting each in turn took 5,007 for these 200
        response = client.post(f"/themes/{codebook.pk}/suggestions/accept/", {"at_least": "0.8"})

    assert response.status_code == 302
    accepted = Coding.objects.filter(codebook=codebook, coder=bob, origin=CodingOrigin.ACCEPTED_IN_BULK)
    assert accepted.count() == 200
    assert Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.ACCEPTED).count() == 200
    # Open still: the 40 unsure of their themes, and the 10 unsure of the comment's sentiment.
    assert Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.OPEN).count() == 50
    replaced = Coding.objects.get(item=made[0], coder=bob)
    assert replaced.sentiment == 4 and replaced.note == ""
    assert {theme.name for theme in replaced.themes.all()} == {"Waiting and timeliness"}  # retired dropped
    assert {theme.name for theme in Coding.objects.get(item=made[1]).themes.all()} == {
        "Waiting and timeliness",
        "Food and drink",
    }
    # Nobody read them one by one: the dashboards count them as the model's, and training leaves them out (a
    # model would learn its own guesses, and be graded on them).
    assert CodedItem.objects.filter(codebook=codebook, by_model=False).count() == 0
    assert ThemeAssignment.objects.filter(codebook=codebook, theme=food, by_model=True).count() == 100
    assert not ThemeAssignment.objects.filter(theme=retired).exists()
    assert training_data(codebook=codebook) == []
    # The codebook page counts them apart, so nobody mistakes them for examples the next model will learn from.
    page = client.get(f"/themes/{codebook.pk}/").content.decode()
    assert "0 comments coded by people, 0 of them by you." in page
    assert "200 more were coded by accepting the model’s sure suggestions together" in page
    waiting_row = re.search(r"Waiting and timeliness</td>.*?Coded by people </span>([\d,]+)<", page, re.S)
    assert waiting_row is not None and waiting_row.group(1) == "0"
    client.post(
        f"/themes/{codebook.pk}/suggestions/{Suggestion.objects.filter(item=made[1]).get().pk}/accept/"
    )
    assert (
        Coding.objects.filter(codebook=codebook, coder=bob, origin=CodingOrigin.ACCEPTED_IN_BULK).count()
        == 199
    )
    [read] = training_data(codebook=codebook)  # accepted one by one: a person read it
    page = client.get(f"/themes/{codebook.pk}/").content.decode()
    assert "1 comment coded by people, 1 of them by you." in page and "199 more were coded" in page
    assert read.themes == (str(waiting.pk), str(food.pk))
    # Nor are they a colleague's coding to measure agreement against: only the one Bob read is offered.
    dana = UserFactory(username="dana")
    MembershipFactory(user=dana, organisation=leeds, role=Role.ANALYST)
    offered = signed_in(dana).get(f"/themes/{codebook.pk}/code/?order=agreement").content.decode()
    assert f"<h2>Feedback {made[1].pk}</h2>" in offered
    coding_save(coder=dana, codebook=codebook, item=made[2], themes=[waiting], sentiment=4)
    assert agreement(codebook=codebook)[0] == 0
    # Dana read one Bob had accepted in bulk: it now counts as coded by people, and no longer as accepted in bulk.
    page = client.get(f"/themes/{codebook.pk}/").content.decode()
    assert "2 comments coded by people, 1 of them by you." in page and "198 more were coded" in page


@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_the_sure_suggestions_at_once_share_them_out(leeds, bob) -> None:  # type: ignore[no-untyped-def]
    """Two analysts (or one pressing twice) accept in bulk at the same moment: each suggestion is accepted
    once, by one of them, and neither fails. Rows are locked and skipped, which SQLite cannot show."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: the race needs PostgreSQL (CI runs it there)")
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    run = ThemeModelRun.objects.create(
        organisation=leeds,
        codebook=codebook,
        status=TrainingStatus.DONE,
        quality={"per_theme": [], "micro_f1": 0.8, "macro_f1": 0.6, "sentiment_accuracy": 0.85},
    )
    waiting = codebook.themes.get(name="Waiting and timeliness")
    for item, _ in comments(leeds, 120):
        Suggestion.objects.create(
            organisation=leeds,
            codebook=codebook,
            run=run,
            item=item,
            themes=[{"theme": waiting.pk, "confidence": 0.95}],
            confidence=0.95,
            sentiment=4,
            sentiment_confidence=0.95,
        )
    dana = UserFactory(username="dana")
    MembershipFactory(user=dana, organisation=leeds, role=Role.ANALYST)
    start = threading.Barrier(2)
    accepted: dict[str, int] = {}
    failures: list[BaseException] = []

    def accept(coder) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait(timeout=30)
            accepted[coder.username] = suggestions_accept_confident(
                coder=coder, codebook=codebook, at_least=0.9, limit=80
            )
        except BaseException as error:  # reported below, with the test's own message
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(coder,)) for coder in (bob, dana)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    # Each took what the other had not locked: 120 between them, none twice (the limit is 80 each).
    assert sum(accepted.values()) == 120 and all(count > 0 for count in accepted.values())
    assert Suggestion.objects.filter(codebook=codebook, status=SuggestionStatus.ACCEPTED).count() == 120
    codings = Coding.objects.filter(codebook=codebook, origin=CodingOrigin.ACCEPTED_IN_BULK)
    assert codings.count() == 120 and codings.values("item_id").distinct().count() == 120
